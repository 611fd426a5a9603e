"""The same deliverable's engagement rate, read in a real browser on the partnership page and on
the influencer page: the same figure beside the same basis label (issue #17)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.factories import DeliverableFactory, InfluencerFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
LABELS = ("Engagement rate (by followers)", "Engagement rate (by reach)")


def figure_after(page, label):
    """The figure a reader finds beside ``label``: a table cell after its heading, or the
    definition after its term."""
    return page.locator(
        f"xpath=//th[normalize-space()='{label}']/following-sibling::td[1]"
        f" | //dt[normalize-space()='{label}']/following-sibling::dd[1]"
    )


def test_partnership_and_influencer_pages_show_the_same_labelled_engagement_rate(
    page, live_server, login, tiers
):
    UserFactory(username="mara", is_superuser=True, is_staff=True)
    ivy = InfluencerFactory(name="Ivy Micro", audience=99_999)
    partnership = PartnershipFactory(influencer=ivy, fee=Decimal("1200"), status="active")
    DeliverableFactory(
        partnership=partnership,
        status="published",
        published_on=date(2026, 11, 2),
        url="https://example.com/post",
        impressions=40_000,
        reach=30_000,
        likes=6_500,
        comments=1_200,
        shares=400,
        saves=270,
    )  # 8,370 engagements: 8.37% of 99,999 followers, 27.90% of a reach of 30,000
    login("mara", "correct-horse-battery")

    page.goto(live_server.url + reverse("partnerships:partnership-detail", args=[partnership.pk]))
    on_partnership = {label: figure_after(page, label).inner_text() for label in LABELS}
    assert on_partnership == {LABELS[0]: "8.37%", LABELS[1]: "27.90%"}
    # 99,999 followers read 99.9K, never "100K" beside a Micro badge.
    expect(page.get_by_text("99.9K followers")).to_be_visible()

    page.goto(live_server.url + reverse("influencers:influencer-detail", args=[ivy.pk]))
    on_influencer = {label: figure_after(page, label).inner_text() for label in LABELS}
    assert on_influencer == on_partnership
