"""Two tabs of one browser edit the same influencer: the first save wins, the second is refused
with the other user's value shown, and the database keeps the first save."""

import pytest
from playwright.sync_api import expect

from influencers.models import Influencer
from tests.factories import InfluencerFactory, UserFactory

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
