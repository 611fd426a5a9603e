"""Two tabs of one browser edit the same influencer, or the same deliverable: the first save
wins, the second is refused with the other user's value shown, and the database keeps the first
save."""

from datetime import date

import pytest
from playwright.sync_api import expect

from influencers.models import Influencer
from partnerships.models import Partnership
from reports.models import PartnershipResults
from tests.factories import (
    InfluencerFactory,
    PartnershipFactory,
    UserFactory,
    published_deliverable,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_second_tab_is_refused_and_shows_the_first_save(page, live_server, login, tiers):
    UserFactory(username="mara", is_superuser=True, is_staff=True)
    influencer = InfluencerFactory(name="Ada Lovelace", city="London", audience=20_000)
    login("mara", "correct-horse-battery")
    edit_url = f"{live_server.url}/influencers/{influencer.pk}/edit/"

    first = page
    second = page.context.new_page()
    first.goto(edit_url)
    second.goto(edit_url)

    first.get_by_label("City").fill("Madrid")
    first.get_by_role("button", name="Save").click()
    expect(first.locator("h1")).to_have_text("Ada Lovelace")  # the detail page
    expect(first.get_by_text("Ada Lovelace saved.")).to_be_visible()

    second.get_by_label("City").fill("Paris")
    second.get_by_role("button", name="Save").click()
    refusal = second.get_by_text("Someone else saved this record after you opened it")
    expect(refusal).to_have_count(1)  # said once, above the form
    expect(refusal).to_be_visible()
    conflict = second.locator("#edit-conflict")
    expect(conflict).to_contain_text("Saved by someone else")
    expect(conflict.get_by_role("row", name="City Madrid")).to_be_visible()
    expect(second.get_by_label("City")).to_have_value("Paris")  # their typing is kept

    influencer.refresh_from_db()
    assert (influencer.city, influencer.version) == ("Madrid", 2)
    assert Influencer.objects.filter(city="Paris").count() == 0


def test_a_stale_deliverable_tab_cannot_put_clicks_back(page, live_server, login, tiers):
    """Issue #16: clicks 777 saved in one tab; the stale tab posting 118 is refused."""
    UserFactory(username="mara", is_superuser=True, is_staff=True)
    partnership = PartnershipFactory(status=Partnership.Status.ACTIVE)
    deliverable = published_deliverable(partnership, "instagram", date.today(), clicks=50)
    login("mara", "correct-horse-battery")
    edit_url = f"{live_server.url}/partnerships/deliverables/{deliverable.pk}/edit/"

    first = page
    second = page.context.new_page()
    first.goto(edit_url)
    second.goto(edit_url)

    first.get_by_label("Clicks").fill("777")
    first.get_by_role("button", name="Save deliverable").click()
    expect(first.get_by_text("Deliverable saved")).to_be_visible()

    second.get_by_label("Clicks").fill("118")
    second.get_by_role("button", name="Save deliverable").click()
    refusal = second.get_by_text("Someone else saved this record after you opened it")
    expect(refusal).to_have_count(1)
    expect(refusal).to_be_visible()
    conflict = second.locator("#edit-conflict")
    expect(conflict.get_by_role("row", name="Clicks 777")).to_be_visible()
    expect(second.get_by_label("Clicks")).to_have_value("118")  # their typing is kept

    deliverable.refresh_from_db()
    assert (deliverable.clicks, deliverable.version) == (777, 2)
    assert PartnershipResults.objects.get(partnership=partnership).clicks == 777

    # Saving again, having seen their 777, replaces it on purpose.
    second.get_by_role("button", name="Save deliverable").click()
    expect(second.get_by_text("Deliverable saved")).to_be_visible()
    deliverable.refresh_from_db()
    assert (deliverable.clicks, deliverable.version) == (118, 3)


def test_a_stale_admin_deliverable_row_is_refused(page, live_server, login, tiers):
    """The partnership admin shows its deliverables as rows: a row loaded before someone else's
    save is refused, not saved back, even when only the partnership's terms were typed."""
    UserFactory(username="mara", is_superuser=True, is_staff=True)
    partnership = PartnershipFactory(status=Partnership.Status.ACTIVE)
    deliverable = published_deliverable(partnership, "instagram", date.today(), clicks=50)
    login("mara", "correct-horse-battery")
    admin_url = f"{live_server.url}/admin/partnerships/partnership/{partnership.pk}/change/"
    edit_url = f"{live_server.url}/partnerships/deliverables/{deliverable.pk}/edit/"

    admin_tab = page
    admin_tab.goto(admin_url)
    web_tab = page.context.new_page()
    web_tab.goto(edit_url)
    web_tab.get_by_label("Clicks").fill("777")
    web_tab.get_by_role("button", name="Save deliverable").click()
    expect(web_tab.get_by_text("Deliverable saved")).to_be_visible()

    admin_tab.get_by_label("Terms").fill("Two reels")
    admin_tab.get_by_role("button", name="Save", exact=True).click()
    expect(
        admin_tab.get_by_text("Someone else saved this record after you opened it")
    ).to_be_visible()
    conflict = admin_tab.locator("#edit-conflict")
    expect(conflict).to_contain_text("Saved by someone else")
    expect(
        conflict.get_by_role("row", name="Deliverable “Post on Instagram”: Clicks 777")
    ).to_be_visible()

    deliverable.refresh_from_db()
    partnership.refresh_from_db()
    assert (deliverable.clicks, deliverable.version, partnership.terms) == (777, 2, "")
