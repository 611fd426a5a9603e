from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from crm.security import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def logged_in(response):
    return response.status_code == 302 and response["Location"] == reverse("home")


def test_five_failures_lock_the_username_from_that_address_with_a_429_page(client):
    UserFactory(username="mara")
    for _ in range(4):
        assert attempt(client, "mara", "wrong").status_code == 200  # form error, still open
    locked = attempt(client, "mara", "wrong")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many failed log-in attempts" in page
    assert "15 minutes" in page
    assert "mara" in page
    # Even the right password is refused now.
    again = attempt(client, "mara", PASSWORD)
    assert again.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_username_and_address(client):
    UserFactory(username="mara")
    UserFactory(username="vic")
    for _ in range(5):
        attempt(client, "mara", "wrong", ip="10.0.0.1")
    assert attempt(client, "mara", PASSWORD, ip="10.0.0.1").status_code == 429
    # Someone else on the same network still gets in ...
    assert logged_in(attempt(client, "vic", PASSWORD, ip="10.0.0.1"))
    client.post(reverse("logout"))
    # ... and so does mara from her own address.
    assert logged_in(attempt(client, "mara", PASSWORD, ip="10.9.9.9"))


def test_the_lock_lifts_after_the_15_minute_cool_off(client):
    UserFactory(username="mara")
    for _ in range(5):
        attempt(client, "mara", "wrong")
    assert attempt(client, "mara", PASSWORD).status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert logged_in(attempt(client, "mara", PASSWORD))


def test_a_successful_login_resets_the_failure_count(client):
    UserFactory(username="mara")
    for _ in range(4):
        attempt(client, "mara", "wrong")
    assert logged_in(attempt(client, "mara", PASSWORD))
    client.post(reverse("logout"))
    for _ in range(4):
        assert attempt(client, "mara", "wrong").status_code == 200
    assert logged_in(attempt(client, "mara", PASSWORD))


def test_behind_the_proxy_the_lock_uses_the_address_the_proxy_saw():
    request = RequestFactory().post(
        "/accounts/login/",
        REMOTE_ADDR="10.0.0.254",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7",
    )
    assert client_ip(request) == "10.0.0.254"  # no proxy configured: the header is not trusted
    with override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")):
        # The client may forge the left entries; the proxy appends the real one on the right.
        assert client_ip(request) == "203.0.113.7"


def test_pages_carry_a_content_security_policy_without_inline_scripts_or_eval(client):
    response = client.get(reverse("login"))
    policy = dict(
        part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe" not in response["Content-Security-Policy"]


def test_the_session_cookie_ends_with_the_browser_and_the_server_forgets_it_after_a_day(client):
    UserFactory(username="mara")
    response = attempt(client, "mara", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() == 12 * 60 * 60


def test_logout_is_a_post_only(client):
    user = UserFactory(username="mara")
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    client.post(reverse("logout"))
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("password", ["short", "password123", "12345678901234", "mara-example"])
def test_weak_passwords_are_refused(password):
    user = UserFactory.build(username="mara-example", email="mara@example.com")
    with pytest.raises(ValidationError):
        validate_password(password, user=user)


def test_a_strong_password_passes():
    validate_password("violet-otter-quarry-93", user=UserFactory.build(username="mara"))


def test_an_admin_unlocks_a_locked_login_from_the_admin_site(client, role_user):
    UserFactory(username="mara")
    for _ in range(5):
        attempt(client, "mara", "wrong")
    assert attempt(client, "mara", PASSWORD).status_code == 429
    locked = AccessAttempt.objects.get(username="mara")

    admin_client = type(client)()
    admin_client.force_login(role_user("Admin"))
    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "mara" in listing.content.decode()
    admin_client.post(reverse("admin:axes_accessattempt_delete", args=[locked.pk]), {"post": "yes"})

    assert logged_in(attempt(client, "mara", PASSWORD))
