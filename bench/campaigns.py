"""Campaign pages' speed on the 1,000,000-deliverable PostgreSQL data set (read only).

Times every campaign's page (the worst case: in seed_demo's data each of the 12 campaigns has
~14,000 partnerships and ~80,000 deliverables) and the campaign list through Django's test client:
p50/p95 over --requests requests, the query count, then the page's SQL alone replayed with a
cursor. Goal: campaign page p50 < 100 ms.

    DEBUG=true DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_bench \\
        .venv/bin/python bench/campaigns.py --requests 20

Nothing can be written: the connection is opened with default_transaction_read_only=on, sessions
are signed cookies and the login signal (last_login) is muted. --explain prints EXPLAIN ANALYZE of
each query of the busiest campaign's page.
"""

import argparse
import statistics
import sys

import _env

_env.setup(debug=True, read_only=True)

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.signals import user_logged_in  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402
from timing import page_queries, percentile, replay, time_requests  # noqa: E402

from campaigns.models import Campaign  # noqa: E402
from partnerships.models import Deliverable  # noqa: E402


def explain(statements):
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
            print(sql[:200], "...")
            print("\n".join(row[0] for row in cursor.fetchall()), end="\n\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--campaigns", type=int, default=0, help="only the N busiest campaigns")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL (see the docstring).")
    user = get_user_model().objects.filter(is_superuser=True, is_active=True).first()
    if user is None:
        sys.exit("No active superuser in this database (seed_demo creates one).")
    with connection.cursor() as cursor:
        cursor.execute("SHOW default_transaction_read_only")
        assert cursor.fetchone()[0] == "on", "refusing to run on a writable connection"

    deliverables = dict(
        Deliverable.objects.values("partnership__campaign")
        .annotate(n=Count("*"))
        .values_list("partnership__campaign", "n")
    )
    campaigns = sorted(
        Campaign.objects.annotate(partnership_total=Count("partnerships")),
        key=lambda c: -deliverables.get(c.pk, 0),
    )
    print(
        f"{connection.settings_dict['NAME']}: {len(campaigns)} campaigns, "
        f"{sum(deliverables.values()):,} deliverables, {args.requests} requests a page"
    )
    user_logged_in.receivers = []  # no last_login update
    with override_settings(
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS],
    ):
        client = Client()
        client.force_login(user)
        pages = [("campaign list", reverse("campaigns:campaign-list"))]
        for campaign in campaigns[: args.campaigns or None]:
            label = (
                f"campaign {campaign.pk} ({campaign.partnership_total:,} p., "
                f"{deliverables.get(campaign.pk, 0):,} d.)"
            )
            pages.append((label, campaign.get_absolute_url()))
        detail_p50s = []
        for label, url in pages:
            page, _cpu = time_requests(client, url, args.requests)
            statements = page_queries(client, url)
            sql = replay(statements, args.requests)
            p50 = statistics.median(page)
            if url != pages[0][1]:
                detail_p50s.append(p50)
            print(
                f"{label:<42} page p50 {p50:7.1f} ms  p95 {percentile(page, 0.95):7.1f} ms"
                f" | SQL p50 {statistics.median(sql):6.1f} ms ({len(statements)} queries)"
            )
        print(
            f"campaign pages: median of p50s {statistics.median(detail_p50s):.1f} ms, "
            f"worst p50 {max(detail_p50s):.1f} ms"
        )
        if args.explain:
            explain(page_queries(client, pages[1][1]))


if __name__ == "__main__":
    main()
