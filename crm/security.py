"""Small security helpers referenced from settings."""

import functools
import ipaddress
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponseBadRequest


@functools.lru_cache(maxsize=8)
def trusted_networks(entries):
    """The ``TRUSTED_PROXIES`` setting (a tuple) as ip_network objects; settings.py has already
    refused a bad entry at start-up."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def _is_trusted(address, networks):
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return False
    return any(ip in network for network in networks)


class TrustedProxies:
    """Read X-Forwarded-For and X-Forwarded-Proto only when they come from a trusted proxy.

    ``TRUSTED_PROXIES`` lists the addresses (or networks) of the reverse proxies in front of the
    app. A request whose TCP peer (REMOTE_ADDR) is one of them has its client address taken from
    X-Forwarded-For, walking from the right past further trusted proxies (each proxy appends the
    address it saw; the left entries are whatever the client sent), and that address becomes
    REMOTE_ADDR for everything after (the login lockout, logs). From any other peer the forwarded
    headers are dropped, so a client talking to the app directly cannot pick its own address or
    claim HTTPS. Hand-written (stdlib ``ipaddress``, a dozen lines) because the rule is exactly
    this one: libraries such as django-ipware also read other headers (X-Real-IP, CDN headers)
    that a direct client can forge. First in MIDDLEWARE, before SecurityMiddleware reads the
    scheme."""

    FORWARDED = ("HTTP_X_FORWARDED_FOR", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_HOST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        networks = trusted_networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))
        meta = request.META
        peer = meta.get("REMOTE_ADDR", "")
        if networks and _is_trusted(peer, networks):
            hops = [hop.strip() for hop in meta.get("HTTP_X_FORWARDED_FOR", "").split(",")]
            for hop in reversed([hop for hop in hops if hop]):
                if not _is_trusted(hop, networks):
                    meta["REMOTE_ADDR"] = hop
                    break
        else:
            for header in self.FORWARDED:
                meta.pop(header, None)
        return self.get_response(request)


def client_ip(request):
    """The client's address for the login lockout: REMOTE_ADDR, which TrustedProxies has already
    replaced with the forwarded client address when the request came through a trusted proxy."""
    return request.META.get("REMOTE_ADDR")


class SessionTimeouts:
    """Log a user out after ``SESSION_IDLE_MINUTES`` without a request (default 60) and after
    ``SESSION_COOKIE_AGE`` since the log-in (12 hours), whichever comes first.

    The session stores when it logged in and when it was last seen. "Last seen" is written at
    most once a minute, so an active user costs one session write a minute, not one per page.
    The absolute cap is checked here too because every session write moves Django's own expiry
    date forward. Hand-written: the one maintained package for this (django-session-timeout) has
    no absolute cap and writes the session on every request. After AuthenticationMiddleware and
    MessageMiddleware; the log-in stamps both times (``stamp``, a user_logged_in receiver)."""

    LOGIN_AT = "crm_login_at"
    SEEN_AT = "crm_seen_at"
    SEEN_RESOLUTION = 60  # seconds

    def __init__(self, get_response):
        self.get_response = get_response

    @classmethod
    def stamp(cls, sender, request, user, **kwargs):
        if request is not None and hasattr(request, "session"):
            now = int(time.time())
            request.session[cls.LOGIN_AT] = now
            request.session[cls.SEEN_AT] = now

    def __call__(self, request):
        if request.user.is_authenticated:
            session = request.session
            now = int(time.time())
            login_at = session.setdefault(self.LOGIN_AT, now)
            seen_at = session.get(self.SEEN_AT, now)
            idle = settings.SESSION_IDLE_MINUTES * 60
            if now - seen_at > idle or now - login_at > settings.SESSION_COOKIE_AGE:
                ended_by_idle = now - seen_at > idle
                logout(request)
                messages.info(
                    request,
                    f"You were logged out after {settings.SESSION_IDLE_MINUTES} minutes without "
                    f"activity. Log in again to go on."
                    if ended_by_idle
                    else "Your session reached its time limit. Log in again to go on.",
                )
                return redirect_to_login(request.get_full_path())
            if now - seen_at >= self.SEEN_RESOLUTION or self.SEEN_AT not in session:
                session[self.SEEN_AT] = now
        return self.get_response(request)


def lockout_response(request, original_response=None, credentials=None):
    """The page django-axes shows a locked-out login: HTTP 429, saying for how long."""
    from axes.helpers import get_client_username, get_cool_off, get_failure_limit
    from django.shortcuts import render

    cool_off = get_cool_off(request)
    context = {
        "failure_limit": get_failure_limit(request, credentials),
        "username": get_client_username(request, credentials) or "",
        "cooloff_minutes": int(cool_off.total_seconds() // 60) if cool_off else None,
    }
    return render(
        request,
        "registration/lockout.html",
        context,
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


class RefuseNulBytes:
    """Answer 400 to a request whose query string or form fields hold a NUL character.

    No field of this app takes one, Django's form fields refuse it, and PostgreSQL refuses it in
    any string parameter: a search term or admin list filter that reached the database with one
    was a 500. Refused here, once, before any view reads the value."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = [request.GET]
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            fields.append(request.POST)
        for data in fields:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    return HttpResponseBadRequest(
                        "A field of this request contains a NUL character, which no field "
                        "accepts. Remove it and try again.",
                        content_type="text/plain; charset=utf-8",
                    )
        return self.get_response(request)
