"""Two tabs edit the same influencer (web form or admin), or the same tier, niche or account in
the admin: the second save is refused (409), shows what the first saved, and the database keeps
the first user's data; saving again after seeing it replaces it on purpose."""

import threading
import time

import pytest
from django.db import connection, transaction
from django.urls import reverse

from crm.concurrency import EditConflict
from influencers.models import Influencer, Niche, Tier
from influencers.services import (
    influencer_archive,
    influencer_update,
    influencers_recompute_audience,
)
from tests.factories import InfluencerFactory, NicheFactory, UserFactory
from tests.form_data import admin_form_post_data, form_post_data

pytestmark = pytest.mark.django_db


def edit_url(influencer):
    return reverse("influencers:influencer-update", args=[influencer.pk])


def load(client, influencer):
    response = client.get(edit_url(influencer))
    assert response.status_code == 200
    return form_post_data(response.context["form"], response.context["formset"])


def test_the_second_tab_is_refused_and_shown_the_first_users_values(client, tiers):
    influencer = InfluencerFactory(name="Ana Ruiz", city="London", audience=5000)
    ana = UserFactory(username="ana", is_superuser=True, is_staff=True)
    client.force_login(ana)
    first_tab, second_tab = load(client, influencer), load(client, influencer)
    assert first_tab["version"] == "1"

    first_tab.update(city="Madrid", notes="Agreed rates by phone")
    response = client.post(edit_url(influencer), first_tab)
    assert response.status_code == 302

    second_tab.update(city="Paris")
    response = client.post(edit_url(influencer), second_tab)
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record after you opened it" in page
    rows = dict(response.context["conflict_rows"])
    assert rows == {"City": "Madrid", "Notes": "Agreed rates by phone"}
    assert "Saved by someone else" in page and "Madrid" in page
    # The refused form keeps what this user typed.
    assert response.context["form"]["city"].value() == "Paris"

    influencer.refresh_from_db()
    assert (influencer.city, influencer.notes, influencer.version) == (
        "Madrid",
        "Agreed rates by phone",
        2,
    )


def test_saving_again_after_the_refusal_replaces_their_values_on_purpose(admin_client, tiers):
    influencer = InfluencerFactory(city="London", audience=5000)
    first_tab, second_tab = load(admin_client, influencer), load(admin_client, influencer)
    admin_client.post(edit_url(influencer), {**first_tab, "city": "Madrid"})
    refused = admin_client.post(edit_url(influencer), {**second_tab, "city": "Paris"})
    assert refused.status_code == 409
    # The refused page carries their version now: the next save is a deliberate overwrite.
    assert refused.context["form"]["version"].value() == "2"
    again = form_post_data(refused.context["form"], refused.context["formset"])
    assert admin_client.post(edit_url(influencer), again).status_code == 302
    influencer.refresh_from_db()
    assert (influencer.city, influencer.version) == ("Paris", 3)


def test_their_account_changes_are_shown_too(admin_client, tiers):
    influencer = InfluencerFactory(audience=5000)
    first_tab, second_tab = load(admin_client, influencer), load(admin_client, influencer)
    first_tab["accounts-0-followers"] = "250000"
    assert admin_client.post(edit_url(influencer), first_tab).status_code == 302
    response = admin_client.post(edit_url(influencer), {**second_tab, "city": "Rome"})
    assert response.status_code == 409
    rows = dict(response.context["conflict_rows"])
    assert "250,000 followers" in rows["Social accounts"]
    influencer.refresh_from_db()
    assert influencer.followers == 250000 and influencer.city != "Rome"


def test_an_edit_page_loaded_after_the_change_saves(admin_client, tiers):
    influencer = InfluencerFactory(audience=5000)
    admin_client.post(edit_url(influencer), {**load(admin_client, influencer), "city": "Oslo"})
    response = admin_client.post(
        edit_url(influencer), {**load(admin_client, influencer), "city": "Bergen"}
    )
    assert response.status_code == 302
    influencer.refresh_from_db()
    assert (influencer.city, influencer.version) == ("Bergen", 3)


@pytest.mark.parametrize("forged", ["abc", "0", "-3", "99999999999999999999"])
def test_a_forged_version_is_a_form_error_and_saves_nothing(admin_client, tiers, forged):
    influencer = InfluencerFactory(city="London", audience=5000)
    data = {**load(admin_client, influencer), "city": "Paris", "version": forged}
    response = admin_client.post(edit_url(influencer), data)
    assert response.status_code == 400
    assert "This form is out of date: reload the page." in response.content.decode()
    influencer.refresh_from_db()
    assert (influencer.city, influencer.version) == ("London", 1)


def test_the_service_checks_in_one_conditional_update(tiers, django_assert_num_queries):
    influencer = InfluencerFactory(city="London")
    stale = Influencer.objects.get(pk=influencer.pk)
    influencer_update(influencer=influencer, version=1, city="Madrid")
    with pytest.raises(EditConflict) as refused:
        influencer_update(influencer=stale, version=1, city="Paris")
    assert refused.value.current.city == "Madrid"
    influencer.refresh_from_db()
    assert (influencer.city, influencer.version) == ("Madrid", 2)


def test_writes_that_change_form_fields_bump_the_version_and_audience_totals_do_not(tiers):
    influencer = InfluencerFactory(audience=5000)
    influencers_recompute_audience(queryset=Influencer.objects.filter(pk=influencer.pk))
    influencer.refresh_from_db()
    assert influencer.version == 1  # totals are not on the form: an open form stays valid
    influencer_update(influencer=influencer, city="Madrid")  # unchecked, still bumped
    influencer_archive(influencer=influencer)
    influencer.refresh_from_db()
    assert influencer.version == 3


def admin_url(record):
    return reverse(f"admin:influencers_{record._meta.model_name}_change", args=[record.pk])


def admin_load(client, record):
    response = client.get(admin_url(record))
    assert response.status_code == 200
    assert 'name="version"' in response.content.decode()  # the page carries it
    return admin_form_post_data(response)


def test_an_admin_save_bumps_the_version(admin_client, tiers):
    influencer = InfluencerFactory(city="London")
    form_tab = load(admin_client, influencer)
    url = admin_url(influencer)
    data = admin_load(admin_client, influencer)
    data.update(city="Madrid")
    assert admin_client.post(url, data).status_code == 302
    influencer.refresh_from_db()
    assert (influencer.city, influencer.version) == ("Madrid", 2)
    assert admin_client.post(edit_url(influencer), {**form_tab, "city": "Paris"}).status_code == 409


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_saves_on_postgresql_exactly_one_wins(tiers):
    """The check is the UPDATE's WHERE, not a read then a write: the second save waits on the
    first one's row lock, re-checks the version once it commits, and is refused."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks between two connections: PostgreSQL only")
    pk = InfluencerFactory(city="London").pk
    first_holds_the_row, first_may_commit = threading.Event(), threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                influencer_update(
                    influencer=Influencer.objects.get(pk=pk), version=1, city="Madrid"
                )
                first_holds_the_row.set()
                first_may_commit.wait(10)
        finally:
            connection.close()

    def second():
        stale = Influencer.objects.get(pk=pk)  # loaded before the first commits
        first_holds_the_row.wait(10)
        try:
            influencer_update(influencer=stale, version=1, city="Paris")
            outcome["second"] = "saved"
        except EditConflict as conflict:
            outcome["second"] = f"refused, theirs: {conflict.current.city}"
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_holds_the_row.wait(10)
    time.sleep(0.5)
    assert "second" not in outcome  # waiting on the first save's row lock
    first_may_commit.set()
    for thread in threads:
        thread.join(20)
    assert outcome == {"second": "refused, theirs: Madrid"}
    assert Influencer.objects.values_list("city", "version").get(pk=pk) == ("Madrid", 2)


def test_an_account_deleted_in_the_other_tab_is_explained_as_their_change(admin_client, tiers):
    influencer = InfluencerFactory(city="London", audience=5000)
    first_tab, second_tab = load(admin_client, influencer), load(admin_client, influencer)
    first_tab["accounts-0-DELETE"] = "on"
    assert admin_client.post(edit_url(influencer), first_tab).status_code == 302

    # The second tab still lists the deleted account: its form cannot be valid, and it says why.
    response = admin_client.post(edit_url(influencer), {**second_tab, "city": "Rome"})
    assert response.status_code == 409
    assert "Someone else saved this record after you opened it" in response.content.decode()
    assert dict(response.context["conflict_rows"])["Social accounts"] == "none"
    influencer.refresh_from_db()
    assert (influencer.city, influencer.accounts.count()) == ("London", 0)


# --- The admin ----------------------------------------------------------------------------------


def test_a_stale_admin_influencer_form_is_refused_with_the_web_users_values(admin_client, tiers):
    influencer = InfluencerFactory(name="Ana Ruiz", city="London", audience=5000)
    admin_tab = admin_load(admin_client, influencer)
    web_tab = load(admin_client, influencer)
    assert admin_client.post(edit_url(influencer), {**web_tab, "city": "Madrid"}).status_code == 302

    response = admin_client.post(admin_url(influencer), {**admin_tab, "notes": "VIP"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record after you opened it" in page
    assert 'id="edit-conflict"' in page and "Madrid" in page
    assert dict(response.context["conflict_rows"]) == {"City": "Madrid", "Notes": ""}
    influencer.refresh_from_db()
    assert (influencer.city, influencer.notes, influencer.version) == ("Madrid", "", 2)

    again = admin_form_post_data(response)
    assert admin_client.post(admin_url(influencer), again).status_code == 302
    influencer.refresh_from_db()
    assert (influencer.city, influencer.notes, influencer.version) == ("London", "VIP", 3)


@pytest.mark.parametrize(
    ("model", "make", "field", "theirs", "mine"),
    [
        (Tier, lambda tiers: tiers["Micro"], "name", "Micro+", "Small"),
        (Tier, lambda tiers: tiers["Micro"], "min_followers", 2_000, 5_000),
        (
            Niche,
            lambda tiers: NicheFactory(name="Beauty", slug="beauty"),
            "name",
            "Beauty & care",
            "Skincare",
        ),
    ],
)
def test_a_stale_admin_form_of_a_tier_or_niche_is_refused(
    admin_client, tiers, model, make, field, theirs, mine
):
    record = make(tiers)
    first_tab, second_tab = admin_load(admin_client, record), admin_load(admin_client, record)
    assert first_tab["version"] == "1"
    assert admin_client.post(admin_url(record), {**first_tab, field: theirs}).status_code == 302

    response = admin_client.post(admin_url(record), {**second_tab, field: mine})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Someone else saved this record after you opened it" in page
    assert 'id="edit-conflict"' in page
    label = str(model._meta.get_field(field).verbose_name)
    assert dict(response.context["conflict_rows"]) == {label.capitalize(): theirs}
    record = model.objects.get(pk=record.pk)
    assert (getattr(record, field), record.version) == (theirs, 2)

    again = admin_form_post_data(response)
    assert again["version"] == "2"
    assert admin_client.post(admin_url(record), again).status_code == 302
    record = model.objects.get(pk=record.pk)
    assert (getattr(record, field), record.version) == (mine, 3)


def test_an_admin_account_form_is_guarded_by_its_influencers_version(admin_client, tiers):
    influencer = InfluencerFactory(audience=5000)
    account = influencer.accounts.get()
    admin_tab = admin_load(admin_client, account)
    assert admin_tab["version"] == "1"  # the influencer's: its edit form shows the accounts
    web_tab = load(admin_client, influencer)
    web_tab["accounts-0-followers"] = "250000"
    assert admin_client.post(edit_url(influencer), web_tab).status_code == 302

    response = admin_client.post(admin_url(account), {**admin_tab, "engagement_rate": "9"})
    assert response.status_code == 409
    assert dict(response.context["conflict_rows"]) == {
        "Followers": 250000,
        "Engagement rate %": account.engagement_rate,
    }
    account.refresh_from_db()
    influencer.refresh_from_db()
    assert (account.followers, influencer.followers, influencer.version) == (250000, 250000, 2)

    again = admin_form_post_data(response)
    assert admin_client.post(admin_url(account), again).status_code == 302
    account.refresh_from_db()
    influencer.refresh_from_db()
    assert (account.followers, influencer.followers, influencer.version) == (5000, 5000, 3)
    # An influencer tab opened before the account change is out of date now.
    assert admin_client.post(edit_url(influencer), {**web_tab, "city": "Oslo"}).status_code == 409


def test_an_admin_save_overtaken_between_its_check_and_its_write_is_refused(
    admin_client, tiers, monkeypatch
):
    """The admin checks the version while validating, then claims it in the conditional UPDATE:
    when another save commits between the two (here: the record was read just before it), the
    UPDATE matches no row, nothing is written, and the form comes back refused with their
    values."""
    from influencers.admin import TierAdmin

    tier = tiers["Micro"]
    tab = admin_load(admin_client, tier)
    read_before_their_save = Tier.objects.get(pk=tier.pk)
    colour = tier.color
    Tier.objects.filter(pk=tier.pk).update(name="Micro+", version=2)  # their save
    get_object, reads = TierAdmin.get_object, []

    def first_read_is_stale(self, request, object_id, from_field=None):
        reads.append(object_id)
        if len(reads) == 1:
            return read_before_their_save
        return get_object(self, request, object_id, from_field)

    monkeypatch.setattr(TierAdmin, "get_object", first_read_is_stale)
    response = admin_client.post(admin_url(tier), {**tab, "color": "#123456"})
    assert response.status_code == 409
    assert len(reads) == 2  # refused by the UPDATE, then checked again
    assert dict(response.context["conflict_rows"]) == {"Name": "Micro+", "Badge colour": colour}
    tier.refresh_from_db()
    assert (tier.name, tier.color, tier.version) == ("Micro+", colour, 2)


def test_deleting_accounts_from_the_admin_list_makes_open_influencer_tabs_stale(
    admin_client, tiers
):
    influencer = InfluencerFactory(city="London", audience=5000)
    tab = load(admin_client, influencer)
    response = admin_client.post(
        reverse("admin:influencers_socialaccount_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [influencer.accounts.get().pk],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    response = admin_client.post(edit_url(influencer), {**tab, "city": "Rome"})
    assert response.status_code == 409
    assert dict(response.context["conflict_rows"])["Social accounts"] == "none"
    influencer.refresh_from_db()
    assert (influencer.city, influencer.followers, influencer.version) == ("London", 0, 2)
