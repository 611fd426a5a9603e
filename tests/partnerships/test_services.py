from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from partnerships.models import Partnership
from partnerships.services import (
    contract_value,
    months_in_term,
    partnership_move,
    partnerships_record_signing_tiers,
)
from tests.factories import InfluencerFactory, PartnershipFactory

pytestmark = pytest.mark.django_db
Status = Partnership.Status


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), 12),
        (date(2026, 1, 1), date(2026, 1, 31), 1),
        (date(2026, 1, 15), date(2026, 2, 14), 1),
        (date(2026, 1, 15), date(2026, 4, 14), 3),
        (date(2026, 3, 1), date(2026, 3, 1), 1),
    ],
)
def test_months_in_term(start, end, months):
    assert months_in_term(start, end) == months


def test_contract_value_per_type():
    assert contract_value(collaboration_type="one_off", fee=Decimal("750")) == Decimal("750")
    assert contract_value(
        collaboration_type="long_term",
        fee=Decimal("200"),
        monthly_retainer=Decimal("1000"),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
    ) == Decimal("6200")


def test_create_clears_the_other_types_fields_and_stores_the_value():
    partnership = PartnershipFactory(
        collaboration_type="long_term",
        campaign=None,
        monthly_retainer=Decimal("300"),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 3, 31),
        due_date=date(2026, 2, 1),
        expected_deliverables=5,
    )
    assert partnership.due_date is None and partnership.expected_deliverables is None
    assert partnership.contract_value == Decimal("900")


def test_pipeline_refuses_skipping_and_final_states(tiers):
    partnership = PartnershipFactory()
    with pytest.raises(ValidationError):
        partnership_move(partnership=partnership, status=Status.COMPLETED)
    for status in (Status.CONTACTED, Status.NEGOTIATING, Status.DECLINED):
        partnership = partnership_move(partnership=partnership, status=status)
    with pytest.raises(ValidationError):
        partnership_move(partnership=partnership, status=Status.NEGOTIATING)
    reopened = partnership_move(partnership=partnership, status=Status.NEGOTIATING, reopen=True)
    assert reopened.status == Status.NEGOTIATING


def test_tier_at_signing_is_recorded_once_and_survives_a_threshold_change(tiers):
    influencer = InfluencerFactory(audience=5_000)
    partnership = PartnershipFactory(influencer=influencer, status=Status.NEGOTIATING)
    assert partnership.tier_at_signing is None
    partnership = partnership_move(partnership=partnership, status=Status.CONTRACTED)
    assert partnership.tier_at_signing == tiers["Micro"]
    assert partnership.signed_on is not None
    tiers["Micro"].min_followers = 10_000
    tiers["Micro"].save()
    partnership = partnership_move(partnership=partnership, status=Status.ACTIVE)
    partnership.refresh_from_db()
    assert partnership.tier_at_signing == tiers["Micro"]


def test_bulk_signing_tiers_in_one_update(tiers, count_queries):
    """One UPDATE for all of them: the same number of queries for 2 partnerships as for 6."""
    big = PartnershipFactory(influencer=InfluencerFactory(audience=200_000))
    small = PartnershipFactory(influencer=InfluencerFactory(audience=50))
    Partnership.objects.update(status=Status.ACTIVE, tier_at_signing=None)
    _, queries = count_queries(
        partnerships_record_signing_tiers, queryset=Partnership.objects.all()
    )
    big.refresh_from_db()
    small.refresh_from_db()
    assert (big.tier_at_signing.name, small.tier_at_signing.name) == ("Macro", "Nano")

    PartnershipFactory.create_batch(4)
    Partnership.objects.update(status=Status.ACTIVE, tier_at_signing=None)
    _, more = count_queries(partnerships_record_signing_tiers, queryset=Partnership.objects.all())
    assert more == queries
