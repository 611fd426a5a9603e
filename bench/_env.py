"""The start every bench script shares: this checkout importable, Django set up as production
runs it (DEBUG off, a bench-only secret key) but over plain HTTP with plain static files, and
optionally a connection that refuses writes. Call ``setup()`` before importing anything that
needs Django; the script's own imports follow it (hence their ``# noqa: E402``)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(*, debug=False, read_only=False):
    """``debug``: the DEBUG the script runs with unless the environment says otherwise.
    ``read_only``: every transaction of the default connection is read only (the shared
    benchmark database); set before the first connection opens."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
    os.environ.setdefault("DEBUG", "true" if debug else "false")
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 32)
    os.environ.setdefault("SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    os.environ.setdefault(
        "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )

    import django

    django.setup()
    if read_only:
        from django.conf import settings

        options = settings.DATABASES["default"].setdefault("OPTIONS", {})
        options["options"] = (
            f"{options.get('options', '')} -c default_transaction_read_only=on".strip()
        )
