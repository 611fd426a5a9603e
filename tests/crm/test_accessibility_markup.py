"""What assistive technology reads in the HTML: the current page in the navigation, button names
that contain their visible label (WCAG 2.5.3), radio groups tied to their error, and the error
summary of a failed save. Behaviour in a browser: tests/e2e/test_keyboard_and_screen_reader.py."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from partnerships.models import Partnership
from tests.factories import InfluencerFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

# What the log-a-partnership form posts when Save is pressed straight away.
NO_TYPE_NOR_INFLUENCER = {"status": "prospect", "renewal_reminder_days": "30"}


class Elements(HTMLParser):
    """Each element of a page as (tag, attributes, text inside it)."""

    def __init__(self, html):
        super().__init__()
        self.found, self.open = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = [tag, dict(attrs), ""]
        self.found.append(element)
        if tag not in ("input", "br", "img", "meta", "link", "hr"):
            self.open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                break

    def handle_data(self, data):
        for element in self.open:
            element[2] += data

    def select(self, tag, **attrs):
        return [
            (attributes, " ".join(text.split()))
            for name, attributes, text in self.found
            if name == tag
            and all(
                value in (attributes.get(key.replace("_", "-")) or "").split()
                for key, value in attrs.items()
            )
        ]


def test_the_active_nav_link_says_aria_current_page_unescaped(admin_client):
    html = admin_client.get(reverse("influencers:influencer-list")).content.decode()
    assert "&quot;page&quot;" not in html
    current = [(a["href"], text) for a, text in Elements(html).select("a") if "aria-current" in a]
    assert current == [(reverse("influencers:influencer-list"), "Roster")]
    assert Elements(html).select("a", aria_current="page")


def test_every_board_button_name_contains_its_visible_label(admin_client, tiers):
    for status in Partnership.Status.values:
        PartnershipFactory(status=status, influencer=InfluencerFactory(name=f"In {status}"))
    html = admin_client.get(reverse("partnerships:partnership-board")).content.decode()
    buttons = Elements(html).select("button", **{"class": "move-button"})
    reopen = [(attrs, text) for attrs, text in buttons if text.startswith("Reopen as")]
    assert len(reopen) == 4  # declined and cancelled: to Prospect or Negotiating
    for attrs, text in buttons:
        label = text.removeprefix("→").strip()
        assert label in attrs["aria-label"], (text, attrs["aria-label"])
    assert ("Reopen as Prospect: In declined") in {attrs["aria-label"] for attrs, _ in reopen}


def test_a_radio_group_error_is_tied_to_each_radio(admin_client):
    response = admin_client.post(reverse("partnerships:partnership-create"), NO_TYPE_NOR_INFLUENCER)
    page = Elements(response.content.decode())
    radios = page.select("input", name="collaboration_type")
    assert len(radios) == 2
    for attrs, _ in radios:
        assert attrs["aria-invalid"] == "true"
        assert "id_collaboration_type_error" in attrs["aria-describedby"].split()
    [(error, text)] = page.select("div", id="id_collaboration_type_error")
    assert text == "This field is required."
    assert "d-block" in error["class"].split()  # shown, not left to Bootstrap's sibling rule
    groups = [text for attrs, text in page.select("legend") if text.startswith("Collaboration")]
    assert groups == ["Collaboration type*"]


def test_a_failed_save_lists_every_error_as_a_link_to_its_field(admin_client):
    blank = admin_client.get(reverse("partnerships:partnership-create")).content.decode()
    assert not Elements(blank).select("div", id="error-summary")  # nothing to fix yet
    response = admin_client.post(reverse("partnerships:partnership-create"), NO_TYPE_NOR_INFLUENCER)
    page = Elements(response.content.decode())
    [(summary, _)] = page.select("div", id="error-summary")
    assert summary["tabindex"] == "-1" and "data-error-summary" in summary
    links = {attrs["href"]: text for attrs, text in page.select("a", **{"class": "alert-link"})}
    assert links == {
        "#id_collaboration_type_0": "Collaboration type: This field is required.",
        "#id_influencer": "Influencer: This field is required.",
    }
    ids = {attrs.get("id") for _, attrs, _ in page.found}
    assert {href[1:] for href in links} <= ids


def test_an_account_row_error_is_in_the_summary_and_tied_to_its_input(admin_client, tiers):
    InfluencerFactory(name="Holder", audience=10, audience__handle="takenname")
    data = {
        "name": "Nora Stone",
        "status": "active",
        "accounts-TOTAL_FORMS": "1",
        "accounts-INITIAL_FORMS": "0",
        "accounts-0-platform": "instagram",
        "accounts-0-handle": "@takenname",
        "accounts-0-followers": "10",
        "accounts-0-engagement_rate": "1",
    }
    response = admin_client.post(reverse("influencers:influencer-create"), data)
    assert response.status_code == 400
    page = Elements(response.content.decode())
    assert page.select("div", id="error-summary")
    [(link, text)] = page.select("a", **{"class": "alert-link"})
    assert link["href"] == "#id_accounts-0-handle"
    assert text == "Row 1, Handle: This handle is already used on Instagram by Holder."
    [(handle, _)] = page.select("input", id="id_accounts-0-handle")
    assert handle["aria-invalid"] == "true"
    [(_, error)] = page.select("div", id=handle["aria-describedby"])
    assert error == "This handle is already used on Instagram by Holder."


def test_login_field_errors_are_tied_to_their_inputs(client):
    page = Elements(
        client.post(reverse("login"), {"username": "", "password": ""}).content.decode()
    )
    for name in ("username", "password"):
        [(field, _)] = page.select("input", id=f"id_{name}")
        assert field["aria-invalid"] == "true"
        [(_, error)] = page.select("div", id=field["aria-describedby"])
        assert error == "This field is required."


def test_report_filter_errors_and_help_are_tied_to_their_fields(admin_client, tiers):
    query = {"published_after": "2026-05-01", "published_before": "2026-01-01", "market": "x" * 101}
    page = Elements(admin_client.get(reverse("reports:tier-comparison"), query).content.decode())
    labels = {attrs["for"]: text for attrs, text in page.select("label", **{"class": "form-label"})}
    assert labels["id_published_before"] == "Published to"
    assert labels["id_market"] == "Market (country)"
    [(end, _)] = page.select("input", id="id_published_before")
    assert end["aria-invalid"] == "true" and end["aria-describedby"] == "id_published_before_error"
    [(_, error)] = page.select("div", id="id_published_before_error")
    assert error == "The end of the period is before its start."
    [(market, _)] = page.select("input", id="id_market")
    described = market["aria-describedby"].split()
    assert described == ["id_market_helptext", "id_market_error"]
    [(_, help_text)] = page.select("div", id="id_market_helptext")
    assert help_text == "The influencer's country; any case."
    [(start, _)] = page.select("input", id="id_published_after")
    assert "aria-invalid" not in start and start["value"] == "2026-05-01"
    assert set(labels) >= {f"id_{name}" for name in ("campaign", "niche", "basis")}


def test_report_filters_say_what_crispy_forms_said():
    """The report filters are drawn by a tag (crm_tags.form_field) instead of crispy-forms: the
    same elements, text, ids and aria attributes; only crispy's per-widget class names go."""
    from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field

    from crm.templatetags.crm_tags import form_field
    from reports.forms import TierPairForm

    def described(html, widget):
        drawn = []
        for tag, attrs, text in Elements(str(html)).found:
            # crispy adds the widget's class name as a CSS class ("fastselect"); nothing uses it.
            classes = set(attrs.pop("class", "").split()) - {type(widget).__name__.lower()}
            drawn.append((tag, attrs, classes, "".join(text.split())))
        return drawn

    data = {"a": "1", "b": "nope", "market": "x" * 101, "published_after": "soon"}
    for form in (TierPairForm(), TierPairForm(data)):
        form.is_valid()
        for field in form:
            widget = field.field.widget
            ours, crispys = form_field(field), as_crispy_field(field)
            assert described(ours, widget) == described(crispys, widget), field.name
