"""The Content Security Policy holds in a real browser: our pages and the admin run under it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from crm import roles
from crm.roles import user_assign_role
from partnerships.models import Partnership
from tests.factories import DeliverableFactory, InfluencerFactory, PartnershipFactory, UserFactory
from tests.test_permission_matrix import MATRIX, OK, url_names

pytestmark = pytest.mark.django_db(transaction=True)

CSP_MARKERS = ("Content Security Policy", "Refused to")


@pytest.fixture
def csp_violations(page):
    """Console messages and page errors that report a CSP refusal, collected while the test runs."""
    seen = []
    page.on(
        "console",
        lambda message: (
            seen.append(message.text)
            if any(marker in message.text for marker in CSP_MARKERS)
            else None
        ),
    )
    page.on("pageerror", lambda error: seen.append(str(error)))
    return seen


def test_login_home_and_admin_tiers_load_without_csp_violations(
    page, live_server, login, tiers, csp_violations
):
    user_assign_role(
        user=UserFactory(username="ada", is_superuser=True, is_staff=True), role=roles.ADMIN
    )

    response = page.goto(f"{live_server.url}/accounts/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.get_by_role("button", name="Log in")).to_be_visible()

    login("ada", "correct-horse-battery")
    expect(page.get_by_role("navigation")).to_contain_text("ada")
    # Bootstrap's collapse (nav toggler) and htmx run from our own static files.
    assert page.evaluate("typeof window.htmx") == "object"
    assert page.evaluate("typeof window.bootstrap") == "object"

    page.goto(f"{live_server.url}/admin/influencers/tier/")
    expect(page.locator("#result_list")).to_contain_text("Micro")
    # The admin's own scripts work: the "select all" checkbox ticks every row.
    page.locator("#action-toggle").check()
    expect(page.locator("input.action-select:checked")).to_have_count(len(tiers))
    page.get_by_role("link", name="Micro", exact=True).click()
    expect(page.get_by_label("Min followers")).to_have_value("1000")

    assert csp_violations == []


def test_admin_widgets_work_under_the_policy(page, live_server, login, tiers, csp_violations):
    """The influencer admin form: autocomplete (select2), the niches filter widget and the
    accounts inline's "add another" all run from static files under the policy."""
    UserFactory(username="ada", is_superuser=True, is_staff=True)
    login("ada", "correct-horse-battery")
    page.goto(f"{live_server.url}/admin/influencers/influencer/add/")
    expect(page.locator("#id_niches_from")).to_be_visible()  # SelectFilter2 built it
    page.get_by_role("button", name="Add another Social account").click()
    expect(page.locator("#accounts-group tbody tr.form-row:not(.empty-form)")).to_have_count(1)
    page.locator(".select2-selection").first.click()  # the owner autocomplete opens
    expect(page.locator(".select2-search__field")).to_be_visible()
    assert csp_violations == []


def test_an_injected_inline_script_is_refused_and_reported(page, live_server, csp_violations):
    """The policy is really enforced: the same check would catch a template that inlines JS."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.evaluate(
        """() => {
            const script = document.createElement("script");
            script.textContent = "window.__inline_ran = true";
            document.body.appendChild(script);
        }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.__inline_ran === true") is False
    assert any("inline script" in text for text in csp_violations)


def test_five_wrong_passwords_show_the_lockout_page(page, live_server):
    UserFactory(username="mara")
    page.goto(f"{live_server.url}/accounts/login/")
    for _ in range(5):
        page.get_by_label("Username").fill("mara")
        page.get_by_label("Password").fill("not-her-password")
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            page.get_by_role("button", name="Log in").click()
    assert posted.value.status == 429
    expect(page.get_by_role("heading")).to_contain_text("Too many failed log-in attempts")
    expect(page.get_by_role("alert")).to_contain_text("15 minutes")


NOT_PAGES = {
    "logout",
    "tier-stylesheet",
    "influencers:influencer-export",
    "influencers:import-template",
    "influencers:import-errors",
    "reports:tier-comparison-export",
    "partnerships:influencer-search",
}


def test_every_page_of_the_app_runs_under_the_policy(
    page, live_server, login, tiers, csp_violations
):
    """Every HTML page an admin can open (from the permission matrix) loads without one refusal."""
    influencer = InfluencerFactory(audience=5_000, name="Mia Chen")
    partnership = PartnershipFactory(
        influencer=influencer,
        collaboration_type=Partnership.CollaborationType.LONG_TERM,
        status=Partnership.Status.ACTIVE,
    )
    deliverable = DeliverableFactory(partnership=partnership)
    objects = {
        "influencer": {"pk": influencer.pk},
        "campaign": {"pk": partnership.campaign_id},
        "partnership": {"pk": partnership.pk},
        "deliverable": {"pk": deliverable.pk},
        "history": {"app_label": "influencers", "model_name": "influencer", "pk": influencer.pk},
    }
    UserFactory(username="ada", is_superuser=True, is_staff=True)
    login("ada", "correct-horse-battery")
    mounted = set(url_names())
    visited = []
    for name, (kwargs_key, outcomes) in MATRIX.items():
        if name in NOT_PAGES or name not in mounted or outcomes["GET"][-1] != OK:
            continue
        url = reverse(name, kwargs=objects[kwargs_key] if kwargs_key else None)
        page.goto(f"{live_server.url}{url}")
        page.wait_for_load_state("networkidle")
        visited.append(url)
        assert csp_violations == [], f"on {url}"
    assert len(visited) >= 20
