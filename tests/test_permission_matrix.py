"""Who may do what, URL by URL, built from the URL resolver.

Every named URL of the app (home, login/logout and the influencers, campaigns, partnerships,
reports and audit namespaces; the Django admin checks staff and model permissions itself) must
have an entry in MATRIX: a new URL without one fails test_every_url_is_in_the_matrix. Each entry
says, for GET and for POST (with an empty body), what an anonymous visitor, a Viewer, a Marketer
and an Admin get:

    LOGIN  redirect to the login page      DENIED  403
    NO     405 (method not allowed)
    OK     let through and answered: 200, a redirect elsewhere, or 400/409 with the form's errors
           (an empty POST is rarely valid)
"""

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from crm import roles
from partnerships.models import Partnership
from tests.factories import DeliverableFactory, InfluencerFactory, PartnershipFactory

LOGIN, DENIED, OK, NO = "login", 403, "ok", 405
ROLES = ("anonymous", roles.VIEWER, roles.MARKETER, roles.ADMIN)
CHECKED_NAMESPACES = {None, "influencers", "campaigns", "partnerships", "reports", "audit"}

# Outcomes for (anonymous, viewer, marketer, admin).
READ = {"GET": (LOGIN, OK, OK, OK), "POST": (LOGIN, NO, NO, NO)}
WRITE = {"GET": (LOGIN, DENIED, OK, OK), "POST": (LOGIN, DENIED, OK, OK)}
# @require_POST outside @permission_required: GET is refused before permissions are looked at.
POST_ONLY = {"GET": (LOGIN, NO, NO, NO), "POST": (LOGIN, DENIED, OK, OK)}
# PermissionRequiredMixin on a POST-only class view: permissions first, then the method.
POST_ONLY_VIEW = {"GET": (LOGIN, DENIED, NO, NO), "POST": (LOGIN, DENIED, OK, OK)}
PUBLIC = {"GET": (OK, OK, OK, OK), "POST": (OK, OK, OK, OK)}
READ_ANY_METHOD = {"GET": (LOGIN, OK, OK, OK), "POST": (LOGIN, OK, OK, OK)}

# url name -> (which object's pk goes in the URL, outcomes)
MATRIX = {
    "home": (None, READ),
    "login": (None, PUBLIC),
    "logout": (None, {"GET": (LOGIN, NO, NO, NO), "POST": (LOGIN, OK, OK, OK)}),
    # Read-only function views that answer any method; a POST changes nothing.
    "tier-stylesheet": (None, READ_ANY_METHOD),
    "influencers:influencer-list": (None, READ),
    "influencers:influencer-export": (None, READ),
    "influencers:influencer-create": (None, WRITE),
    "influencers:influencer-import": (None, WRITE),
    "influencers:import-template": (None, {"GET": WRITE["GET"], "POST": (LOGIN, DENIED, NO, NO)}),
    "influencers:import-preview": (None, {"GET": WRITE["GET"], "POST": (LOGIN, DENIED, NO, NO)}),
    "influencers:import-confirm": (None, POST_ONLY_VIEW),
    "influencers:import-errors": (None, {"GET": WRITE["GET"], "POST": (LOGIN, DENIED, NO, NO)}),
    "influencers:influencer-detail": ("influencer", READ),
    "influencers:influencer-update": ("influencer", WRITE),
    "influencers:influencer-delete": ("influencer", WRITE),
    "influencers:influencer-archive": ("influencer", POST_ONLY),
    "influencers:interaction-create": ("influencer", POST_ONLY),
    "campaigns:campaign-list": (None, READ),
    "campaigns:campaign-create": (None, WRITE),
    "campaigns:campaign-detail": ("campaign", READ),
    "campaigns:campaign-update": ("campaign", WRITE),
    "partnerships:partnership-list": (None, READ),
    "partnerships:partnership-create": (None, WRITE),
    "partnerships:partnership-board": (None, READ),
    "partnerships:renewal-list": (None, READ),
    "partnerships:deliverable-list": (None, READ),
    "partnerships:deliverable-update": ("deliverable", WRITE),
    "partnerships:influencer-search": (None, READ),
    "partnerships:partnership-detail": ("partnership", READ),
    "partnerships:partnership-update": ("partnership", WRITE),
    "partnerships:partnership-move": ("partnership", POST_ONLY),
    "partnerships:partnership-renew": ("partnership", WRITE),
    "partnerships:partnership-renewal-undo": ("partnership", POST_ONLY),
    "partnerships:deliverable-create": ("partnership", WRITE),
    "reports:tier-comparison": (None, READ),
    "reports:tier-compare": (None, READ),
    "reports:tier-comparison-export": (None, READ_ANY_METHOD),
    "audit:object-history": ("history", READ),
}


def url_names(patterns=None, namespace=None):
    """(name, route) of every URL pattern in the checked namespaces; unnamed ones by route."""
    found = []
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or namespace
            if inner in CHECKED_NAMESPACES:
                found += url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and namespace in CHECKED_NAMESPACES:
            name = pattern.name or f"<unnamed {pattern.pattern}>"
            found.append(f"{namespace}:{name}" if namespace else name)
    return found


def test_every_url_is_in_the_matrix():
    names = url_names()
    assert len(names) == len(set(names)), "two URL patterns share a name"
    missing = sorted(set(names) - set(MATRIX))
    assert not missing, f"URLs without an entry in the permission matrix: {missing}"
    # The history pages are the one entry allowed to be absent: they need a line in crm/urls.py.
    stale = sorted(set(MATRIX) - set(names) - {"audit:object-history"})
    assert not stale, f"matrix entries for URLs that no longer exist: {stale}"


@pytest.fixture
def objects(tiers):
    influencer = InfluencerFactory(audience=5_000)
    partnership = PartnershipFactory(
        influencer=influencer,
        collaboration_type=Partnership.CollaborationType.LONG_TERM,
        status=Partnership.Status.ACTIVE,
    )
    deliverable = DeliverableFactory(partnership=partnership)
    return {
        "influencer": {"pk": influencer.pk},
        "campaign": {"pk": partnership.campaign_id},
        "partnership": {"pk": partnership.pk},
        "deliverable": {"pk": deliverable.pk},
        "history": {"app_label": "influencers", "model_name": "influencer", "pk": influencer.pk},
    }


def outcome(response):
    if response.status_code == 302:
        location = response["Location"]
        login = reverse(settings.LOGIN_URL)
        if location.startswith(login) and "next=" in location:
            return LOGIN
        return OK
    if response.status_code in (200, 400, 409):
        return OK
    return response.status_code


CASES = [
    pytest.param(name, position, method, id=f"{name}-{role}-{method}")
    for name in MATRIX
    for position, role in enumerate(ROLES)
    for method in ("GET", "POST")
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "position", "method"), CASES)
def test_permission_matrix(client, role_user, objects, name, position, method):
    if name not in url_names():
        pytest.skip(f"{name} is not mounted in crm/urls.py yet")
    kwargs_key, outcomes = MATRIX[name]
    url = reverse(name, kwargs=objects[kwargs_key] if kwargs_key else None)
    if position:
        client.force_login(role_user(ROLES[position]))
    response = client.get(url) if method == "GET" else client.post(url, {})
    expected = outcomes[method][position]
    assert outcome(response) == expected, (
        f"{ROLES[position]} {method} {url}: got {response.status_code} "
        f"{response.get('Location', '')}, expected {expected}"
    )


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_login_and_come_back(client, objects):
    url = reverse("campaigns:campaign-detail", kwargs=objects["campaign"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={url}"
