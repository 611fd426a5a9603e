"""Two tabs edit the same partnership's terms, or the same deliverable's results (web form or
admin): the second save is refused (409), shows what the first saved, and the database keeps the
first user's data; saving again after seeing it replaces it on purpose."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from crm.concurrency import EditConflict
from partnerships.models import Deliverable, Partnership
from partnerships.services import deliverable_update, partnership_move, partnership_update
from reports.models import PartnershipResults
from tests.factories import DeliverableFactory, PartnershipFactory, published_deliverable
from tests.form_data import admin_form_post_data, form_post_data

pytestmark = pytest.mark.django_db
Status = Partnership.Status


def one_off(**fields):
    return PartnershipFactory(due_date=date.today() + timedelta(days=20), **fields)


def edit_url(partnership):
    return reverse("partnerships:partnership-update", args=[partnership.pk])


def load(client, partnership):
    response = client.get(edit_url(partnership))
    assert response.status_code == 200
    assert 'name="version"' in response.content.decode()
    return form_post_data(response.context["form"])


def test_the_second_tab_is_refused_and_shown_the_first_users_values(admin_client, tiers):
    partnership = one_off(fee=Decimal("1000"), terms="Two reels")
    first_tab, second_tab = load(admin_client, partnership), load(admin_client, partnership)

    first_tab.update(fee="1500.00", terms="Two reels and a story")
    response = admin_client.post(edit_url(partnership), first_tab)
    assert response.status_code == 302

    second_tab.update(fee="900.00")
    response = admin_client.post(edit_url(partnership), second_tab)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record after you opened it" in page
    assert dict(response.context["conflict_rows"]) == {
        "Flat fee": Decimal("1500.00"),
        "Terms": "Two reels and a story",
    }
    assert 'id="edit-conflict"' in page and "Two reels and a story" in page
    assert response.context["form"]["fee"].value() == "900.00"  # what this user typed stays

    partnership.refresh_from_db()
    assert (partnership.fee, partnership.terms, partnership.version) == (
        Decimal("1500.00"),
        "Two reels and a story",
        2,
    )
    assert partnership.contract_value == Decimal("1500.00")


def test_saving_again_after_the_refusal_replaces_their_values_on_purpose(admin_client, tiers):
    partnership = one_off(fee=Decimal("1000"))
    first_tab, second_tab = load(admin_client, partnership), load(admin_client, partnership)
    admin_client.post(edit_url(partnership), {**first_tab, "fee": "1500"})
    refused = admin_client.post(edit_url(partnership), {**second_tab, "fee": "900"})
    assert refused.status_code == 409
    again = form_post_data(refused.context["form"])
    assert again["version"] == "2"
    assert admin_client.post(edit_url(partnership), again).status_code == 302
    partnership.refresh_from_db()
    assert (partnership.fee, partnership.version) == (Decimal("900"), 3)


def test_a_pipeline_move_does_not_refuse_an_open_terms_edit(admin_client, tiers):
    partnership = one_off(status=Status.PROSPECT, fee=Decimal("1000"))
    tab = load(admin_client, partnership)
    partnership_move(partnership=partnership, status=Status.CONTACTED)
    assert admin_client.post(edit_url(partnership), {**tab, "fee": "1200"}).status_code == 302
    partnership.refresh_from_db()
    assert (partnership.status, partnership.fee) == (Status.CONTACTED, Decimal("1200"))


def test_a_long_term_conflict_names_the_term_fields(admin_client, tiers):
    partnership = PartnershipFactory(collaboration_type="long_term")
    first_tab, second_tab = load(admin_client, partnership), load(admin_client, partnership)
    later = (date.today() + timedelta(days=400)).isoformat()
    admin_client.post(edit_url(partnership), {**first_tab, "end_date": later})
    response = admin_client.post(edit_url(partnership), {**second_tab, "exclusivity": "on"})
    assert response.status_code == 409
    assert "<td>No</td>" in response.content.decode()
    # Every field where the saved record differs from this form: their change, and this user's.
    rows = dict(response.context["conflict_rows"])
    assert list(rows) == ["Term ends", "Exclusivity"] and rows["Exclusivity"] == "No"
    partnership.refresh_from_db()
    assert partnership.end_date.isoformat() == later and not partnership.exclusivity
    assert rows["Term ends"] == partnership.end_date


def test_the_service_refuses_a_stale_version_and_writes_nothing(tiers):
    partnership = one_off(fee=Decimal("1000"))
    stale = Partnership.objects.get(pk=partnership.pk)
    partnership_update(partnership=partnership, version=1, fee=Decimal("1500"))
    with pytest.raises(EditConflict) as refused:
        partnership_update(partnership=stale, version=1, fee=Decimal("900"))
    assert refused.value.current.fee == Decimal("1500")
    partnership.refresh_from_db()
    assert (partnership.fee, partnership.contract_value) == (Decimal("1500"), Decimal("1500"))


def admin_url(record):
    return reverse(f"admin:partnerships_{record._meta.model_name}_change", args=[record.pk])


def admin_load(client, record):
    response = client.get(admin_url(record))
    assert response.status_code == 200
    assert 'name="version"' in response.content.decode()  # the page carries it
    return admin_form_post_data(response)


def test_an_admin_save_bumps_the_version(admin_client, tiers):
    partnership = one_off(fee=Decimal("1000"))
    tab = load(admin_client, partnership)
    url = admin_url(partnership)
    data = admin_load(admin_client, partnership)
    data.update(fee="1750")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    partnership.refresh_from_db()
    assert (partnership.fee, partnership.version) == (Decimal("1750"), 2)
    assert admin_client.post(edit_url(partnership), {**tab, "fee": "10"}).status_code == 409


def test_a_stale_admin_partnership_form_is_refused_with_the_web_users_values(admin_client, tiers):
    partnership = one_off(fee=Decimal("1000"), terms="Two reels")
    admin_tab = admin_load(admin_client, partnership)
    web_tab = load(admin_client, partnership)
    assert (
        admin_client.post(edit_url(partnership), {**web_tab, "terms": "Three reels"}).status_code
        == 302
    )

    response = admin_client.post(admin_url(partnership), {**admin_tab, "fee": "800"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record after you opened it" in page
    assert 'id="edit-conflict"' in page and "Three reels" in page
    # Where the saved record differs from this form: their terms, and this user's own fee.
    assert dict(response.context["conflict_rows"]) == {
        "Fee": Decimal("1000.00"),
        "Terms": "Three reels",
    }
    partnership.refresh_from_db()
    assert (partnership.fee, partnership.terms, partnership.version) == (
        Decimal("1000.00"),
        "Three reels",
        2,
    )

    again = admin_form_post_data(response)  # the refused page, now carrying their version
    assert admin_client.post(admin_url(partnership), again).status_code == 302
    partnership.refresh_from_db()
    assert (partnership.fee, partnership.terms) == (Decimal("800"), "Two reels")


def test_the_admin_cannot_put_back_a_pipeline_move(admin_client, tiers):
    partnership = one_off(status=Status.PROSPECT)
    admin_tab = admin_load(admin_client, partnership)
    partnership_move(partnership=partnership, status=Status.CONTACTED)
    response = admin_client.post(
        admin_url(partnership), {**admin_tab, "status": Status.PROSPECT, "terms": "Call back"}
    )
    assert response.status_code == 302  # the status is shown read only: not part of the form
    partnership.refresh_from_db()
    assert (partnership.status, partnership.terms) == (Status.CONTACTED, "Call back")


# --- Deliverables ---------------------------------------------------------------------------


def deliverable_url(deliverable):
    return reverse("partnerships:deliverable-update", args=[deliverable.pk])


def load_deliverable(client, deliverable):
    response = client.get(deliverable_url(deliverable))
    assert response.status_code == 200
    assert 'name="version"' in response.content.decode()
    return form_post_data(response.context["form"])


@pytest.fixture
def posted(tiers):
    """A published deliverable with 50 clicks, counted in its partnership's report sums."""
    partnership = one_off(status=Status.ACTIVE)
    return published_deliverable(partnership, "instagram", date.today(), clicks=50)


def test_a_stale_deliverable_tab_cannot_put_clicks_back(admin_client, posted):
    """Issue #16: a stale tab put clicks back from 777 to 118 in 20 of 20 rounds."""
    first_tab = load_deliverable(admin_client, posted)
    stale_tab = load_deliverable(admin_client, posted)
    response = admin_client.post(deliverable_url(posted), {**first_tab, "clicks": "777"})
    assert response.status_code == 302

    response = admin_client.post(deliverable_url(posted), {**stale_tab, "clicks": "118"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record after you opened it" in page
    assert 'id="edit-conflict"' in page
    assert dict(response.context["conflict_rows"]) == {"Clicks": 777}
    assert response.context["form"]["clicks"].value() == "118"  # what this user typed stays
    posted.refresh_from_db()
    assert (posted.clicks, posted.version) == (777, 2)
    assert PartnershipResults.objects.get(partnership=posted.partnership).clicks == 777


def test_saving_the_deliverable_again_after_the_refusal_replaces_their_clicks(admin_client, posted):
    first_tab = load_deliverable(admin_client, posted)
    stale_tab = load_deliverable(admin_client, posted)
    admin_client.post(deliverable_url(posted), {**first_tab, "clicks": "777"})
    refused = admin_client.post(deliverable_url(posted), {**stale_tab, "clicks": "118"})
    assert refused.status_code == 409
    again = form_post_data(refused.context["form"])
    assert (again["version"], again["clicks"]) == ("2", "118")
    assert admin_client.post(deliverable_url(posted), again).status_code == 302
    posted.refresh_from_db()
    assert (posted.clicks, posted.version) == (118, 3)
    assert PartnershipResults.objects.get(partnership=posted.partnership).clicks == 118


def test_an_invalid_stale_deliverable_form_says_who_changed_it(admin_client, posted):
    first_tab = load_deliverable(admin_client, posted)
    stale_tab = load_deliverable(admin_client, posted)
    admin_client.post(deliverable_url(posted), {**first_tab, "impressions": "900", "reach": "800"})
    response = admin_client.post(deliverable_url(posted), {**stale_tab, "reach": "5000"})
    assert response.status_code == 409
    assert "Reach cannot exceed impressions." in response.content.decode()
    assert dict(response.context["conflict_rows"]) == {"Impressions": 900}


def test_the_deliverable_service_refuses_a_stale_version_and_writes_nothing(posted):
    stale = Deliverable.objects.get(pk=posted.pk)
    deliverable_update(deliverable=posted, version=1, clicks=777)
    with pytest.raises(EditConflict) as refused:
        deliverable_update(deliverable=stale, version=1, clicks=118)
    assert refused.value.current.clicks == 777
    posted.refresh_from_db()
    assert (posted.clicks, posted.version) == (777, 2)
    deliverable_update(deliverable=posted, status="missed", published_on=None, url="")
    posted.refresh_from_db()
    assert posted.version == 3  # a save without a version is not checked but still bumps


def test_a_stale_deliverable_admin_form_is_refused(admin_client, posted):
    admin_tab = admin_load(admin_client, posted)
    admin_client.post(
        deliverable_url(posted), {**load_deliverable(admin_client, posted), "clicks": "777"}
    )
    response = admin_client.post(admin_url(posted), {**admin_tab, "clicks": "118"})
    assert response.status_code == 409
    assert dict(response.context["conflict_rows"]) == {"Clicks": 777}
    assert 'id="edit-conflict"' in response.content.decode()
    posted.refresh_from_db()
    assert (posted.clicks, posted.version) == (777, 2)

    again = admin_form_post_data(response)
    assert admin_client.post(admin_url(posted), again).status_code == 302
    posted.refresh_from_db()
    assert (posted.clicks, posted.version) == (118, 3)


def test_an_admin_deliverable_save_refuses_an_open_web_tab(admin_client, posted):
    web_tab = load_deliverable(admin_client, posted)
    admin_tab = admin_load(admin_client, posted)
    assert admin_client.post(admin_url(posted), {**admin_tab, "clicks": "777"}).status_code == 302
    response = admin_client.post(deliverable_url(posted), {**web_tab, "clicks": "118"})
    assert response.status_code == 409
    posted.refresh_from_db()
    assert (posted.clicks, posted.version) == (777, 2)


def test_a_stale_deliverable_row_in_the_partnership_admin_is_refused(admin_client, posted):
    partnership = posted.partnership
    other = DeliverableFactory(partnership=partnership, platform="tiktok")
    response = admin_client.get(admin_url(partnership))
    page = response.content.decode()
    assert 'name="deliverables-0-version"' in page and 'name="deliverables-1-version"' in page
    admin_tab = admin_form_post_data(response)
    admin_client.post(
        deliverable_url(posted), {**load_deliverable(admin_client, posted), "clicks": "777"}
    )

    # The admin user only edits the partnership's terms; the stale row would put 50 clicks back.
    response = admin_client.post(admin_url(partnership), {**admin_tab, "terms": "Reels"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record after you opened it" in page
    assert dict(response.context["conflict_rows"]) == {
        "deliverable \u201cPost on Instagram\u201d: Clicks": 777
    }
    posted.refresh_from_db()
    partnership.refresh_from_db()
    assert (posted.clicks, posted.version, partnership.terms) == (777, 2, "")
    assert PartnershipResults.objects.get(partnership=partnership).clicks == 777

    # Saving the refused page again is deliberate: their row's version is now in it.
    again = admin_form_post_data(response)
    assert admin_client.post(admin_url(partnership), again).status_code == 302
    posted.refresh_from_db()
    other.refresh_from_db()
    partnership.refresh_from_db()
    assert (posted.clicks, posted.version, partnership.terms) == (50, 3, "Reels")
    assert other.version == 1  # unchanged rows are not written


def test_a_deliverable_row_saved_in_the_partnership_admin_bumps_its_version(admin_client, posted):
    web_tab = load_deliverable(admin_client, posted)
    data = admin_load(admin_client, posted.partnership)
    data["deliverables-0-clicks"] = "777"
    assert admin_client.post(admin_url(posted.partnership), data).status_code == 302
    posted.refresh_from_db()
    assert (posted.clicks, posted.version) == (777, 2)
    response = admin_client.post(deliverable_url(posted), {**web_tab, "clicks": "118"})
    assert response.status_code == 409
