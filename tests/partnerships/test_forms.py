"""The log-a-partnership form and the deliverable form: each type's required fields, the other
type's fields cleared, the contract value, and every refusal beside its field."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from partnerships.forms import DeliverableForm, PartnershipForm
from partnerships.models import Deliverable, Partnership
from tests.factories import (
    CampaignFactory,
    DeliverableFactory,
    InfluencerFactory,
    PartnershipFactory,
)

pytestmark = pytest.mark.django_db
CREATE = reverse("partnerships:partnership-create")


@pytest.fixture
def influencer(tiers):
    return InfluencerFactory(audience=20_000, name="Ada Lovelace")


@pytest.fixture
def campaign():
    return CampaignFactory(name="Spring launch")


def one_off(influencer, campaign, **extra):
    return {
        "collaboration_type": "one_off",
        "influencer": influencer.pk,
        "campaign": campaign.pk if campaign else "",
        "status": "negotiating",
        "fee": "1500",
        "due_date": "2026-05-01",
        "expected_deliverables": "3",
        "renewal_reminder_days": "30",
        **extra,
    }


def long_term(influencer, **extra):
    return {
        "collaboration_type": "long_term",
        "influencer": influencer.pk,
        "status": "contracted",
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "monthly_retainer": "1000",
        "one_time_fee": "500",
        "deliverables_per_month": "4",
        "auto_renew": "on",
        "exclusivity": "on",
        "renewal_reminder_days": "45",
        **extra,
    }


def test_one_off_is_saved_with_its_fee_as_contract_value(admin_client, influencer, campaign):
    response = admin_client.post(CREATE, one_off(influencer, campaign))
    partnership = Partnership.objects.get()
    assert response.status_code == 302
    assert response.url == partnership.get_absolute_url()
    assert partnership.collaboration_type == "one_off"
    assert partnership.contract_value == Decimal("1500")
    assert partnership.due_date == date(2026, 5, 1) and partnership.expected_deliverables == 3
    assert partnership.status_changes.get().changed_by.username == "boss"


def test_long_term_value_is_retainer_times_months_plus_one_time_fee(admin_client, influencer):
    response = admin_client.post(CREATE, long_term(influencer))
    assert response.status_code == 302
    partnership = Partnership.objects.get()
    assert partnership.contract_value == Decimal("12500")  # 12 x 1,000 + 500
    assert partnership.fee == Decimal("500")
    assert partnership.campaign is None  # optional for long-term
    assert partnership.auto_renew and partnership.exclusivity
    assert partnership.renewal_reminder_days == 45
    assert partnership.tier_at_signing.name == "Micro"  # created as contracted


def test_one_off_clears_the_long_term_fields(influencer, campaign):
    data = one_off(
        influencer,
        campaign,
        start_date="2026-01-01",
        end_date="not a date",  # typed, then hidden by switching type: ignored
        monthly_retainer="900",
        one_time_fee="50",
        auto_renew="on",
        exclusivity="on",
    )
    form = PartnershipForm(data)
    assert form.is_valid(), form.errors
    fields = form.service_fields()
    assert fields["monthly_retainer"] is None and fields["start_date"] is None
    assert fields["end_date"] is None and fields["auto_renew"] is False
    assert fields["fee"] == Decimal("1500")


def test_long_term_clears_the_one_off_fields(admin_client, influencer):
    admin_client.post(
        CREATE, long_term(influencer, fee="9999", due_date="2026-03-01", expected_deliverables=7)
    )
    partnership = Partnership.objects.get()
    assert partnership.due_date is None and partnership.expected_deliverables is None
    assert partnership.fee == Decimal("500")  # the one-time fee, not the one-off fee


@pytest.mark.parametrize("missing", ["campaign", "fee", "due_date"])
def test_one_off_required_fields(influencer, campaign, missing):
    form = PartnershipForm({**one_off(influencer, campaign), missing: ""})
    assert not form.is_valid()
    assert list(form.errors) == [missing]
    assert "one-off partnership" in form.errors[missing][0]


@pytest.mark.parametrize("missing", ["start_date", "end_date", "monthly_retainer"])
def test_long_term_required_fields(influencer, missing):
    form = PartnershipForm({**long_term(influencer), missing: ""})
    assert not form.is_valid()
    assert list(form.errors) == [missing]
    assert "long-term partnership" in form.errors[missing][0]


def test_a_type_must_be_chosen(influencer):
    form = PartnershipForm(long_term(influencer, collaboration_type=""))
    assert not form.is_valid()
    assert "collaboration_type" in form.errors


def test_end_before_start_is_refused_beside_the_end(admin_client, influencer):
    response = admin_client.post(
        CREATE, long_term(influencer, start_date="2026-06-01", end_date="2026-05-31")
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "end_date": ["The term cannot end before it starts."]
    }
    assert b"The term cannot end before it starts." in response.content
    assert not Partnership.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("fee", "-1"), ("monthly_retainer", "-5"), ("one_time_fee", "-2")]
)
def test_negative_money_is_refused_beside_the_field(influencer, campaign, field, value):
    data = one_off(influencer, campaign) if field == "fee" else long_term(influencer)
    form = PartnershipForm({**data, field: value})
    assert not form.is_valid()
    assert list(form.errors) == [field]


def test_second_open_partnership_is_refused_with_a_link_to_the_first(
    admin_client, influencer, campaign
):
    first = PartnershipFactory(influencer=influencer, campaign=campaign, status="contacted")
    response = admin_client.post(CREATE, one_off(influencer, campaign))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["campaign"]
    assert "already has an open partnership in Spring launch" in errors["campaign"][0]
    html = response.content.decode()
    assert f'<a href="{first.get_absolute_url()}">open it</a>' in html
    assert Partnership.objects.count() == 1


def test_a_closed_partnership_does_not_block_a_new_one(admin_client, influencer, campaign):
    PartnershipFactory(influencer=influencer, campaign=campaign, status="declined")
    response = admin_client.post(CREATE, one_off(influencer, campaign))
    assert response.status_code == 302
    assert Partnership.objects.count() == 2


def test_create_is_prefilled_from_the_query_string(admin_client, influencer, campaign):
    response = admin_client.get(f"{CREATE}?influencer={influencer.pk}&campaign={campaign.pk}")
    html = response.content.decode()
    assert f'<option value="{influencer.pk}" selected>Ada Lovelace</option>' in html
    assert f'<option value="{campaign.pk}" selected>Spring launch (Active)</option>' in html


def test_influencer_search_without_javascript(admin_client, influencer):
    """The "Find" button submits the form by GET: matches fill the select, typed values stay."""
    InfluencerFactory(name="Grace Hopper")
    InfluencerFactory(name="Ada Byron")
    response = admin_client.get(
        f"{CREATE}?influencer_q=ada&collaboration_type=long_term&monthly_retainer=700"
    )
    html = response.content.decode()
    assert f'<option value="{influencer.pk}">Ada Lovelace</option>' in html
    assert ">Ada Byron</option>" in html and "Grace Hopper" not in html
    assert re.search(r'value="long_term"[^>]*checked', html)
    assert re.search(r'name="monthly_retainer" value="700"', html)
    assert 'name="influencer_q" value="ada"' in html
    single = admin_client.get(f"{CREATE}?influencer_q=grace").content.decode()
    assert re.search(r'<option value="\d+" selected>Grace Hopper</option>', single)


def test_influencer_search_endpoint(admin_client, influencer):
    url = reverse("partnerships:influencer-search")
    html = admin_client.get(url, {"influencer_q": "ADA"}).content.decode()
    assert f'<option value="{influencer.pk}">Ada Lovelace (20000 followers)</option>' in html
    assert (
        "No influencer matches" in admin_client.get(url, {"influencer_q": "zzz"}).content.decode()
    )


def test_edit_keeps_the_influencer_and_status_and_recomputes_the_value(admin_client, tiers):
    partnership = PartnershipFactory(
        collaboration_type="long_term",
        campaign=None,
        status="active",
        monthly_retainer=Decimal("100"),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 3, 31),
        fee=Decimal("20"),
    )
    url = reverse("partnerships:partnership-update", args=[partnership.pk])
    form = admin_client.get(url).context["form"]
    assert "influencer" not in form.fields and "status" not in form.fields
    assert form.initial["one_time_fee"] == Decimal("20") and form.initial["fee"] is None
    response = admin_client.post(
        url,
        {
            "collaboration_type": "long_term",
            "start_date": "2026-01-01",
            "end_date": "2026-06-30",
            "monthly_retainer": "100",
            "one_time_fee": "20",
            "renewal_reminder_days": "30",
        },
    )
    assert response.status_code == 302
    partnership.refresh_from_db()
    assert partnership.contract_value == Decimal("620")
    assert partnership.status == "active"


def deliverable_data(**extra):
    return {
        "kind": "post",
        "platform": "instagram",
        "status": "planned",
        "impressions": "1000",
        "reach": "800",
        "likes": "10",
        "comments": "0",
        "shares": "0",
        "saves": "0",
        "clicks": "0",
        "conversions": "0",
        "revenue": "0",
        **extra,
    }


def test_deliverable_reach_cannot_exceed_impressions():
    form = DeliverableForm(deliverable_data(reach="1001"))
    assert form.errors == {"reach": ["Reach cannot exceed impressions."]}


@pytest.mark.parametrize(
    "field",
    [
        "impressions",
        "reach",
        "likes",
        "comments",
        "shares",
        "saves",
        "clicks",
        "conversions",
        "revenue",
    ],
)
def test_deliverable_counts_are_non_negative(field):
    form = DeliverableForm(deliverable_data(**{field: "-1"}))
    assert not form.is_valid()
    assert field in form.errors


def test_published_deliverable_needs_date_and_url():
    form = DeliverableForm(deliverable_data(status="published"))
    assert form.errors == {
        "published_on": ["A published deliverable needs its publish date."],
        "url": ["A published deliverable needs its URL."],
    }
    form = DeliverableForm(
        deliverable_data(status="published", published_on="2026-02-01", url="https://x.example/p/1")
    )
    assert form.is_valid(), form.errors


def test_deliverable_added_on_the_partnership_page(admin_client, tiers):
    partnership = PartnershipFactory(status="active")
    url = reverse("partnerships:deliverable-create", args=[partnership.pk])
    response = admin_client.post(url, deliverable_data(reach="5000"))
    assert response.status_code == 200
    assert b"Reach cannot exceed impressions." in response.content
    assert not Deliverable.objects.exists()
    response = admin_client.post(url, deliverable_data())
    assert response.status_code == 302
    assert partnership.deliverables.get().impressions == 1000


def test_deliverable_edit_records_results(admin_client, tiers):
    deliverable = DeliverableFactory()
    url = reverse("partnerships:deliverable-update", args=[deliverable.pk])
    response = admin_client.post(
        url,
        deliverable_data(
            status="published",
            published_on="2026-02-01",
            url="https://x.example/p/1",
            clicks="40",
            revenue="99.50",
        ),
    )
    assert response.status_code == 302
    deliverable.refresh_from_db()
    assert deliverable.clicks == 40 and deliverable.revenue == Decimal("99.50")


@pytest.mark.parametrize(
    "query",
    [
        "influencer=99999999999999999999999",
        "influencer=abc&campaign=-1&owner=x",
        "due_date=31/31/2026&collaboration_type=weird",
        "influencer_q=" + "a" * 500,
    ],
)
def test_hostile_prefill_never_500(admin_client, tiers, query):
    assert admin_client.get(f"{CREATE}?{query}").status_code == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("influencer", "99999999999999999999999"),
        ("expected_deliverables", "99999999999999"),
        ("fee", "1e400"),
        ("renewal_reminder_days", "99999"),
    ],
)
def test_hostile_post_is_refused_beside_the_field(admin_client, influencer, campaign, field, value):
    data = {**one_off(influencer, campaign), field: value}
    if field == "renewal_reminder_days":
        data = {**long_term(influencer), field: value}
    response = admin_client.post(CREATE, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Partnership.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("impressions", "99999999999999999999999"),
        ("revenue", "1e20"),
        ("due_date", "2026-02-30"),
        ("url", "javascript:alert(1)"),
        ("platform", "myspace"),
    ],
)
def test_hostile_deliverable_input_is_refused_beside_the_field(admin_client, tiers, field, value):
    partnership = PartnershipFactory(status="active")
    url = reverse("partnerships:deliverable-create", args=[partnership.pk])
    response = admin_client.post(url, {**deliverable_data(), field: value})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Deliverable.objects.exists()
