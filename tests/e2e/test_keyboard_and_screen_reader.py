"""Keyboard and screen-reader use in a real browser: the skip link, focus after a board move,
live regions that read out board moves, roster counts and influencer search matches, the error
summary after a failed save, keyboard-scrollable tier tables, and text contrast."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from partnerships.models import Partnership
from tests.factories import InfluencerFactory, PartnershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

# WCAG 2.x contrast ratio of an element's text against the first opaque background behind it.
CONTRAST = """element => {
  function rgb(value) {
    const parts = value.match(/[\\d.]+/g).map(Number);
    return {r: parts[0], g: parts[1], b: parts[2], a: parts.length > 3 ? parts[3] : 1};
  }
  function luminance(c) {
    const [r, g, b] = [c.r, c.g, c.b].map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }
  let node = element, background = null;
  while (node && node.nodeType === 1) {
    const colour = rgb(getComputedStyle(node).backgroundColor);
    if (colour.a === 1) { background = colour; break; }
    node = node.parentElement;
  }
  background = background || {r: 255, g: 255, b: 255};
  const [l1, l2] = [luminance(rgb(getComputedStyle(element).color)), luminance(background)];
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}"""


@pytest.fixture
def signed_in(page, live_server, tiers):
    """A logged-in superuser in the browser (the login form has tests of its own)."""
    user = UserFactory(username="kay", is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    return user


def focused_id(page):
    return page.evaluate("document.activeElement && document.activeElement.id")


def mark(page, element_id):
    """Tag an element, to tell later whether it is still the same node (a live region must stay
    in the page to be read out; one swapped in with new text is not)."""
    page.evaluate(f"document.getElementById('{element_id}').dataset.kept = 'yes'")


def test_the_first_tab_reaches_a_skip_link_to_the_main_content(page, live_server, signed_in):
    page.goto(f"{live_server.url}/partnerships/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    assert focused_id(page) == "main"
    page.keyboard.press("Tab")  # the next stop is inside the page, past the navigation
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_a_keyboard_move_on_the_board_keeps_focus_on_the_card_and_is_announced(
    page, live_server, signed_in
):
    partnership = PartnershipFactory(
        influencer=InfluencerFactory(name="Card mover", audience=5_000), status="negotiating"
    )
    page.goto(f"{live_server.url}/partnerships/board/")
    status = page.locator("#board-status")
    expect(status).to_have_attribute("role", "status")
    mark(page, "board-status")
    page.get_by_role("button", name="Move Card mover to Contracted").focus()
    page.keyboard.press("Enter")

    card = page.locator(f'section[data-status="contracted"] #card-{partnership.pk}')
    expect(card).to_be_visible()
    expect(card).to_be_focused()
    expect(status).to_have_text("Card mover: moved to Contracted.")
    assert page.evaluate("document.getElementById('board-status').dataset.kept") == "yes"
    page.keyboard.press("Tab")  # on from the card, into it: its first control
    expect(card.get_by_role("link", name="Card mover")).to_be_focused()

    # Twice in a row: the focus and the announcement follow every move.
    card.get_by_role("button", name="Move Card mover to Active").focus()
    page.keyboard.press("Enter")
    moved = page.locator(f'section[data-status="active"] #card-{partnership.pk}')
    expect(moved).to_be_focused()
    expect(status).to_have_text("Card mover: moved to Active.")
    partnership.refresh_from_db()
    assert partnership.status == Partnership.Status.ACTIVE


def test_roster_filter_results_are_announced_in_a_polite_live_region(page, live_server, signed_in):
    InfluencerFactory(name="Ada Lovelace", audience=20_000)
    InfluencerFactory(name="Grace Hopper", audience=3_000)
    InfluencerFactory(name="Ada Yonath", audience=3_000)
    page.goto(f"{live_server.url}/influencers/")
    status = page.locator("#roster-status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_attribute("role", "status")
    mark(page, "roster-status")

    page.get_by_label("Search").fill("ada")
    expect(status).to_have_text("2 influencers match.")
    page.get_by_label("Search").fill("grace")
    expect(status).to_have_text("1 influencer matches.")
    assert page.evaluate("document.getElementById('roster-status').dataset.kept") == "yes"
    expect(page.locator("#roster-total")).to_contain_text("1 influencer")


def test_a_roster_page_link_leaves_focus_on_the_results(page, live_server, signed_in):
    for number in range(30):
        InfluencerFactory(name=f"Person {number:02}")
    page.goto(f"{live_server.url}/influencers/")
    page.get_by_role("link", name="Next").first.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#roster-results")).to_contain_text("Page 2 of 2")
    expect(page.locator("#roster-results")).to_be_focused()
    expect(page.locator("#roster-status")).to_have_text("30 influencers match.")


def test_the_influencer_search_announces_how_many_match(page, live_server, signed_in):
    InfluencerFactory(name="Ada Lovelace", audience=20_000)
    InfluencerFactory(name="Ada Yonath", audience=3_000)
    page.goto(f"{live_server.url}/partnerships/new/")
    status = page.locator("#id_influencer_matches")
    expect(status).to_have_attribute("role", "status")
    mark(page, "id_influencer_matches")

    page.get_by_label("Search influencers by name").fill("ada")
    expect(status).to_have_text('2 influencers match "ada".')
    expect(page.locator("#id_influencer option", has_text="Ada Yonath")).to_have_count(1)
    page.get_by_label("Search influencers by name").fill("nobody")
    expect(status).to_have_text('No influencer matches "nobody".')
    assert page.evaluate("document.getElementById('id_influencer_matches').dataset.kept") == "yes"


def test_a_failed_save_focuses_an_error_summary_that_links_to_each_field(
    page, live_server, signed_in
):
    page.goto(f"{live_server.url}/partnerships/new/")
    page.get_by_role("button", name="Save partnership").click()

    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("heading")).to_have_text("There is a problem with this form")
    # At the top of the form, before its first field.
    assert page.evaluate(
        "document.getElementById('error-summary').compareDocumentPosition("
        "document.getElementById('id_collaboration_type_0')) & Node.DOCUMENT_POSITION_FOLLOWING"
    )
    # The radio group's error shows beside it, and each radio names it.
    error = page.locator("#id_collaboration_type_error")
    expect(error).to_be_visible()
    expect(error).to_have_text("This field is required.")
    one_off = page.get_by_role("radio", name="One-off")
    expect(one_off).to_have_attribute("aria-invalid", "true")
    expect(one_off).to_have_accessible_description("This field is required.")

    summary.get_by_role("link", name="Collaboration type: This field is required.").click()
    expect(one_off).to_be_focused()
    summary.get_by_role("link", name="Influencer: This field is required.").click()
    expect(page.locator("#id_influencer")).to_be_focused()


def test_the_wide_tier_tables_can_be_scrolled_from_the_keyboard(page, live_server, signed_in):
    page.set_viewport_size({"width": 800, "height": 700})
    page.goto(f"{live_server.url}/reports/tiers/")
    for name in ("By tier", "By tier: long-term vs one-off"):
        region = page.get_by_role("region", name=name, exact=True)
        expect(region).to_have_attribute("tabindex", "0")
        assert region.evaluate("e => e.scrollWidth > e.clientWidth"), f"{name} does not scroll"
        region.focus()
        page.keyboard.press("ArrowRight")
        region.element_handle().wait_for_element_state("stable")
        page.wait_for_function("e => e.scrollLeft > 0", arg=region.element_handle())


def test_status_badges_and_code_samples_have_enough_contrast(page, live_server, signed_in):
    for status in Partnership.Status.values:
        PartnershipFactory(status=status)
    page.goto(f"{live_server.url}/partnerships/")
    badges = page.locator(".status-badge")
    expect(badges.first).to_be_visible()
    ratios = {badge.inner_text(): round(badge.evaluate(CONTRAST), 2) for badge in badges.all()}
    assert set(ratios) >= {"Negotiating", "Contacted", "Prospect"}
    assert all(ratio >= 4.5 for ratio in ratios.values()), ratios

    page.goto(f"{live_server.url}/influencers/import/")
    codes = page.locator("#import-columns code")
    ratios = {round(code.evaluate(CONTRAST), 2) for code in codes.all()}
    assert ratios and min(ratios) >= 4.5, ratios
