import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

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


def test_without_trusted_proxies_a_rotated_x_forwarded_for_does_not_dodge_the_lock(client):
    """The attack of #16: rotating X-Forwarded-For, with no proxy in front, must not reset the
    count (it gave 8 failed logins without a lockout under BEHIND_PROXY=true)."""
    UserFactory(username="mara")
    with override_settings(TRUSTED_PROXIES=[]):
        statuses = [
            client.post(
                reverse("login"),
                {"username": "mara", "password": "wrong"},
                REMOTE_ADDR="198.51.100.9",
                HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
            ).status_code
            for n in range(8)
        ]
    assert statuses[:4] == [200] * 4
    assert statuses[4:] == [429] * 4


def test_a_client_that_is_not_a_listed_proxy_cannot_pick_its_address(client):
    UserFactory(username="mara")
    with override_settings(TRUSTED_PROXIES=["10.0.0.254"]):
        statuses = [
            client.post(
                reverse("login"),
                {"username": "mara", "password": "wrong"},
                REMOTE_ADDR="198.51.100.9",  # straight to the app, not through the proxy
                HTTP_X_FORWARDED_FOR=f"203.0.113.{n}",
            ).status_code
            for n in range(6)
        ]
    assert statuses[-1] == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"198.51.100.9"}


def test_behind_a_listed_proxy_the_lock_uses_the_address_the_proxy_saw(client):
    UserFactory(username="mara")
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/24"]):
        for n in range(5):
            # Two proxies in the chain: the left entry is the client's forgery, the right-most
            # untrusted one is what the outer proxy saw.
            client.post(
                reverse("login"),
                {"username": "mara", "password": "wrong"},
                REMOTE_ADDR="10.0.0.254",
                HTTP_X_FORWARDED_FOR=f"6.6.6.{n}, 203.0.113.7, 10.0.0.17",
            )
        # The proxy's own address is not locked: another user behind it still logs in.
        assert logged_in(attempt(client, "mara", PASSWORD, ip="10.0.0.254"))
        client.post(reverse("logout"))
        again = client.post(
            reverse("login"),
            {"username": "mara", "password": PASSWORD},
            REMOTE_ADDR="10.0.0.254",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    assert again.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}


def test_only_a_listed_proxy_can_say_the_request_was_https(client):
    with override_settings(
        TRUSTED_PROXIES=["10.0.0.254"],
        SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),  # as settings.py sets it
        SECURE_SSL_REDIRECT=True,
    ):
        direct = client.get(
            reverse("login"), REMOTE_ADDR="198.51.100.9", HTTP_X_FORWARDED_PROTO="https"
        )
        proxied = client.get(
            reverse("login"), REMOTE_ADDR="10.0.0.254", HTTP_X_FORWARDED_PROTO="https"
        )
    assert direct.status_code == 301 and direct["Location"].startswith("https://")
    assert proxied.status_code == 200


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


def login_and_open_home(client):
    UserFactory(username="mara")
    assert logged_in(attempt(client, "mara", PASSWORD))
    assert client.get(reverse("home")).status_code == 200


def age_session(client, **seconds_ago):
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[{"login": "crm_login_at", "seen": "crm_seen_at"}[key]] = now - ago
    session.save()


def test_sixty_idle_minutes_log_the_user_out_with_a_message(client):
    login_and_open_home(client)
    age_session(client, seen=61 * 60)
    response = client.get(reverse("influencers:influencer-list"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert "next=/influencers/" in response.redirect_chain[0][0]
    assert "logged out after 60 minutes without activity" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive(client):
    login_and_open_home(client)
    age_session(client, seen=59 * 60)
    assert client.get(reverse("home")).status_code == 200
    age_session(client, login=2 * 60 * 60)  # seen was just refreshed by that request
    assert client.get(reverse("home")).status_code == 200


@override_settings(SESSION_IDLE_MINUTES=5)
def test_the_idle_timeout_is_a_setting(client):
    login_and_open_home(client)
    age_session(client, seen=6 * 60)
    assert client.get(reverse("home")).status_code == 302


def test_twelve_hours_after_login_the_session_ends_however_active(client):
    login_and_open_home(client)
    age_session(client, login=12 * 60 * 60 + 60, seen=30)
    response = client.get(reverse("home"), follow=True)
    assert "_auth_user_id" not in client.session
    assert "time limit" in response.content.decode()
