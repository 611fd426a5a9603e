"""Links back to where the user came from, carried in a query parameter and checked first."""

from urllib.parse import urlencode, urlsplit

from django.utils.http import url_has_allowed_host_and_scheme


def back_query(request, param="back"):
    """``?back=<this page's path and query>``, to append to a link away from a list."""
    return "?" + urlencode({param: request.get_full_path()})


def safe_back_url(request, default, *, path=None, param="back"):
    """The ``param`` URL of the request if it is on this site (and, given ``path``, points at
    that page), else ``default``: never a redirect or a link to somewhere else."""
    target = request.GET.get(param, "")
    if not target or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or (path is not None and parts.path != path):
        return default
    return target
