"""Small security helpers referenced from settings."""

from django.conf import settings
from django.http import HttpResponseBadRequest


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
