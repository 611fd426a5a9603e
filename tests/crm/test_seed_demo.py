import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from campaigns.models import Campaign
from influencers.models import Influencer, SocialAccount
from influencers.tiers import count_by_tier
from partnerships.models import Deliverable, Partnership
from reports.models import PartnershipResults

pytestmark = pytest.mark.django_db


def counts():
    return (
        Influencer.objects.count(),
        SocialAccount.objects.count(),
        Campaign.objects.count(),
        Partnership.objects.count(),
        Deliverable.objects.count(),
        get_user_model().objects.count(),
    )


def test_seed_demo_builds_a_spread_and_runs_twice_without_duplicates(tiers):
    call_command("seed_demo", "--influencers", "120", stdout=io.StringIO())
    first = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == first
    assert first[0] == 120
    assert all(n > 0 for _, n in count_by_tier(Influencer.objects.all())[0])
    types = set(Partnership.objects.values_list("collaboration_type", flat=True))
    assert types == {"one_off", "long_term"}
    assert set(Partnership.objects.values_list("status", flat=True)) == set(Partnership.Status)
    assert not Partnership.objects.filter(
        status__in=Partnership.SIGNED_STATUSES, tier_at_signing__isnull=True
    ).exists()
    assert get_user_model().objects.filter(username="demo", is_staff=True).exists()
    # Audience totals are in step with the accounts.
    sample = Influencer.objects.prefetch_related("accounts")[:20]
    for influencer in sample:
        assert influencer.followers == sum(a.followers for a in influencer.accounts.all())


def test_seed_demo_large_mode_honours_the_sizes(tiers):
    call_command(
        "seed_demo",
        "--influencers",
        "50",
        "--deliverables",
        "333",
        "--batch-size",
        "40",
        stdout=io.StringIO(),
    )
    assert Influencer.objects.count() == 50
    assert Deliverable.objects.count() == 333


@pytest.mark.parametrize("deliverables", ["0", "120"])
def test_seeded_report_rows_are_in_step(tiers, deliverables):
    """The seed calls no refresh: the database keeps the report sums in step with what it
    bulk-inserts (none is fine too)."""
    call_command(
        "seed_demo", "--influencers", "30", "--deliverables", deliverables, stdout=io.StringIO()
    )
    assert PartnershipResults.objects.exists() == (deliverables != "0")
    call_command("reports_check", stdout=io.StringIO())


def test_seed_demo_leaves_an_audit_trail_for_what_it_bulk_created(tiers):
    call_command("seed_demo", "--influencers", "30", stdout=io.StringIO())
    for model in (Influencer, Campaign, Partnership, Deliverable):
        assert model.history.filter(history_type="+").count() == model.objects.count() > 0
    sample = Influencer.history.first()
    assert sample.history_change_reason == "seed_demo"
    assert sample.history_user.username == "demo"


def test_seeded_deliverables_keep_empty_dates_and_text_and_their_totals(tiers):
    # On PostgreSQL the deliverables go in with COPY: an empty date must arrive as NULL and an
    # empty URL as "", and the result totals must match them.
    call_command("seed_demo", "--influencers", "60", stdout=io.StringIO())
    published = Deliverable.objects.filter(status=Deliverable.Status.PUBLISHED)
    unpublished = Deliverable.objects.exclude(status=Deliverable.Status.PUBLISHED)
    assert published.exists() and unpublished.exists()
    assert not published.filter(published_on__isnull=True).exists()
    assert not published.filter(url="").exists()
    assert not unpublished.filter(published_on__isnull=False).exists()
    assert set(unpublished.values_list("url", flat=True)) == {""}
    assert not Deliverable.objects.filter(created_at__isnull=True).exists()
    call_command("reports_check", stdout=io.StringIO())
