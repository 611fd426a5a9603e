"""In production without CACHE_URL, the worker processes of one host share one cache, so an
admin edit that drops the cached reads in one worker reaches the others at once (gunicorn runs
several)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SNIPPET = """
import django
django.setup()
from django.conf import settings
from crm.cache import cached, invalidate
action = {action!r}
if action == "invalidate":
    invalidate()
else:
    print(cached("process-probe", lambda: action))
print(settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1])
"""


def in_a_new_process(action, cache_dir):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "crm.settings",
        "DEBUG": "false",
        "SECRET_KEY": "process-cache-test-" + "k" * 40,
        "ALLOWED_HOSTS": "crm.example.com",
        "CACHE_DIR": str(cache_dir),
    }
    env.pop("CACHE_URL", None)
    result = subprocess.run(  # noqa: S603 - our own interpreter and a fixed snippet
        [sys.executable, "-c", SNIPPET.format(action=action)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.split()


def test_worker_processes_share_the_cache_and_its_invalidation(tmp_path):
    assert in_a_new_process("first", tmp_path) == ["first", "FileBasedCache"]
    # Another worker reads the value the first one cached ...
    assert in_a_new_process("second", tmp_path)[0] == "first"
    # ... and once an edit has dropped the cached reads in one worker, every worker recomputes.
    in_a_new_process("invalidate", tmp_path)
    assert in_a_new_process("third", tmp_path)[0] == "third"
