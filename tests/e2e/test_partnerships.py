"""Partnerships in a real browser: log a one-off and a long-term partnership (the form follows
the chosen type), move a card on the board, add a deliverable and read CPE and ROI, renew
after confirming and undo it, and the warning before saving into a cancelled campaign."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from partnerships.models import Partnership
from tests.factories import CampaignFactory, InfluencerFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def marketer(tiers):
    return UserFactory(username="mara", is_superuser=True, is_staff=True)


def test_log_a_one_off_partnership(page, live_server, login, marketer):
    ada = InfluencerFactory(name="Ada Lovelace", audience=20_000)
    InfluencerFactory(name="Grace Hopper", audience=3_000)
    CampaignFactory(name="Spring launch")
    login("mara", "correct-horse-battery")
    page.goto(f"{live_server.url}/partnerships/new/")
    one_off, long_term = page.locator("#one-off-fields"), page.locator("#long-term-fields")
    expect(one_off).to_be_hidden()  # the type comes first
    expect(long_term).to_be_hidden()
    page.get_by_label("One-off").check()
    expect(one_off).to_be_visible()
    expect(long_term).to_be_hidden()

    page.get_by_label("Search influencers by name").fill("lovel")
    expect(page.locator("#id_influencer option", has_text="Ada Lovelace")).to_have_count(1)
    page.locator("#id_influencer").select_option(str(ada.pk))
    page.get_by_label("Campaign").select_option(label="Spring launch (Active)")
    page.get_by_label("Due date").fill("2026-05-01")
    page.get_by_role("button", name="Save partnership").click()

    fee_error = page.locator("#div_id_fee .invalid-feedback")
    expect(fee_error).to_have_text("A one-off partnership needs its flat fee.")
    expect(page.locator("#one-off-fields")).to_be_visible()  # the choice survives the error
    page.get_by_label("Flat fee").fill("1500")
    expect(page.locator("#contract-value-preview")).to_contain_text("1,500.00")
    page.get_by_role("button", name="Save partnership").click()

    expect(page.locator("h1")).to_contain_text("Ada Lovelace")
    expect(page.locator("#terms")).to_contain_text("EUR 1,500.00")
    partnership = Partnership.objects.get()
    assert partnership.collaboration_type == "one_off"
    assert partnership.contract_value == Decimal("1500")


def test_log_a_long_term_partnership(page, live_server, login, marketer):
    ada = InfluencerFactory(name="Ada Lovelace", audience=20_000)
    login("mara", "correct-horse-battery")
    page.goto(f"{live_server.url}/partnerships/new/?influencer={ada.pk}")
    page.get_by_label("One-off").check()
    page.get_by_label("Flat fee").fill("999")  # typed, then the type changes: cleared
    page.get_by_label("Long-term (ambassador / retainer)").check()
    expect(page.locator("#one-off-fields")).to_be_hidden()
    expect(page.locator("#long-term-fields")).to_be_visible()
    page.get_by_label("Term starts").fill("2026-01-01")
    page.get_by_label("Term ends").fill("2026-12-31")
    page.get_by_role("button", name="Save partnership").click()
    expect(page.locator("#div_id_monthly_retainer .invalid-feedback")).to_have_text(
        "A long-term partnership needs its monthly retainer."
    )
    page.get_by_label("Monthly retainer").fill("1000")
    page.get_by_label("One-time fee (optional)").fill("250")
    expect(page.locator("#contract-value-preview")).to_contain_text("12,250.00")
    expect(page.locator("#contract-value-preview")).to_contain_text("12 months")
    page.get_by_role("button", name="Save partnership").click()

    expect(page.locator("#terms")).to_contain_text("EUR 12,250.00")
    partnership = Partnership.objects.get()
    assert partnership.collaboration_type == "long_term"
    assert partnership.fee == Decimal("250") and partnership.due_date is None
    assert (partnership.start_date, partnership.end_date) == (date(2026, 1, 1), date(2026, 12, 31))


def test_move_a_card_on_the_board(page, live_server, login, marketer):
    partnership = PartnershipFactory(
        influencer=InfluencerFactory(name="Card mover", audience=5_000), status="negotiating"
    )
    login("mara", "correct-horse-battery")
    page.goto(f"{live_server.url}/partnerships/board/")
    negotiating = page.locator('section[data-status="negotiating"]')
    contracted = page.locator('section[data-status="contracted"]')
    expect(negotiating).to_contain_text("Card mover")
    expect(contracted).not_to_contain_text("Card mover")
    url_before = page.url
    page.get_by_role("button", name="Move Card mover to Contracted").click()
    expect(contracted).to_contain_text("Card mover")
    expect(negotiating).not_to_contain_text("Card mover")
    expect(page.locator(".board-message")).to_contain_text("moved to Contracted")
    assert page.url == url_before  # swapped in place by htmx, no reload
    page.get_by_role("button", name="Move Card mover to Active").click()
    expect(page.locator('section[data-status="active"]')).to_contain_text("Card mover")
    partnership.refresh_from_db()
    assert partnership.status == "active"
    assert partnership.status_changes.count() == 3


def test_add_a_deliverable_and_read_cpe_and_roi(page, live_server, login, marketer):
    partnership = PartnershipFactory(
        influencer=InfluencerFactory(name="Results", audience=5_000),
        status="active",
        fee=Decimal("1000"),
    )
    login("mara", "correct-horse-battery")
    page.goto(f"{live_server.url}/partnerships/{partnership.pk}/")
    expect(page.locator("#metric-cpe")).to_have_text("-")
    page.get_by_role("link", name="Add a deliverable").click()
    page.get_by_label("Platform").select_option("instagram")
    page.get_by_label("Status").select_option("published")
    page.get_by_label("Impressions").fill("40000")
    page.get_by_label("Reach").fill("50000")
    page.get_by_label("Likes").fill("300")
    page.get_by_label("Comments").fill("100")
    page.get_by_label("Shares").fill("50")
    page.get_by_label("Saves").fill("50")
    page.get_by_label("Clicks").fill("100")
    page.get_by_label("Conversions").fill("20")
    page.get_by_label("Revenue").fill("2500")
    page.get_by_role("button", name="Save deliverable").click()
    expect(page.locator("#div_id_reach .invalid-feedback")).to_have_text(
        "Reach cannot exceed impressions."
    )
    expect(page.locator("#div_id_url .invalid-feedback")).to_have_text(
        "A published deliverable needs its URL."
    )
    page.get_by_label("Reach").fill("30000")
    page.get_by_label("Published date").fill("2026-02-01")
    page.get_by_label("URL").fill("https://instagram.example/p/abc")
    page.get_by_role("button", name="Save deliverable").click()

    expect(page).to_have_url(re.compile(rf"/partnerships/{partnership.pk}/"))
    expect(page.locator("#metric-cpe")).to_have_text("2.00")  # 1,000 / 500 engagements
    expect(page.locator("#metric-roi")).to_have_text("150.00%")  # (2,500 - 1,000) / 1,000
    expect(page.locator("#deliverables")).to_contain_text("Published")


def test_the_form_and_the_board_work_without_javascript(browser, live_server, marketer):
    ada = InfluencerFactory(name="Ada Lovelace", audience=20_000)
    CampaignFactory(name="Spring launch")
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("mara")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server.url}/partnerships/new/")
    expect(page.locator("#one-off-fields")).to_be_visible()  # both groups, under headings
    expect(page.locator("#long-term-fields")).to_be_visible()
    page.get_by_label("One-off").check()
    page.get_by_label("Flat fee").fill("800")
    page.get_by_label("Search influencers by name").fill("lovel")
    page.get_by_role("button", name="Find").click()  # a GET that keeps what was typed
    expect(page.get_by_label("Flat fee")).to_have_value("800")
    expect(page.locator("#id_influencer")).to_have_value(str(ada.pk))  # the one match
    page.get_by_label("Campaign").select_option(label="Spring launch (Active)")
    page.get_by_label("Due date").fill("2026-05-01")
    page.get_by_label("Term starts").fill("2026-01-01")  # the other type's: ignored
    page.get_by_role("button", name="Save partnership").click()
    expect(page.locator("#terms")).to_contain_text("EUR 800.00")
    partnership = Partnership.objects.get()
    assert partnership.start_date is None

    page.goto(f"{live_server.url}/partnerships/board/")
    page.get_by_role("button", name="Move Ada Lovelace to Contacted").click()
    expect(page.locator('section[data-status="contacted"]')).to_contain_text("Ada Lovelace")
    expect(page.locator(".board-message")).to_contain_text("moved to Contacted")
    context.close()


def test_renew_after_confirming_then_undo(page, live_server, login, marketer):
    today = date.today()
    current = PartnershipFactory(
        influencer=InfluencerFactory(name="Rita Retainer", audience=20_000),
        collaboration_type="long_term",
        campaign=None,
        status=Partnership.Status.ACTIVE,
        monthly_retainer=Decimal("500"),
        start_date=today - timedelta(days=200),
        end_date=today + timedelta(days=10),
    )
    login("mara", "correct-horse-battery")
    page.goto(f"{live_server.url}/partnerships/renewals/")
    page.get_by_role("link", name="Renew Rita Retainer").click()

    # A confirmation page first: nothing has changed yet.
    expect(page.locator("h1")).to_contain_text("Renew Rita Retainer")
    expect(page.locator("#new-term")).to_contain_text(
        f"{current.end_date + timedelta(days=1):%d %b %Y}"
    )
    assert not Partnership.objects.filter(renewed_from=current).exists()
    page.get_by_role("button", name=re.compile(r"^Renew for")).click()

    expect(page.locator(".alert-success")).to_contain_text("Renewed: the next term runs")
    renewal = Partnership.objects.get(renewed_from=current)
    expect(page).to_have_url(re.compile(rf"/partnerships/{renewal.pk}/$"))
    page.get_by_role("button", name="Undo renewal").click()

    expect(page.locator(".alert-success")).to_contain_text("Renewal undone")
    expect(page).to_have_url(re.compile(rf"/partnerships/{current.pk}/$"))
    assert not Partnership.objects.filter(pk=renewal.pk).exists()
    current.refresh_from_db()
    assert current.status == Partnership.Status.ACTIVE


def test_a_cancelled_campaign_warns_before_saving(page, live_server, login, marketer):
    ada = InfluencerFactory(name="Ada Lovelace", audience=20_000)
    CampaignFactory(name="Called off", status="cancelled")
    login("mara", "correct-horse-battery")
    page.goto(f"{live_server.url}/partnerships/new/?influencer={ada.pk}")
    page.get_by_label("One-off").check()
    page.get_by_label("Campaign").select_option(label="Called off (Cancelled)")
    page.get_by_label("Flat fee").fill("1500")
    page.get_by_label("Due date").fill("2026-05-01")
    page.get_by_role("button", name="Save partnership").click()

    warnings = page.locator("#campaign-warnings")
    expect(warnings).to_contain_text("Called off is cancelled.")
    assert not Partnership.objects.exists()  # a warning: nothing saved yet
    page.get_by_label("Save anyway").check()
    page.get_by_role("button", name="Save partnership").click()

    expect(page.locator("h1")).to_contain_text("Ada Lovelace")
    assert Partnership.objects.get().campaign.name == "Called off"
