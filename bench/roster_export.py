"""Roster export speed: the whole roster as CSV through the export view, against psql's \\copy.

Streams /influencers/export/ (no filter: every influencer) in-process with Django's test client
and consumes the streamed content; then runs ``psql -c "\\copy (SELECT ...) TO '/dev/null' CSV"``
with the same columns and joins (owner's username, niche names joined by "; " in name order, the
first three accounts, primary first, then largest), as the floor of what the database can hand
out. Each is timed --runs times (median); the export's Python CPU time (time.process_time) is
printed too, as it is less sensitive to other work on a shared machine than wall time.
Goal: export <= 3x psql.

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_bench \\
        .venv/bin/python bench/roster_export.py --runs 3

Read only: DEBUG off (no query log), sessions are signed cookies, login signals are muted, and the
run sits in a transaction that is rolled back.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time

import _env

_env.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.signals import user_logged_in  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from timing import Rollback  # noqa: E402

from influencers.imports import MAX_ACCOUNTS  # noqa: E402
from influencers.models import Influencer, Niche, SocialAccount  # noqa: E402


def copy_sql():
    """The export's columns and joins as one SELECT (status and platform as stored values: the
    labels are a lookup either way)."""
    user = get_user_model()
    influencers = Influencer._meta.db_table
    links = Influencer.niches.through._meta.db_table
    niches, accounts = Niche._meta.db_table, SocialAccount._meta.db_table
    users = user._meta.db_table
    username = user._meta.get_field(user.USERNAME_FIELD).column
    account_columns = []
    account_joins = []
    for n in range(1, MAX_ACCOUNTS + 1):
        account_columns += [
            f"a{n}.platform, a{n}.handle, a{n}.url, a{n}.followers, a{n}.engagement_rate"
        ]
        account_joins.append(f"LEFT JOIN ranked a{n} ON a{n}.influencer_id = i.id AND a{n}.n = {n}")
    # Identifiers come from model metadata; there are no values.
    ranked = (
        "SELECT influencer_id, platform, handle, url, followers, engagement_rate, row_number()"  # noqa: S608
        " OVER (PARTITION BY influencer_id ORDER BY is_primary DESC, followers DESC, id) AS n"
        " FROM " + accounts
    )
    named = (
        "SELECT l.influencer_id, string_agg(x.name, '; ' ORDER BY x.name) AS niches"  # noqa: S608
        f" FROM {links} l JOIN {niches} x ON x.id = l.niche_id GROUP BY l.influencer_id"
    )
    columns = ", ".join(
        ["i.name, i.email, i.phone, i.country, i.city, i.status", f"u.{username}"]
        + ["named.niches, i.notes", *account_columns]
    )
    joins = " ".join(
        [
            f"LEFT JOIN {users} u ON u.id = i.owner_id",
            "LEFT JOIN named ON named.influencer_id = i.id",
        ]
        + account_joins
    )
    return " ".join(
        [f"WITH ranked AS ({ranked}), named AS ({named})", "SELECT", columns, "FROM", influencers]
        + ["i", joins, "ORDER BY i.name, i.id"]
    )


def psql_copy(sql):
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": db["PASSWORD"] or ""}
    command = [
        "psql",
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        db["HOST"] or "127.0.0.1",
        "-p",
        str(db["PORT"] or 5432),
        "-U",
        db["USER"],
        "-d",
        db["NAME"],
        "-c",
        f"\\copy ({sql}) TO '/dev/null' CSV",
    ]
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True)  # noqa: S603
    return time.perf_counter() - start


def export(client, url):
    start, cpu = time.perf_counter(), time.process_time()
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    size = lines = 0
    for part in response.streaming_content:
        size += len(part)
        lines += part.count(b"\n")
    return time.perf_counter() - start, time.process_time() - cpu, size, lines


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL (see the docstring).")
    user = get_user_model().objects.filter(is_superuser=True, is_active=True).first()
    if user is None:
        sys.exit("No active superuser in this database (seed_demo creates one).")
    user_logged_in.receivers = []  # no last_login update, no access log row
    total = Influencer.objects.count()
    load = " / ".join(f"{n:.1f}" for n in os.getloadavg())
    print(
        f"{connection.settings_dict['NAME']}: {total:,} influencers, {args.runs} runs each; "
        f"load average {load} on {os.cpu_count()} CPUs"
    )
    sql = copy_sql()
    url = reverse("influencers:influencer-export")
    views, cpus, copies = [], [], []
    try:
        with (
            override_settings(
                SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
                ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS],
            ),
            transaction.atomic(),
        ):
            client = Client()
            client.force_login(user)
            psql_copy(sql)  # warm-up: buffer cache
            for run in range(args.runs):
                # Alternate, so both see the same load on average.
                copies.append(psql_copy(sql))
                seconds, cpu, size, lines = export(client, url)
                views.append(seconds)
                cpus.append(cpu)
                print(
                    f"run {run + 1}: export {seconds:.2f} s (CPU {cpu:.2f} s, {size / 1e6:.1f} MB,"
                    f" {lines:,} lines) | psql \\copy {copies[-1]:.2f} s"
                )
            raise Rollback
    except Rollback:
        pass
    view, copy = statistics.median(views), statistics.median(copies)
    print(
        f"median: export {view:.2f} s (Python CPU {statistics.median(cpus):.2f} s) | "
        f"psql \\copy {copy:.2f} s | export / psql {view / copy:.1f}x (goal <= 3x)"
    )
    load = " / ".join(f"{n:.1f}" for n in os.getloadavg())
    print(f"load average at the end: {load}")


if __name__ == "__main__":
    main()
