"""Roster in a real browser: filter with htmx, and create an influencer with two accounts."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import InfluencerFactory, NicheFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def marketer(tiers):
    return UserFactory(username="m", is_superuser=True, is_staff=True)


def collect_errors(page):
    """Console errors (CSP violations, script errors) and failed requests, favicon aside."""
    errors = []

    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(message.text)

    def on_response(response):
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            errors.append(f"{response.status} {response.url}")

    page.on("console", on_console)
    page.on("response", on_response)
    return errors


def test_filter_the_roster_to_micro_and_one_niche(page, live_server, login, marketer, tiers):
    beauty = NicheFactory(name="Beauty", slug="beauty")
    gaming = NicheFactory(name="Gaming", slug="gaming")
    InfluencerFactory(name="Micro Beauty One", audience=5_000, niches=[beauty])
    InfluencerFactory(name="Micro Beauty Two", audience=80_000, niches=[beauty, gaming])
    InfluencerFactory(name="Nano Beauty", audience=200, niches=[beauty])
    InfluencerFactory(name="Micro Gaming", audience=7_000, niches=[gaming])
    InfluencerFactory(name="Macro Beauty", audience=500_000, niches=[beauty])
    errors = collect_errors(page)

    login("m", "correct-horse-battery")
    page.goto(f"{live_server.url}/influencers/")
    table = page.locator("#roster-table tbody")
    expect(table.locator("tr")).to_have_count(5)

    page.get_by_label("Micro").check()
    expect(table.locator("tr")).to_have_count(3)
    page.get_by_role("checkbox", name="Beauty").check()
    expect(table.locator("tr")).to_have_count(2)
    expect(table).to_contain_text("Micro Beauty One")
    expect(table).to_contain_text("Micro Beauty Two")
    expect(table).not_to_contain_text("Micro Gaming")
    expect(table).not_to_contain_text("Nano Beauty")
    expect(page.locator("#roster-total")).to_contain_text("2 influencers")
    # The per-tier counts follow the niche: 1 Nano, 2 Micro, 1 Macro among Beauty.
    expect(page.locator(f"#tier-count-{tiers['Micro'].pk}")).to_have_text("2")
    expect(page.locator(f"#tier-count-{tiers['Nano'].pk}")).to_have_text("1")
    # The filter state is in the URL, so the page can be bookmarked and reloaded.
    expect(page).to_have_url(re.compile(rf"tier={tiers['Micro'].pk}.*niche={beauty.pk}"))
    page.reload()
    expect(table.locator("tr")).to_have_count(2)
    expect(page.get_by_label("Micro")).to_be_checked()
    # A row's name opens the influencer's own page (not swapped into the results).
    page.get_by_role("link", name="Micro Beauty One").click()
    expect(page.locator("h1")).to_have_text("Micro Beauty One")
    expect(page).to_have_url(re.compile(r"/influencers/\d+/(\?back=[^#]*)?$"))
    assert errors == []


def test_create_an_influencer_with_two_accounts(page, live_server, login, marketer, tiers):
    NicheFactory(name="Fitness", slug="fitness")
    errors = collect_errors(page)
    login("m", "correct-horse-battery")
    page.goto(f"{live_server.url}/influencers/")
    page.get_by_role("link", name="Add influencer").click()

    page.get_by_label("Name").fill("Rita Run")
    page.get_by_label("Email").fill("rita@example.com")
    page.get_by_role("checkbox", name="Fitness").check()
    page.locator("#id_accounts-0-platform").select_option("instagram")
    page.locator("#id_accounts-0-handle").fill("@rita.runs")
    page.locator("#id_accounts-0-followers").fill("70000")
    page.locator("#id_accounts-0-engagement_rate").fill("3.5")
    page.get_by_role("button", name="Add another account").click()
    page.locator("#id_accounts-1-platform").select_option("youtube")
    page.locator("#id_accounts-1-handle").fill("RitaRunsTV")
    page.locator("#id_accounts-1-followers").fill("40000")
    page.locator("#id_accounts-1-engagement_rate").fill("2")
    page.get_by_role("button", name="Save").click()

    expect(page.locator("h1")).to_have_text("Rita Run")
    # 70,000 + 40,000 = 110,000 followers: Macro.
    expect(page.locator("#influencer-tier .tier-badge")).to_have_text("Macro")
    expect(page.locator("#accounts")).to_contain_text("@rita.runs")
    expect(page.locator("#accounts")).to_contain_text("@RitaRunsTV")
    assert errors == []


def test_next_page_swaps_the_results_in_place(page, live_server, login, marketer, tiers):
    for index in range(30):
        InfluencerFactory(name=f"Person {index:02d}", audience=5_000)
    errors = collect_errors(page)
    login("m", "correct-horse-battery")
    page.goto(f"{live_server.url}/influencers/?q=person")
    table = page.locator("#roster-table tbody")
    expect(table.locator("tr")).to_have_count(25)
    # Mark the page: a full reload would lose the mark, an htmx swap keeps it.
    page.evaluate("window.rosterMark = 1")
    page.get_by_role("link", name="Next").first.click()
    expect(table.locator("tr")).to_have_count(5)
    expect(table).to_contain_text("Person 29")
    expect(page).to_have_url(re.compile(r"q=person&page=2"))
    assert page.evaluate("window.rosterMark") == 1
    assert errors == []
