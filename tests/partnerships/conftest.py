from datetime import date
from decimal import Decimal

import pytest

from partnerships.models import Partnership
from tests.factories import (
    CampaignFactory,
    DeliverableFactory,
    InfluencerFactory,
    PartnershipFactory,
)

LONG_TERM = Partnership.CollaborationType.LONG_TERM
Status = Partnership.Status


@pytest.fixture
def spring(tiers):
    """A hand-built campaign: budget 10,000; live partnerships worth 1,000 (Nano, one-off),
    2,000 (Macro, one-off) and 3,000 (Macro, long-term: 500 x 6 months); a declined Mega deal
    worth 9,000 that must count nowhere. Two deliverables on the one-offs, one on the retainer,
    one on the declined deal."""
    campaign = CampaignFactory(name="Spring launch", budget=Decimal("10000"))
    nano = InfluencerFactory(name="Nina Nano", audience=500)
    macro = InfluencerFactory(name="Max Macro", audience=150_000)
    macro_two = InfluencerFactory(name="Mia Macro", audience=400_000)
    mega = InfluencerFactory(name="Mo Mega", audience=2_000_000)
    one_off_nano = PartnershipFactory(
        campaign=campaign, influencer=nano, fee=Decimal("1000"), status=Status.ACTIVE
    )
    one_off_macro = PartnershipFactory(
        campaign=campaign, influencer=macro, fee=Decimal("2000"), status=Status.NEGOTIATING
    )
    retainer = PartnershipFactory(
        campaign=campaign,
        influencer=macro_two,
        collaboration_type=LONG_TERM,
        monthly_retainer=Decimal("500"),
        start_date=date(2026, 1, 1),
        end_date=date(2026, 6, 30),
        status=Status.ACTIVE,
    )
    declined = PartnershipFactory(
        campaign=campaign, influencer=mega, fee=Decimal("9000"), status=Status.DECLINED
    )
    DeliverableFactory(
        partnership=one_off_nano,
        impressions=10_000,
        reach=8_000,
        likes=300,
        comments=50,
        shares=30,
        saves=20,
        clicks=100,
        conversions=4,
        revenue=Decimal("600"),
    )
    DeliverableFactory(
        partnership=one_off_macro,
        impressions=30_000,
        reach=12_000,
        likes=1_000,
        comments=200,
        shares=100,
        saves=100,
        clicks=300,
        conversions=11,
        revenue=Decimal("2400"),
    )
    DeliverableFactory(
        partnership=retainer,
        impressions=60_000,
        reach=40_000,
        likes=2_500,
        comments=300,
        shares=100,
        saves=100,
        clicks=600,
        conversions=15,
        revenue=Decimal("6000"),
    )
    DeliverableFactory(
        partnership=declined, impressions=1_000_000, likes=99_999, revenue=Decimal("99999")
    )
    return {
        "campaign": campaign,
        "one_off_nano": one_off_nano,
        "one_off_macro": one_off_macro,
        "retainer": retainer,
        "declined": declined,
    }
