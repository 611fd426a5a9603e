import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_demo_user_changes_micro_threshold_and_tier_counts_follow(
    page, live_server, login, tiers, default_niches
):
    call_command("seed_demo", "--influencers", "60", stdout=io.StringIO())
    login("demo", "demo-pass-2026")
    page.get_by_role("link", name="Admin").click()
    page.get_by_role("link", name="Tiers").click()

    def count_of(name):
        row = page.locator("#result_list tbody tr", has_text=name)
        return int(row.locator("td.field-influencer_count").inner_text())

    nano_before, micro_before = count_of("Nano"), count_of("Micro")
    assert micro_before > 0
    page.get_by_role("link", name="Micro", exact=True).click()
    page.get_by_label("Min followers").fill("90000")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    expect(page.locator("#result_list")).to_contain_text(re.compile(r"90,000 - 99,999"))
    nano_after, micro_after = count_of("Nano"), count_of("Micro")
    assert micro_after < micro_before
    assert nano_after - nano_before == micro_before - micro_after
