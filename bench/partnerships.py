"""Partnership pages' speed on the 1,000,000-deliverable PostgreSQL data set (read only).

Times the partnership list (unfiltered and with each filter), the board, a partnership page, the
renewals page and the deliverable list through Django's test client: p50/p95 over --requests
requests, then the page's SQL alone (replayed with a cursor). Goal: list p50 < 100 ms.

    DEBUG=true DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_bench \\
        .venv/bin/python bench/partnerships.py --requests 30

Nothing is written: sessions are signed cookies, login signals are muted, and the whole run sits in
a transaction that is rolled back.
"""

import argparse
import statistics
import sys

import _env

_env.setup(debug=True)

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.signals import user_logged_in  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from timing import Rollback, page_queries, percentile, replay, time_requests  # noqa: E402

from campaigns.models import Campaign  # noqa: E402
from influencers.models import Tier  # noqa: E402
from partnerships.models import Partnership  # noqa: E402


def report(label, page, cpu, sql, queries):
    p50, p95 = statistics.median(page), percentile(page, 0.95)
    sql50 = statistics.median(sql)
    print(
        f"{label:<34} page p50 {p50:7.1f} ms  p95 {p95:7.1f} ms | Python CPU p50 "
        f"{statistics.median(cpu):6.1f} ms | SQL p50 {sql50:6.1f} ms ({queries} queries)"
    )
    return p50


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--only", default="", help="run only the pages whose label contains this")
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL (see the docstring).")
    user = get_user_model().objects.filter(is_superuser=True, is_active=True).first()
    if user is None:
        sys.exit("No active superuser in this database (seed_demo creates one).")
    micro = Tier.objects.get(name__iexact="Micro")
    campaign = Campaign.objects.order_by("pk").first()
    busiest = Partnership.objects.annotate(n=Count("deliverables")).order_by("-n", "pk").first()
    user_logged_in.receivers = []  # no last_login update, no access log row
    pages = [
        ("list, no filter", "/partnerships/"),
        ("list, page 20 (last reachable)", "/partnerships/?page=20"),
        ("list, status active+contracted", "/partnerships/?status=active&status=contracted"),
        ("list, tier Micro", f"/partnerships/?tier={micro.pk}"),
        ("list, campaign", f"/partnerships/?campaign={campaign.pk}"),
        ("list, long-term", "/partnerships/?collaboration_type=long_term"),
        ("list, renewal due within 30", "/partnerships/?renewal_due_within=30"),
        (
            "list, all filters",
            f"/partnerships/?collaboration_type=one_off&status=active&tier={micro.pk}"
            f"&campaign={campaign.pk}",
        ),
        ("board", "/partnerships/board/"),
        (f"detail ({busiest.n} deliverables)", f"/partnerships/{busiest.pk}/"),
        ("renewals (30 days)", "/partnerships/renewals/"),
        ("deliverables, no filter", "/partnerships/deliverables/"),
        ("deliverables, overdue", "/partnerships/deliverables/?overdue=1"),
        ("influencer search 'ann'", "/partnerships/influencer-search/?influencer_q=ann"),
        ("influencer search 'zzqx' (none)", "/partnerships/influencer-search/?influencer_q=zzqx"),
        ("log-a-partnership form", "/partnerships/new/"),
    ]
    print(
        f"{connection.settings_dict['NAME']}: {Partnership.objects.count():,} partnerships, "
        f"{args.requests} requests a page"
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
            for label, url in pages:
                if args.only and args.only not in label:
                    continue
                page_times, cpu_times = time_requests(client, url, args.requests)
                statements = page_queries(client, url)
                sql_times, queries = replay(statements, args.requests), len(statements)
                report(label, page_times, cpu_times, sql_times, queries)
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main()
