"""Small security helpers referenced from settings."""

from django.conf import settings


def client_ip(request):
    """The client's IP address for the login lockout.

    Behind our TLS-terminating proxy (BEHIND_PROXY=true) REMOTE_ADDR is the proxy, which would lock
    one username out for everybody; the proxy appends the real client address as the LAST entry of
    X-Forwarded-For (the entries before it are whatever the client sent, so never trust those).
    """
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.split(",")[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR")


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
