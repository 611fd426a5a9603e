"""axe-core over every page family: 0 violations at WCAG 2.1 AA (tags wcag2a, wcag2aa, wcag21a,
wcag21aa), one test per page, forms also with their errors shown.

axe is vendored (tests/e2e/vendor/axe-core, see its README) and injected into each page by
Playwright. add_script_tag(path=...) inserts an inline <script>, which the app's Content Security
Policy (script-src 'self') refuses, so these tests, and only these, open their browser context with
bypass_csp=True. The policy governs which scripts run, not what the page shows, so axe still sees
the page a user gets.
"""

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from partnerships.models import Partnership
from tests.factories import (
    CampaignFactory,
    DeliverableFactory,
    InfluencerFactory,
    NicheFactory,
    PartnershipFactory,
    UserFactory,
    published_deliverable,
)

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.browser_context_args(bypass_csp=True),
]

IMPORT_CSV = (
    "name,email,niches,platform_1,handle_1,followers_1,engagement_rate_1\n"
    "Good One,good1@example.com,Beauty,Instagram,@goodone,12000,3.5\n"
    "Bad Rate,bad@example.com,beauty,TikTok,@badrate,5000,250\n"
)


def axe_violations(page):
    """Run axe on the page as it is now; [(rule id, impact, [targets])] of every violation."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    return [
        (v["id"], v["impact"], [node["target"] for node in v["nodes"]])
        for v in result["violations"]
    ]


def assert_no_violations(page):
    violations = axe_violations(page)
    assert violations == [], "\n".join(
        f"{rule} ({impact}): {targets}" for rule, impact, targets in violations
    )


@pytest.fixture
def crm_data(tiers):
    """A small CRM with something on every page: partnerships in every stage (so the board shows
    moves and reopen buttons), a long-term deal due for renewal, deliverables with results."""
    niche = NicheFactory(name="Beauty", slug="beauty")
    campaign = CampaignFactory(name="Spring launch")
    ada = InfluencerFactory(name="Ada Lovelace", audience=250_000, niches=[niche])
    deals = {}
    for number, status in enumerate(Partnership.Status.values):
        deals[status] = PartnershipFactory(
            influencer=InfluencerFactory(name=f"Creator {number}", audience=5_000 * (number + 1)),
            campaign=campaign,
            status=status,
        )
    active = deals[Partnership.Status.ACTIVE]
    published_deliverable(
        active,
        "instagram",
        date.today() - timedelta(days=3),
        impressions=40_000,
        reach=30_000,
        likes=900,
        comments=80,
        shares=20,
        saves=10,
        clicks=150,
        conversions=12,
        revenue=Decimal("2400"),
    )
    DeliverableFactory(partnership=active)
    renewal = PartnershipFactory(
        influencer=ada,
        campaign=None,
        collaboration_type=Partnership.CollaborationType.LONG_TERM,
        status=Partnership.Status.ACTIVE,
        end_date=date.today() + timedelta(days=10),
    )
    return {"campaign": campaign, "ada": ada, "deals": deals, "renewal": renewal, "tiers": tiers}


@pytest.fixture
def signed_in(page, live_server):
    """Log the browser in without the login form (the login page has its own test)."""

    def run():
        user = UserFactory(username="axe", is_superuser=True, is_staff=True)
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )
        return user

    return run


def submit(page, button):
    page.get_by_role("button", name=button).click()
    page.wait_for_load_state()


def submit_with_errors(page, button):
    """Save the form as it is, which must be refused: axe then sees the errors shown. The
    browser's own checks (required) are switched off so the server's answer is what shows."""
    page.evaluate("document.querySelectorAll('form').forEach(form => form.noValidate = true)")
    submit(page, button)
    page.locator("#error-summary").wait_for()


# Each page: (id, path from the data, an optional action on the page before axe runs).
PAGES = [
    ("home", lambda d: "/", None),
    ("roster", lambda d: "/influencers/", None),
    (
        "roster-filtered",
        lambda d: "/influencers/?q=creator&followers_min=1000&status=active&sort=-followers",
        None,
    ),
    ("influencer-detail", lambda d: f"/influencers/{d['ada'].pk}/", None),
    ("influencer-create", lambda d: "/influencers/new/", None),
    (
        "influencer-create-errors",
        lambda d: "/influencers/new/",
        lambda page: submit_with_errors(page, "Save"),
    ),
    ("influencer-edit", lambda d: f"/influencers/{d['ada'].pk}/edit/", None),
    ("import-upload", lambda d: "/influencers/import/", None),
    ("partnership-list", lambda d: "/partnerships/", None),
    ("partnership-detail", lambda d: f"/partnerships/{d['deals']['active'].pk}/", None),
    (
        "partnership-detail-declined",
        lambda d: f"/partnerships/{d['deals']['declined'].pk}/",
        None,
    ),
    ("partnership-create", lambda d: "/partnerships/new/", None),
    (
        "partnership-create-errors",
        lambda d: "/partnerships/new/",
        lambda page: submit_with_errors(page, "Save partnership"),
    ),
    ("partnership-edit", lambda d: f"/partnerships/{d['renewal'].pk}/edit/", None),
    ("board", lambda d: "/partnerships/board/", None),
    ("renewals", lambda d: "/partnerships/renewals/", None),
    ("deliverable-list", lambda d: "/partnerships/deliverables/", None),
    (
        "deliverable-form",
        lambda d: f"/partnerships/{d['deals']['active'].pk}/deliverables/new/",
        None,
    ),
    (
        "deliverable-form-errors",
        lambda d: f"/partnerships/{d['deals']['active'].pk}/deliverables/new/",
        lambda page: submit_with_errors(page, "Save deliverable"),
    ),
    ("campaign-list", lambda d: "/campaigns/", None),
    ("campaign-detail", lambda d: f"/campaigns/{d['campaign'].pk}/", None),
    ("campaign-create", lambda d: "/campaigns/new/", None),
    (
        "campaign-create-errors",
        lambda d: "/campaigns/new/",
        lambda page: submit_with_errors(page, "Save campaign"),
    ),
    ("campaign-edit", lambda d: f"/campaigns/{d['campaign'].pk}/edit/", None),
    ("tier-comparison", lambda d: "/reports/tiers/", None),
    ("tier-compare", lambda d: "/reports/tiers/compare/", None),
    (
        "tier-compare-two-tiers",
        lambda d: f"/reports/tiers/compare/?a={d['tiers']['Micro'].pk}&b={d['tiers']['Macro'].pk}",
        None,
    ),
    ("influencer-history", lambda d: f"/history/influencers/influencer/{d['ada'].pk}/", None),
    (
        "partnership-history",
        lambda d: f"/history/partnerships/partnership/{d['renewal'].pk}/",
        None,
    ),
    ("not-found", lambda d: "/influencers/999999/", None),
]


@pytest.mark.parametrize(("path", "action"), [p[1:] for p in PAGES], ids=[p[0] for p in PAGES])
def test_page_has_no_wcag_violations(page, live_server, signed_in, crm_data, path, action):
    signed_in()
    response = page.goto(live_server.url + path(crm_data))
    assert response.status == (404 if "999999" in response.url else 200)
    if action:
        action(page)
    assert_no_violations(page)


def test_login_page_has_no_wcag_violations(page, live_server, db):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_no_violations(page)


def test_login_page_with_an_error_has_no_wcag_violations(page, live_server, db):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("nobody")
    page.get_by_label("Password").fill("wrong")
    submit(page, "Log in")
    assert_no_violations(page)


def test_import_preview_has_no_wcag_violations(
    page, live_server, signed_in, crm_data, settings, tmp_path
):
    settings.ROSTER_IMPORT_DIR = str(tmp_path)
    signed_in()
    page.goto(f"{live_server.url}/influencers/import/")
    page.get_by_label("CSV or XLSX file").set_input_files(
        files=[{"name": "roster.csv", "mimeType": "text/csv", "buffer": IMPORT_CSV.encode()}]
    )
    submit(page, "Upload and preview")
    page.get_by_role("heading", name="Import preview: roster.csv").wait_for()
    assert_no_violations(page)


def test_forbidden_page_has_no_wcag_violations(page, live_server, role_user, tiers):
    viewer = role_user("Viewer", username="vera")
    client = Client()
    client.force_login(viewer)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    response = page.goto(f"{live_server.url}/influencers/new/")
    assert response.status == 403
    assert_no_violations(page)
