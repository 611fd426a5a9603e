"""Hostile input never breaks a form: property-based tests (hypothesis) post random and hostile
values (huge and negative numbers, empty strings, unicode, 10,000-character strings, NUL bytes,
dates out of range, markup) to every form of the app.

The answer is a redirect (saved) or the form again with its errors (200/400/409), never a 500
(the test client re-raises any exception), nothing is half-saved when the form is refused, and
markup typed into a field comes back escaped, on the form and on the page a saved form leads
to. Examples are bounded so `make test` stays fast.
"""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from campaigns.models import Campaign
from crm import roles
from influencers.models import Influencer, Interaction, Niche, SocialAccount
from partnerships.models import Deliverable, Partnership
from tests.factories import CampaignFactory, InfluencerFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

BOUNDED = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
hostile_text = st.sampled_from(
    [
        "",
        " ",
        "x" * 10_000,
        "nul\x00byte",
        "\x00",
        SCRIPT,
        IMG,
        '=HYPERLINK("http://evil")',
        "Zoë 😀 Ünïcödé ‮",
        "' OR 1=1 --",
        "{{ 7*7 }}{% debug %}",
    ]
) | st.text(max_size=40)
hostile_number = st.sampled_from(
    ["", "-1", "-0", "0", "1.5", "1e309", "NaN", "inf", "0x10", "1,000", "\x00", "٣"]
) | st.integers(min_value=-(2**80), max_value=2**80).map(str)
hostile_date = st.sampled_from(
    [
        "",
        "0000-00-00",
        "0001-01-01",
        "9999-12-31",
        "10000-01-01",
        "2024-02-30",
        "31/12/2024",
        "\x00",
    ]
) | st.dates().map(str)
# Ids beyond 64 bits are tested one by one below (test_out_of_range_ids_are_form_errors).
hostile_pk = st.sampled_from(["", "0", "-1", "abc", "999999999", "\x00", "1 OR 1=1"])


def either(valid, hostile):
    return st.one_of(st.just(valid), hostile)


def snapshot():
    """Row counts of everything a form might write, history included."""
    models = [Influencer, SocialAccount, Campaign, Partnership, Deliverable, Interaction]
    counts = {model.__name__: model.objects.count() for model in models}
    counts.update(
        {f"history {m.__name__}": m.history.count() for m in models if hasattr(m, "history")}
    )
    counts["influencer niches"] = Influencer.niches.through.objects.count()
    counts["campaign niches"] = Campaign.target_niches.through.objects.count()
    return counts


def post_and_check(client, url, data, created_model=None):
    before = snapshot()
    response = client.post(url, data)
    assert response.status_code in (200, 302, 400, 409), response.status_code
    after = snapshot()
    if response.status_code == 302:
        if created_model is not None:
            assert after[created_model.__name__] == before[created_model.__name__] + 1
        # What was saved is shown escaped on the page the form leads to.
        shown = client.get(response["Location"])
        assert shown.status_code == 200
        assert SCRIPT not in shown.content.decode()
        assert "<img src=x onerror" not in shown.content.decode()
        return response
    assert after == before, "a refused form saved something"
    content = response.content.decode()
    assert SCRIPT not in content
    assert "<img src=x onerror" not in content
    return response


@pytest.fixture
def world(client, role_user, tiers):
    client.force_login(role_user(roles.ADMIN, username="ada"))
    influencer = InfluencerFactory(audience=5_000)
    campaign = CampaignFactory()
    partnership = PartnershipFactory(
        influencer=influencer, campaign=campaign, status=Partnership.Status.ACTIVE
    )
    niche = Niche.objects.first() or Niche.objects.create(name="Beauty", slug="beauty")
    return {
        "client": client,
        "influencer": influencer,
        "campaign": campaign,
        "partnership": partnership,
        "niche": niche,
        "user": influencer.owner,
    }


@BOUNDED
@given(data=st.data())
def test_influencer_form_with_accounts(world, data):
    fields = data.draw(
        st.fixed_dictionaries(
            {
                "name": either("Mia Chen", hostile_text),
                "email": either("mia@example.com", hostile_text),
                "phone": either("", hostile_text),
                "country": either("Spain", hostile_text),
                "city": hostile_text,
                "niches": either(str(world["niche"].pk), hostile_pk),
                "owner": either("", hostile_pk),
                "status": either("active", hostile_text),
                "notes": hostile_text,
                # A forged huge count is tested on its own (test_a_forged_form_count_is_capped).
                "accounts-TOTAL_FORMS": either("1", st.sampled_from(["0", "-1", "x", "25"])),
                "accounts-INITIAL_FORMS": either("0", st.sampled_from(["1", "-5", ""])),
                "accounts-MIN_NUM_FORMS": st.just("0"),
                "accounts-MAX_NUM_FORMS": st.just("20"),
                "accounts-0-platform": either("instagram", hostile_text),
                "accounts-0-handle": either("mia", hostile_text),
                "accounts-0-url": either("", hostile_text),
                "accounts-0-followers": either("5000", hostile_number),
                "accounts-0-engagement_rate": either("3.5", hostile_number),
                "accounts-0-is_primary": st.sampled_from(["on", "", "\x00"]),
            }
        )
    )
    post_and_check(world["client"], reverse("influencers:influencer-create"), fields, Influencer)


@BOUNDED
@given(data=st.data())
def test_influencer_edit_form(world, data):
    influencer = world["influencer"]
    fields = data.draw(
        st.fixed_dictionaries(
            {
                "name": either(influencer.name, hostile_text),
                "email": hostile_text,
                "status": either("paused", hostile_text),
                "notes": hostile_text,
                "accounts-TOTAL_FORMS": st.just("0"),
                "accounts-INITIAL_FORMS": st.just("0"),
                "accounts-MIN_NUM_FORMS": st.just("0"),
                "accounts-MAX_NUM_FORMS": st.just("20"),
            }
        )
    )
    url = reverse("influencers:influencer-update", args=[influencer.pk])
    post_and_check(world["client"], url, fields)


@BOUNDED
@given(data=st.data())
def test_campaign_form(world, data):
    today = date.today()
    fields = data.draw(
        st.fixed_dictionaries(
            {
                "name": either("Spring launch", hostile_text),
                "product": hostile_text,
                "objective": either("awareness", hostile_text),
                "status": either("planning", hostile_text),
                "start_date": either(str(today), hostile_date),
                "end_date": either(str(today + timedelta(days=30)), hostile_date),
                "budget": either("15000", hostile_number),
                "target_niches": either(str(world["niche"].pk), hostile_pk),
                "owner": either("", hostile_pk),
                "description": hostile_text,
            }
        )
    )
    post_and_check(world["client"], reverse("campaigns:campaign-create"), fields, Campaign)


@BOUNDED
@given(data=st.data())
def test_partnership_form(world, data):
    today = date.today()
    fields = data.draw(
        st.fixed_dictionaries(
            {
                "collaboration_type": either("long_term", st.sampled_from(["one_off", "", "x"])),
                "influencer": either(str(world["influencer"].pk), hostile_pk),
                "campaign": either("", hostile_pk),
                "owner": either("", hostile_pk),
                "status": either("negotiating", hostile_text),
                "terms": hostile_text,
                "fee": either("1000", hostile_number),
                "due_date": either(str(today), hostile_date),
                "expected_deliverables": either("2", hostile_number),
                "start_date": either(str(today), hostile_date),
                "end_date": either(str(today + timedelta(days=90)), hostile_date),
                "monthly_retainer": either("500", hostile_number),
                "one_time_fee": either("", hostile_number),
                "deliverables_per_month": either("2", hostile_number),
                "auto_renew": st.sampled_from(["on", ""]),
                "exclusivity": st.sampled_from(["on", ""]),
                "renewal_reminder_days": either("30", hostile_number),
            }
        )
    )
    url = reverse("partnerships:partnership-create")
    post_and_check(world["client"], url, fields, Partnership)


@BOUNDED
@given(data=st.data())
def test_deliverable_form(world, data):
    today = date.today()
    count = either("100", hostile_number)
    fields = data.draw(
        st.fixed_dictionaries(
            {
                "kind": either("post", hostile_text),
                "platform": either("instagram", hostile_text),
                "due_date": either(str(today), hostile_date),
                "published_on": either("", hostile_date),
                "status": either("planned", st.sampled_from(["published", "missed", "x", ""])),
                "url": either("", hostile_text),
                "impressions": either("1000", hostile_number),
                "reach": count,
                "likes": count,
                "comments": count,
                "shares": count,
                "saves": count,
                "clicks": count,
                "conversions": count,
                "revenue": either("10.50", hostile_number),
            }
        )
    )
    url = reverse("partnerships:deliverable-create", args=[world["partnership"].pk])
    post_and_check(world["client"], url, fields, Deliverable)


@BOUNDED
@given(data=st.data())
def test_interaction_form(world, data):
    fields = data.draw(
        st.fixed_dictionaries(
            {
                "kind": either("call", hostile_text),
                "occurred_on": either(str(date.today()), hostile_date),
                "summary": either("Intro call.", hostile_text),
                "partnership": either("", hostile_pk),
            }
        )
    )
    url = reverse("influencers:interaction-create", args=[world["influencer"].pk])
    post_and_check(world["client"], url, fields, Interaction)


def test_a_refused_long_text_is_not_truncated_into_the_database(world):
    """A 10,000-character name is refused with a message, not cut to fit."""
    response = post_and_check(
        world["client"],
        reverse("campaigns:campaign-create"),
        {
            "name": "x" * 10_000,
            "objective": "awareness",
            "status": "planning",
            "start_date": str(date.today()),
            "budget": "1",
        },
    )
    assert response.status_code in (200, 400)
    assert "at most 200 characters" in response.content.decode()


MANAGEMENT = {
    "accounts-INITIAL_FORMS": "0",
    "accounts-MIN_NUM_FORMS": "0",
    "accounts-MAX_NUM_FORMS": "20",
}
HUGE_ID = "9" * 30


def test_a_forged_form_count_is_capped(world):
    """TOTAL_FORMS=99999 must not make the server build and render a thousand account forms."""
    data = {"name": "Mia", "status": "active", "accounts-TOTAL_FORMS": "99999", **MANAGEMENT}
    response = post_and_check(world["client"], reverse("influencers:influencer-create"), data)
    assert response.status_code in (200, 400)
    assert len(response.context["formset"].forms) <= 21


@pytest.mark.parametrize(
    ("url_name", "field", "extra"),
    [
        ("influencers:influencer-create", "niches", {"accounts-TOTAL_FORMS": "0", **MANAGEMENT}),
        ("influencers:influencer-create", "owner", {"accounts-TOTAL_FORMS": "0", **MANAGEMENT}),
        ("campaigns:campaign-create", "target_niches", {}),
        ("campaigns:campaign-create", "owner", {}),
        ("partnerships:partnership-create", "influencer", {}),
        ("partnerships:partnership-create", "campaign", {}),
        ("partnerships:partnership-create", "owner", {}),
        ("influencers:interaction-create", "partnership", {}),
    ],
)
def test_out_of_range_ids_are_form_errors(world, url_name, field, extra):
    """A 30-digit id in a select is "not a valid choice", not a database OverflowError."""
    args = [world["influencer"].pk] if url_name == "influencers:interaction-create" else []
    data = {"name": "Mia", "status": "active", field: HUGE_ID, **extra}
    response = post_and_check(world["client"], reverse(url_name, args=args), data)
    assert response.status_code in (200, 400)


def test_bounded_multiple_choice_field_refuses_huge_ids_politely(tiers):
    from django.core.exceptions import ValidationError

    from crm.fields import BoundedModelMultipleChoiceField

    field = BoundedModelMultipleChoiceField(queryset=Niche.objects.all())
    niche = Niche.objects.first()
    assert list(field.clean([str(niche.pk)])) == [niche]
    for bad in (HUGE_ID, "-" + HUGE_ID, "abc"):
        with pytest.raises(ValidationError):
            field.clean([bad])
