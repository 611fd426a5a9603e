import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from influencers.models import Tier
from tests.factories import UserFactory

DEFAULT_TIERS = [("Nano", 0), ("Micro", 1_000), ("Macro", 100_000), ("Mega", 1_000_000)]


@pytest.fixture
def tiers(db):
    """The default tiers, by name. They come from a data migration; transactional tests flush
    them, so make sure they are there."""
    for name, min_followers in DEFAULT_TIERS:
        Tier.objects.get_or_create(min_followers=min_followers, defaults={"name": name})
    return {tier.name: tier for tier in Tier.objects.all()}


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
