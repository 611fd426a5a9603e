from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from campaigns.forms import CampaignForm
from campaigns.models import Campaign
from campaigns.services import campaign_create, campaign_update
from tests.factories import CampaignFactory, NicheFactory, UserFactory

pytestmark = pytest.mark.django_db
CREATE_URL = reverse("campaigns:campaign-create")


def form_data(**changes):
    data = {
        "name": "Autumn drop",
        "product": "Knitwear",
        "objective": "conversions",
        "status": "planning",
        "start_date": "2026-09-01",
        "end_date": "2026-10-31",
        "budget": "12000",
        "description": "",
    }
    return {**data, **changes}


def test_create_saves_target_niches_and_redirects_to_the_page(admin_client, admin_user):
    beauty, fitness = NicheFactory(name="Knitting"), NicheFactory(name="Skate")
    NicheFactory(name="Pottery")
    response = admin_client.post(
        CREATE_URL, form_data(target_niches=[beauty.pk, fitness.pk], owner=admin_user.pk)
    )
    campaign = Campaign.objects.get(name="Autumn drop")
    assert response.status_code == 302
    assert response.url == reverse("campaigns:campaign-detail", args=[campaign.pk])
    assert set(campaign.target_niches.values_list("name", flat=True)) == {"Knitting", "Skate"}
    assert campaign.budget == Decimal("12000")
    assert campaign.owner == admin_user
    page = admin_client.get(response.url).content.decode()
    assert "Campaign \u201cAutumn drop\u201d created." in page
    assert "Knitting" in page and "Pottery" not in page


def test_end_before_start_is_refused_beside_the_end_date(admin_client):
    response = admin_client.post(CREATE_URL, form_data(end_date="2026-08-01"))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors == {"end_date": ["The end date cannot be before the start date."]}
    html = response.content.decode()
    # crispy renders the message under the field it belongs to
    assert 'id="error_1_id_end_date"' in html
    assert not Campaign.objects.exists()


def test_negative_budget_is_refused_beside_the_budget(admin_client):
    response = admin_client.post(CREATE_URL, form_data(budget="-5"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["budget"]
    assert "cannot be negative" in response.context["form"].errors["budget"][0]
    assert 'id="error_1_id_budget"' in response.content.decode()
    assert not Campaign.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", ""),
        ("objective", "world_domination"),
        ("start_date", "31/31/2026"),
        ("budget", "lots"),
        ("budget", "1" * 20),
        ("status", ""),
    ],
)
def test_bad_input_is_an_error_beside_its_field_never_a_500(admin_client, field, value):
    response = admin_client.post(CREATE_URL, form_data(**{field: value}))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Campaign.objects.exists()


def test_edit_changes_the_campaign_and_its_niches(admin_client):
    travel, food = NicheFactory(name="Birdwatching"), NicheFactory(name="Origami")
    campaign = CampaignFactory(name="City breaks", budget=Decimal("100"))
    campaign.target_niches.set([travel])
    url = reverse("campaigns:campaign-update", args=[campaign.pk])
    form = admin_client.get(url).context["form"]
    assert form.initial["name"] == "City breaks"
    response = admin_client.post(
        url, form_data(name="City breaks 2026", budget="2500", target_niches=[food.pk])
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "City breaks 2026"
    assert campaign.budget == Decimal("2500")
    assert list(campaign.target_niches.all()) == [food]


def test_edit_refusal_keeps_the_stored_campaign(admin_client):
    campaign = CampaignFactory(name="Keep me", start_date=date(2026, 1, 1), end_date=None)
    url = reverse("campaigns:campaign-update", args=[campaign.pk])
    response = admin_client.post(url, form_data(name="Changed", end_date="2025-12-31"))
    assert "end_date" in response.context["form"].errors
    campaign.refresh_from_db()
    assert campaign.name == "Keep me"


def test_form_offers_only_the_listed_fields():
    assert list(CampaignForm().fields) == [
        "name",
        "product",
        "objective",
        "status",
        "start_date",
        "end_date",
        "budget",
        "target_niches",
        "owner",
        "description",
    ]


def test_services_validate_before_saving(tiers):
    owner = UserFactory()
    niche = NicheFactory()
    campaign = campaign_create(
        name="Launch",
        objective="product_launch",
        start_date=date(2026, 3, 1),
        end_date=date(2026, 3, 31),
        budget=Decimal("500"),
        owner=owner,
        target_niches=[niche],
    )
    assert list(campaign.target_niches.all()) == [niche]
    with pytest.raises(ValidationError) as refused:
        campaign_update(campaign=campaign, end_date=date(2026, 2, 1))
    assert "end after start" in str(refused.value) or "cannot be before" in str(refused.value)
    with pytest.raises(ValidationError):
        campaign_create(name="Broke", objective="awareness", start_date=date(2026, 1, 1), budget=-1)
    campaign.refresh_from_db()
    assert campaign.end_date == date(2026, 3, 31)
    assert Campaign.objects.count() == 1


@pytest.mark.parametrize("bad", ["9" * 30, "-1", "abc", "999999"])
def test_a_forged_niche_id_is_an_error_beside_the_field(admin_client, bad):
    response = admin_client.post(CREATE_URL, form_data(target_niches=[bad]))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["target_niches"]
    assert not Campaign.objects.exists()
