"""Two tabs edit the same partnership's terms: the second save is refused, shows what the first
saved, and the database keeps the first user's data."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse

from crm.concurrency import EditConflict
from partnerships.models import Partnership
from partnerships.services import partnership_move, partnership_update
from tests.factories import PartnershipFactory
from tests.form_data import form_post_data

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


def test_an_admin_save_bumps_the_version(admin_client, tiers):
    partnership = one_off(fee=Decimal("1000"))
    tab = load(admin_client, partnership)
    url = reverse("admin:partnerships_partnership_change", args=[partnership.pk])
    response = admin_client.get(url)
    inlines = [inline.formset for inline in response.context["inline_admin_formsets"]]
    data = form_post_data(response.context["adminform"].form, *inlines)
    data.update(fee="1750")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    partnership.refresh_from_db()
    assert (partnership.fee, partnership.version) == (Decimal("1750"), 2)
    assert admin_client.post(edit_url(partnership), {**tab, "fee": "10"}).status_code == 409
