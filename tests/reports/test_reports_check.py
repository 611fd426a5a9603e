"""manage.py reports_check: finds derived rows that differ from their definition, and
--rebuild mends them."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import F

from partnerships.models import Deliverable, Partnership
from reports import upkeep
from reports.models import InfluencerResults, PartnershipMonthResults, PartnershipResults
from tests.factories import PartnershipFactory, published_deliverable

pytestmark = pytest.mark.django_db


@pytest.fixture
def deals(tiers):
    partnership = PartnershipFactory(status="active")
    published_deliverable(partnership, "instagram", date(2026, 3, 2), impressions=100, reach=50)
    published_deliverable(partnership, "tiktok", date(2026, 4, 2), impressions=10, reach=5)
    return partnership


def check():
    call_command("reports_check", stdout=io.StringIO())


def test_rows_written_by_the_triggers_are_in_step(deals):
    assert PartnershipResults.objects.get(partnership=deals).impressions == 110
    assert PartnershipMonthResults.objects.filter(partnership=deals).count() == 2
    assert InfluencerResults.objects.get(influencer=deals.influencer).impressions == 110
    check()


@pytest.mark.parametrize(
    "corrupt",
    [
        "UPDATE reports_partnershipmonthresults SET likes = likes + 1",
        "DELETE FROM reports_partnershipmonthresults",
        "UPDATE reports_influencerresults SET first_of_influencer = 0",
        "INSERT INTO reports_partnershipresults (partnership_id, deliverables, impressions, reach,"
        " likes, comments, shares, saves, clicks, conversions, revenue)"
        " VALUES (999999, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0)",
    ],
)
def test_a_row_out_of_step_is_reported_and_rebuilt(deals, corrupt):
    with connection.cursor() as cursor:
        cursor.execute(corrupt)
    with pytest.raises(CommandError, match="out of step"):
        check()
    assert upkeep.out_of_step()
    out = io.StringIO()
    call_command("reports_check", "--rebuild", stdout=out)
    assert "rebuilt" in out.getvalue()
    assert upkeep.out_of_step() == []
    check()


def test_a_version_only_update_leaves_the_derived_rows_in_step(deals):
    """The edit-conflict version bump is an UPDATE of the deliverable and partnership rows: the
    triggers take each row out and put it back, and every sum stays what it was."""
    before = list(PartnershipResults.objects.values())
    Deliverable.objects.filter(partnership=deals).update(version=F("version") + 1)
    Partnership.objects.filter(pk=deals.pk).update(version=F("version") + 1)
    assert list(PartnershipResults.objects.values()) == before
    assert InfluencerResults.objects.get(influencer=deals.influencer).impressions == 110
    check()


@pytest.mark.django_db(transaction=True)
def test_adding_the_deliverable_version_keeps_the_report_triggers(deals):
    """partnerships 0007 adds a column to a table reports/ keeps triggers on. On SQLite, Django's
    own AddField rebuilds the table, which drops its triggers: the sums would stop following."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("partnerships", "0006_signed_report_index")])
    executor = MigrationExecutor(connection)
    executor.migrate(leaves)

    with connection.cursor() as cursor:
        cursor.execute("UPDATE partnerships_deliverable SET impressions = impressions + 1000")
    assert PartnershipResults.objects.get(partnership=deals).impressions == 2110
    assert set(Deliverable.objects.values_list("version", flat=True)) == {1}
    check()
