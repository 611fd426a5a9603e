from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from influencers.models import Influencer, Tier
from tests.factories import InfluencerFactory, NicheFactory, UserFactory

DEFAULT_TIERS = [("Nano", 0), ("Micro", 1_000), ("Macro", 100_000), ("Mega", 1_000_000)]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: the database rolls back between tests, a cache (local
    memory, or Redis under CACHE_URL) would not."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture
def tiers(db):
    """The default tiers, by name. They come from a data migration; transactional tests flush
    them, so make sure they are there."""
    for name, min_followers in DEFAULT_TIERS:
        Tier.objects.get_or_create(min_followers=min_followers, defaults={"name": name})
    return {tier.name: tier for tier in Tier.objects.all()}


@pytest.fixture
def default_niches(db):
    """The niches the data migration creates; transactional tests flush them, so make sure they
    are there (seed_demo spreads influencers over the existing niches)."""
    import importlib

    from influencers.models import Niche

    defaults = importlib.import_module("influencers.migrations.0003_default_tiers_and_niches")
    for name, slug in defaults.DEFAULT_NICHES:
        Niche.objects.get_or_create(slug=slug, defaults={"name": name})


@pytest.fixture
def admin_user(db):
    return UserFactory(username="boss", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def count_queries():
    """count_queries(callable) -> (result, number of SQL queries it ran)."""

    def run(func, *args, **kwargs):
        with CaptureQueriesContext(connection) as context:
            result = func(*args, **kwargs)
        return result, len(context.captured_queries)

    return run


@pytest.fixture
def role_user(db):
    """role_user("Marketer", username="mara") -> a user whose only role is that group
    (crm/roles.py: Admin, Marketer, Viewer); Admins are staff. Password: correct-horse-battery."""
    from crm.roles import user_assign_role

    def make(role, **kwargs):
        return user_assign_role(user=UserFactory(**kwargs), role=role)

    return make


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests log in many times (lockout, browser tests): a cheap hasher keeps them fast.
    Production keeps Django's default PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def roster(tiers):
    """Five hand-built influencers across tiers, niches and platforms, for the roster filters."""
    beauty = NicheFactory(name="Beauty", slug="beauty")
    gaming = NicheFactory(name="Gaming", slug="gaming")
    owner = UserFactory(username="marketer")
    people = {
        "Ana Nano": InfluencerFactory(
            name="Ana Nano", audience=500, niches=[beauty], audience__handle="ana.small"
        ),
        "Ben Micro Beauty": InfluencerFactory(
            name="Ben Micro Beauty",
            audience=5_000,
            niches=[beauty],
            audience__platform="tiktok",
            audience__handle="benbeauty",
            audience__engagement_rate=Decimal("6.5"),
            country="France",
            owner=owner,
        ),
        "Cleo Micro Gaming": InfluencerFactory(
            name="Cleo Micro Gaming",
            audience=50_000,
            niches=[gaming],
            audience__platform="twitch",
            audience__handle="cleoplays",
            email="cleo@studio.example",
        ),
        "Dan Macro": InfluencerFactory(
            name="Dan Macro",
            audience=250_000,
            niches=[beauty, gaming],
            audience__platform="youtube",
            audience__handle="dantube",
            status=Influencer.Status.PAUSED,
        ),
        "Eve Mega": InfluencerFactory(
            name="Eve Mega", audience=2_000_000, audience__handle="eve", country="france"
        ),
    }
    return {"beauty": beauty, "gaming": gaming, "owner": owner, "tiers": tiers, **people}


@pytest.fixture
def session_queries(settings):
    """Queries a page spends reading its session: one with database sessions, none with
    cached_db ones (CACHE_URL set) once the session is in the cache."""
    return 1 if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db" else 0
