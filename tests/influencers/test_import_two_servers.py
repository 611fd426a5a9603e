"""Two app servers behind one database: a roster upload previewed on one server is confirmed on
the other (as behind a load balancer), because the pending upload waits in the database.

Two gunicorn processes serve the test database; the test talks to them over HTTP with one cookie
jar, as a browser would. Needs PostgreSQL (CI runs on it); on SQLite it skips, saying why.
"""

import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import global_settings, settings
from django.db import connection

from crm import roles
from influencers.models import Influencer

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's
CSV = (
    "name,email,platform_1,handle_1,followers_1\n"
    "Ada Two Servers,ada@example.com,Instagram,ada.two,1200\n"
    "Bo Two Servers,bo@example.com,TikTok,bo.two,3400\n"
)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_database_url():
    """The test database (not the configured one) as a DATABASE_URL for the servers."""
    db = connection.settings_dict
    user = urllib.parse.quote(db["USER"] or "", safe="")
    password = urllib.parse.quote(db["PASSWORD"] or "", safe="")
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or "5432"
    return f"postgres://{user}:{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def app_servers(transactional_db, tmp_path):
    """Base URLs of two gunicorn servers on free loopback ports, sharing the test database."""
    if connection.vendor != "postgresql":
        pytest.skip(
            "needs PostgreSQL: separate server processes cannot open this run's SQLite test "
            "database (set DATABASE_URL=postgres://...; CI does)"
        )
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": server_database_url(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CONN_MAX_AGE": "0",  # no connection left open when the test database is flushed
    }
    processes, urls = [], []
    try:
        for name in ("a", "b"):
            port = free_port()
            # Each server its own temp folder, as on two hosts: nothing on disk is shared.
            (tmp_path / name).mkdir()
            env["TMPDIR"] = str(tmp_path / name)
            log = open(tmp_path / f"server-{name}.log", "wb")  # noqa: SIM115 (closed below)
            command = [sys.executable, "-m", "gunicorn", "crm.wsgi", "--workers", "1"]
            command += ["--bind", f"127.0.0.1:{port}", "--timeout", "60"]
            processes.append(
                (
                    subprocess.Popen(  # noqa: S603 (our own interpreter and arguments)
                        command, cwd=settings.BASE_DIR, env={**env}, stdout=log, stderr=log
                    ),
                    log,
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, (process, log) in zip(urls, processes, strict=True):
            wait_until_serving(url, process, log)
        yield urls
    finally:
        for process, log in processes:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            log.close()


def wait_until_serving(url, process, log, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server {url} exited: {Path(log.name).read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"{url}/accounts/login/", timeout=5):  # noqa: S310
                return
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)
    pytest.fail(f"server {url} did not answer within {seconds} s")


class Browser:
    """A cookie jar shared by both servers (cookies do not depend on the port), like a browser
    whose requests a load balancer spreads over the servers."""

    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url):
        with self.opener.open(url, timeout=30) as response:
            return response.status, response.geturl(), response.read().decode()

    def post(self, url, fields, files=None):
        fields = {**fields, "csrfmiddlewaretoken": self.csrf_token()}
        if files:
            body, content_type = multipart(fields, files)
        else:
            body = urllib.parse.urlencode(fields).encode()
            content_type = "application/x-www-form-urlencoded"
        headers = {"Content-Type": content_type}
        request = urllib.request.Request(url, data=body, headers=headers)  # noqa: S310 (http)
        with self.opener.open(request, timeout=60) as response:
            return response.status, response.geturl(), response.read().decode()

    def csrf_token(self):
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = []
    for name, value in fields.items():
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
        parts.append(f"{head}{value}\r\n".encode())
    for name, (filename, content) in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
        )
        parts.append(head.encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def test_upload_on_one_server_and_confirm_on_the_other(app_servers, role_user, tiers, settings):
    server_a, server_b = app_servers
    # The servers run the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS
    role_user(roles.MARKETER, username="mara")
    browser = Browser()

    browser.get(f"{server_a}/accounts/login/")
    _, landed, _ = browser.post(
        f"{server_a}/accounts/login/", {"username": "mara", "password": PASSWORD}
    )
    assert landed == f"{server_a}/", "login failed"

    _, landed, page = browser.post(
        f"{server_a}/influencers/import/", {}, files={"file": ("roster.csv", CSV.encode())}
    )
    assert landed == f"{server_a}/influencers/import/preview/", page[:2000]
    assert re.search(r'id="count-create">2<', page)
    token = re.search(r'name="token" value="([0-9a-f]+)"', page).group(1)

    _, landed, page = browser.post(f"{server_b}/influencers/import/confirm/", {"token": token})
    assert landed == f"{server_b}/influencers/", page[:2000]
    assert "2 influencer(s) created" in page
    assert sorted(Influencer.objects.values_list("name", flat=True)) == [
        "Ada Two Servers",
        "Bo Two Servers",
    ]
