"""Create, edit, delete and archive influencers through the pages, with every form error."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from influencers.models import Influencer, SocialAccount
from tests.factories import InfluencerFactory, NicheFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("influencers:influencer-create")


def form_data(accounts=(), initial=0, **fields):
    data = {
        "name": "Nora Stone",
        "email": "nora@example.com",
        "phone": "",
        "country": "Spain",
        "city": "Madrid",
        "status": "active",
        "owner": "",
        "notes": "",
        "accounts-TOTAL_FORMS": str(len(accounts)),
        "accounts-INITIAL_FORMS": str(initial),
        "accounts-MIN_NUM_FORMS": "0",
        "accounts-MAX_NUM_FORMS": "20",
    }
    data.update(fields)
    for index, account in enumerate(accounts):
        row = {
            "platform": "instagram",
            "handle": "",
            "url": "",
            "followers": "0",
            "engagement_rate": "0",
            **account,
        }
        for name, value in row.items():
            if name == "is_primary" and not value:
                continue
            data[f"accounts-{index}-{name}"] = value
    return data


def field_errors(response, index=None, field=None):
    if index is None:
        return response.context["form"].errors.get(field, [])
    return response.context["formset"].forms[index].errors.get(field, [])


def test_create_with_two_accounts_totals_the_audience_and_shows_the_tier(admin_client, tiers):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    data = form_data(
        accounts=[
            {
                "platform": "instagram",
                "handle": "@nora",
                "followers": "60000",
                "engagement_rate": "2",
            },
            {
                "platform": "tiktok",
                "handle": "nora.tt",
                "followers": "50000",
                "engagement_rate": "8",
                "url": "https://tiktok.com/@nora.tt",
            },
        ],
        niches=[beauty.pk],
    )
    response = admin_client.post(CREATE, data)
    assert response.status_code == 302, response.context and response.context["form"].errors
    influencer = Influencer.objects.get(name="Nora Stone")
    assert response["Location"] == influencer.get_absolute_url()
    assert influencer.followers == 110_000
    # Follower-weighted: (60000 x 2 + 50000 x 8) / 110000 = 4.73
    assert influencer.engagement_rate == Decimal("4.73")
    assert list(influencer.niches.all()) == [beauty]
    assert sorted(influencer.accounts.values_list("handle", flat=True)) == ["nora", "nora.tt"]
    assert influencer.accounts.filter(is_primary=True).count() == 1
    page = admin_client.get(response["Location"]).content.decode()
    assert f'tier-badge tier-{tiers["Macro"].pk}">Macro<' in page


def test_create_page_has_one_empty_account_row(admin_client, tiers):
    response = admin_client.get(CREATE)
    assert response.status_code == 200
    assert len(response.context["formset"].forms) == 1
    assert 'id="account-row-template"' in response.content.decode()


def test_handle_taken_on_the_platform_links_to_its_influencer(admin_client, tiers):
    owner = InfluencerFactory(name="Holder", audience=10, audience__handle="TakenName")
    data = form_data(accounts=[{"handle": "@takenname", "followers": "10"}])
    response = admin_client.post(CREATE, data)
    assert response.status_code == 400
    errors = field_errors(response, 0, "handle")
    assert errors and "already used on Instagram" in errors[0]
    html = response.content.decode()
    assert f'<a href="{owner.get_absolute_url()}">Holder</a>' in html
    assert not Influencer.objects.filter(name="Nora Stone").exists()


def test_same_handle_on_another_platform_is_fine(admin_client, tiers):
    InfluencerFactory(name="Holder", audience=10, audience__handle="shared")
    data = form_data(accounts=[{"platform": "tiktok", "handle": "shared", "followers": "10"}])
    assert admin_client.post(CREATE, data).status_code == 302


@pytest.mark.parametrize(
    ("account", "field", "message"),
    [
        ({"handle": "a", "followers": "-5"}, "followers", "greater than or equal to 0"),
        ({"handle": "a", "engagement_rate": "150"}, "engagement_rate", "less than or equal to 100"),
        ({"handle": "a", "engagement_rate": "-1"}, "engagement_rate", "greater than or equal to 0"),
        ({"handle": "a", "url": "not a url"}, "url", "Enter a valid URL"),
        ({"handle": "@ "}, "handle", "Enter the handle"),
    ],
)
def test_bad_account_values_answer_beside_the_field(admin_client, tiers, account, field, message):
    response = admin_client.post(CREATE, form_data(accounts=[account]))
    assert response.status_code == 400
    errors = field_errors(response, 0, field)
    assert any(message in error for error in errors), errors
    assert message in response.content.decode()
    assert not Influencer.objects.exists()


def test_malformed_email_answers_beside_the_field(admin_client, tiers):
    response = admin_client.post(CREATE, form_data(email="nora@"))
    assert response.status_code == 400
    assert field_errors(response, field="email") == ["Enter a valid email address."]
    assert not Influencer.objects.exists()


def test_same_handle_twice_in_the_form(admin_client, tiers):
    data = form_data(accounts=[{"handle": "dup"}, {"handle": "DUP"}])
    response = admin_client.post(CREATE, data)
    assert response.status_code == 400
    assert field_errors(response, 1, "handle") == ["This handle appears twice on this platform."]


def test_two_primary_accounts_are_refused(admin_client, tiers):
    data = form_data(
        accounts=[
            {"handle": "one", "is_primary": "on"},
            {"platform": "x", "handle": "two", "is_primary": "on"},
        ]
    )
    response = admin_client.post(CREATE, data)
    assert response.status_code == 400
    assert "Mark only one account as primary." in response.content.decode()


def test_one_bad_row_saves_nothing(admin_client, tiers):
    data = form_data(
        accounts=[{"handle": "good", "followers": "5000"}, {"handle": "bad", "followers": "-1"}]
    )
    assert admin_client.post(CREATE, data).status_code == 400
    assert not Influencer.objects.exists()
    assert not SocialAccount.objects.exists()


def test_edit_changes_removes_and_adds_accounts_and_totals_follow(admin_client, tiers):
    influencer = InfluencerFactory(name="Nora Stone", audience=5_000, audience__handle="nora")
    second = SocialAccount.objects.create(
        influencer=influencer, platform="x", handle="nora_x", followers=1_000
    )
    first = influencer.accounts.get(handle="nora")
    url = reverse("influencers:influencer-update", args=[influencer.pk])
    assert admin_client.get(url).status_code == 200
    data = form_data(
        initial=2,
        accounts=[
            {"id": first.pk, "handle": "nora", "followers": "150000", "engagement_rate": "3"},
            {
                "id": second.pk,
                "platform": "x",
                "handle": "nora_x",
                "followers": "1000",
                "DELETE": "on",
            },
            {
                "platform": "youtube",
                "handle": "noratube",
                "followers": "50000",
                "engagement_rate": "1",
                "is_primary": "on",
            },
        ],
        name="Nora S.",
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["formset"].errors
    influencer.refresh_from_db()
    assert influencer.name == "Nora S."
    assert influencer.followers == 200_000
    assert influencer.engagement_rate == Decimal("2.50")
    assert not SocialAccount.objects.filter(pk=second.pk).exists()
    assert influencer.accounts.get(is_primary=True).handle == "noratube"


def test_edit_keeps_its_own_handle(admin_client, tiers):
    influencer = InfluencerFactory(audience=5_000, audience__handle="mine")
    account = influencer.accounts.get()
    url = reverse("influencers:influencer-update", args=[influencer.pk])
    data = form_data(
        initial=1, accounts=[{"id": account.pk, "handle": "MINE", "followers": "6000"}]
    )
    assert admin_client.post(url, data).status_code == 302
    account.refresh_from_db()
    assert account.handle == "MINE" and account.is_primary


def test_create_and_edit_need_the_permissions(client, tiers):
    influencer = InfluencerFactory(audience=10)
    viewer = UserFactory(username="viewer")
    client.force_login(viewer)
    update = reverse("influencers:influencer-update", args=[influencer.pk])
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, form_data()).status_code == 403
    assert client.get(update).status_code == 403
    viewer.user_permissions.add(Permission.objects.get(codename="add_influencer"))
    client.force_login(viewer)
    assert client.get(CREATE).status_code == 200
    assert client.get(update).status_code == 403


def test_delete_without_partnerships_after_confirmation(admin_client, tiers):
    influencer = InfluencerFactory(name="Gone Soon", audience=10)
    url = reverse("influencers:influencer-delete", args=[influencer.pk])
    page = admin_client.get(url).content.decode()
    assert "Yes, delete Gone Soon" in page
    assert Influencer.objects.filter(pk=influencer.pk).exists()
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not Influencer.objects.filter(pk=influencer.pk).exists()


def test_influencer_with_partnerships_cannot_be_deleted_and_is_offered_archiving(
    admin_client, tiers
):
    partnership = PartnershipFactory(influencer__name="Kept")
    influencer = partnership.influencer
    url = reverse("influencers:influencer-delete", args=[influencer.pk])
    page = admin_client.get(url).content.decode()
    assert "cannot be deleted" in page and "1 partnership" in page
    assert reverse("influencers:influencer-archive", args=[influencer.pk]) in page
    assert "Yes, delete" not in page
    response = admin_client.post(url)
    assert response.status_code == 409
    assert "Archive the influencer instead" in response.content.decode()
    assert Influencer.objects.filter(pk=influencer.pk).exists()

    archive = admin_client.post(
        reverse("influencers:influencer-archive", args=[influencer.pk]), {"status": "paused"}
    )
    assert archive.status_code == 302
    influencer.refresh_from_db()
    assert influencer.status == Influencer.Status.PAUSED


def test_archive_refuses_an_unknown_status(admin_client, tiers):
    influencer = InfluencerFactory(audience=10)
    url = reverse("influencers:influencer-archive", args=[influencer.pk])
    assert admin_client.post(url, {"status": "gone"}).status_code == 302
    influencer.refresh_from_db()
    assert influencer.status == Influencer.Status.ACTIVE


def test_delete_needs_the_permission(client, tiers):
    influencer = InfluencerFactory(audience=10)
    client.force_login(UserFactory(username="viewer"))
    assert (
        client.post(reverse("influencers:influencer-delete", args=[influencer.pk])).status_code
        == 403
    )
    assert (
        client.post(reverse("influencers:influencer-archive", args=[influencer.pk])).status_code
        == 403
    )
    assert Influencer.objects.filter(pk=influencer.pk).exists()


def test_a_service_refusal_after_the_form_checks_is_shown_not_a_500(
    admin_client, tiers, monkeypatch
):
    # Another user took the handle between our form check and the save.
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError({"handle": "This handle is already used on this platform."})

    monkeypatch.setattr("influencers.views.influencer_create", refuse)
    response = admin_client.post(CREATE, form_data(accounts=[{"handle": "late"}]))
    assert response.status_code == 400
    assert "This handle is already used on this platform." in response.content.decode()
