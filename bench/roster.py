"""Roster page speed on a 100,000-influencer PostgreSQL database (read only).

Measures /influencers/ filtered by one tier and one niche through Django's test client, on page 1
and on a deep page: p50/p95 over --requests requests, then the same page's SQL alone (replayed
with a cursor), and the ratio page time / SQL time. Goal: p50 < 40 ms on page 1, deep page <= 3x.

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_bench \\
        .venv/bin/python bench/roster.py --requests 60

It runs with DEBUG off (as production does); the SQL is timed by replaying the page's queries.

Nothing is written: sessions are signed cookies, login signals are muted, and the whole run sits in
a transaction that is rolled back.
"""

import argparse
import statistics
import sys

import _env

_env.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.signals import user_logged_in  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from timing import Rollback, page_queries, percentile, replay, time_requests  # noqa: E402

from influencers.models import Influencer, Niche, Tier  # noqa: E402
from influencers.tiers import tiers_q  # noqa: E402


def report(label, page, cpu, sql, queries):
    p50, p95 = statistics.median(page), percentile(page, 0.95)
    sql50 = statistics.median(sql)
    print(
        f"{label:<30} page p50 {p50:6.1f} ms p95 {p95:6.1f} ms | app CPU p50 "
        f"{statistics.median(cpu):5.1f} ms | SQL p50 {sql50:5.1f} ms ({queries} queries) | "
        f"page/SQL {p50 / sql50:4.1f}x"
    )
    return p50


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=60)
    parser.add_argument("--tier", default="Micro")
    parser.add_argument("--niche", default="beauty", help="niche slug")
    parser.add_argument("--per-page", type=int, default=25)
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL (see the docstring).")
    tier = Tier.objects.get(name__iexact=args.tier)
    niche = Niche.objects.get(slug=args.niche)
    user = get_user_model().objects.filter(is_superuser=True, is_active=True).first()
    if user is None:
        sys.exit("No active superuser in this database (seed_demo creates one).")

    user_logged_in.receivers = []  # no last_login update, no access log row
    base = f"/influencers/?tier={tier.pk}&niche={niche.pk}&per_page={args.per_page}"
    print(
        f"{connection.settings_dict['NAME']}: {args.tier} + {niche.name}, "
        f"{args.per_page} rows a page, {args.requests} requests each"
    )
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
            total = Influencer.objects.filter(tiers_q([tier]), niches=niche).count()
            pages = max(1, -(-total // args.per_page))
            print(f"result: {total:,} influencers, {pages:,} pages")
            results = {}
            for label, url in (
                ("page 1", base),
                (f"deep page {pages // 2} (middle)", f"{base}&page={pages // 2}"),
                (f"deep page {pages} (last)", f"{base}&page={pages}"),
                ("page 1 sorted by followers", f"{base}&sort=followers"),
                ("last page by followers", f"{base}&sort=followers&page={pages}"),
                ("htmx update of page 1", base),
                ("text search, no other filter", "/influencers/?q=lena"),
            ):
                if label.startswith("htmx"):
                    client.defaults["HTTP_HX_REQUEST"] = "true"
                else:
                    client.defaults.pop("HTTP_HX_REQUEST", None)
                page_times, cpu_times = time_requests(client, url, args.requests)
                statements = page_queries(client, url)
                sql_times, queries = replay(statements, args.requests), len(statements)
                results[label] = report(label, page_times, cpu_times, sql_times, queries)
            first_p50 = results["page 1"]
            worst = max(value for key, value in results.items() if "deep" in key or "last" in key)
            print(f"worst deep page / page 1: {worst / first_p50:.2f}x")
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
