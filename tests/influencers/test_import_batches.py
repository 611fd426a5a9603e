"""Roster import of many changed rows, written in batches: the audit trail, the version bump and
the all-or-nothing rule hold across batches (each batch smaller than the file here)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from influencers import imports
from influencers.imports import ImportRefused, influencers_import, parse_roster_file
from influencers.models import Influencer, SocialAccount
from tests.factories import NicheFactory, UserFactory
from tests.form_data import form_post_data
from tests.influencers.test_import import confirm, csv_bytes, good_row, preview

ROWS = 25


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    # 25 rows in batches of 4: several statements per table, as 10,000 rows in batches of 1,000.
    monkeypatch.setattr(imports, "BATCH_SIZE", 4)


@pytest.fixture
def importer(db, tiers):
    UserFactory(username="maria")
    NicheFactory(name="Beauty", slug="beauty")
    NicheFactory(name="Fitness", slug="fitness")
    return UserFactory(username="importer", is_superuser=True, is_staff=True)


def run_import(rows, user, name="roster.csv", skip_rows=None):
    parsed = parse_roster_file(filename=name, data=csv_bytes(rows))
    return influencers_import(parsed=parsed, user=user, skip_rows=skip_rows)


def state():
    """Every influencer's fields, totals, version, niches and accounts, by name."""
    people = {}
    for influencer in Influencer.objects.prefetch_related("niches", "accounts"):
        people[influencer.name] = (
            influencer.country,
            influencer.status,
            influencer.followers,
            influencer.engagement_rate,
            influencer.version,
            sorted(niche.slug for niche in influencer.niches.all()),
            sorted((a.handle, a.followers, a.engagement_rate) for a in influencer.accounts.all()),
        )
    return people


def changed_rows():
    """Every row changes: its country, its niches and both accounts' numbers; rows 0-4 keep
    their fields and change only an account."""
    rows = []
    for n in range(ROWS):
        if n < 5:
            rows.append(good_row(n, followers_2=str(4000 + n)))
        else:
            rows.append(
                good_row(
                    n,
                    country="Spain",
                    niches="fitness",
                    followers_1=str(20_000 + n),
                    engagement_rate_1="5",
                    followers_2=str(1000 + n),
                    engagement_rate_2="1.5",
                )
            )
    return rows


def test_many_changed_rows_keep_one_history_row_each_with_the_user_and_bump_versions(importer):
    run_import([good_row(n) for n in range(ROWS)], importer, name="first.csv")
    assert Influencer.objects.count() == ROWS
    assert set(Influencer.objects.values_list("version", flat=True)) == {1}
    marker = Influencer.history.count(), SocialAccount.history.count()

    result = run_import(changed_rows(), importer, name="changes.csv")

    assert (result.created, result.updated, result.changed) == (0, ROWS, ROWS)
    assert result.accounts_updated == 5 + 2 * (ROWS - 5)
    # One "changed" history row per changed influencer and per changed account, by the importer.
    changed = Influencer.history.filter(history_type="~")
    assert changed.count() == ROWS == Influencer.history.count() - marker[0]
    assert sorted(entry.name for entry in changed) == sorted(f"Creator {n}" for n in range(ROWS))
    assert {entry.history_user for entry in changed} == {importer}
    assert {entry.history_change_reason for entry in changed} == {"Roster import: changes.csv"}
    accounts = SocialAccount.history.filter(history_type="~")
    assert accounts.count() == result.accounts_updated
    assert SocialAccount.history.count() - marker[1] == result.accounts_updated
    assert {entry.history_user for entry in accounts} == {importer}
    # The history rows hold the values after the import, totals included.
    last = changed.get(name=f"Creator {ROWS - 1}")
    assert (last.country, last.followers, last.version) == ("Spain", 20_024 + 1_024, 2)

    # Every changed influencer moved to its next version, fields and totals written.
    for influencer in Influencer.objects.all():
        n = int(influencer.name.split()[-1])
        assert influencer.version == 2
        if n < 5:
            assert influencer.country == "France"
            assert influencer.followers == 12_000 + 4000 + n
        else:
            assert influencer.country == "Spain"
            assert influencer.followers == 20_000 + n + 1000 + n
            weighted = (20_000 + n) * 5 + (1000 + n) * Decimal("1.5")
            rate = (weighted / (21_000 + 2 * n)).quantize(Decimal("0.01"))
            assert influencer.engagement_rate == rate
            assert list(influencer.niches.values_list("slug", flat=True)) == ["fitness"]

    # The same file again changes nothing: no history, no version.
    again = run_import(changed_rows(), importer, name="changes.csv")
    assert (again.changed, again.accounts_updated) == (0, 0)
    assert Influencer.history.filter(history_type="~").count() == ROWS
    assert set(Influencer.objects.values_list("version", flat=True)) == {2}


def test_an_edit_form_opened_before_a_batched_import_is_refused(client, importer):
    run_import([good_row(n) for n in range(ROWS)], importer)
    influencer = Influencer.objects.get(name=f"Creator {ROWS - 2}")
    url = reverse("influencers:influencer-update", args=[influencer.pk])
    client.force_login(importer)
    opened = client.get(url)
    data = form_post_data(opened.context["form"], opened.context["formset"])

    run_import(changed_rows(), importer)

    data.update(city="Lyon")
    response = client.post(url, data)
    assert response.status_code == 409
    influencer.refresh_from_db()
    assert (influencer.country, influencer.city, influencer.version) == ("Spain", "", 2)


def test_one_refused_row_among_many_changed_ones_changes_nothing(client, importer):
    run_import([good_row(n) for n in range(ROWS)], importer)
    before = state()
    history = Influencer.history.count(), SocialAccount.history.count()
    rows = changed_rows()
    rows[ROWS - 3] = good_row(ROWS - 3, followers_1="-5")  # the one refused row, late in the file

    with pytest.raises(ImportRefused):
        run_import(rows, importer)
    assert state() == before
    assert (Influencer.history.count(), SocialAccount.history.count()) == history

    # Through the pages too: the confirm refuses and writes nothing.
    client.force_login(importer)
    refused = confirm(client, preview(client, csv_bytes(rows)))
    assert refused.status_code == 400
    assert state() == before
    assert (Influencer.history.count(), SocialAccount.history.count()) == history


def test_skipping_the_refused_row_imports_the_other_changed_rows_in_batches(importer):
    run_import([good_row(n) for n in range(ROWS)], importer)
    rows = changed_rows()
    rows[ROWS - 3] = good_row(ROWS - 3, followers_1="-5")
    refused_row = ROWS - 3 + 2  # the header is row 1

    result = run_import(rows, importer, skip_rows={refused_row})
    assert (result.changed, result.skipped) == (ROWS - 1, 1)
    skipped = Influencer.objects.get(name=f"Creator {ROWS - 3}")
    assert (skipped.country, skipped.version) == ("France", 1)
    assert Influencer.objects.filter(version=2).count() == ROWS - 1
    assert Influencer.history.filter(history_type="~").count() == ROWS - 1
