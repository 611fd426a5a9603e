"""Time the tier comparison page on a large database, read only.

    env -u DEBUG DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_bench \\
        .venv/bin/python bench/tier_comparison.py [--runs 7] [--reference] [--explain SCENARIO]

It runs with DEBUG off unless DEBUG is set (production renders templates without debug
information and logs no queries).

Each scenario renders the whole page (view, one aggregate, template) through Django's request
factory, ``--runs`` times; nothing is cached between runs (the report has no cache at all), so
every run plans and executes the query again. The connection is put in read-only mode first:
the script cannot write to the shared benchmark database.

``--reference`` also times the statement alone, as the page runs it (on the derived sums of
`reports.models`) and as its reference reading over the base tables: what the derived tables
earn, per scenario.
"""

import argparse
import os
import statistics
import time
from datetime import date, timedelta

import _env

_env.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import RequestFactory  # noqa: E402

from campaigns.models import Campaign  # noqa: E402
from influencers.models import Influencer, Niche  # noqa: E402
from influencers.tiers import tier_ranges  # noqa: E402
from reports import selectors, statements  # noqa: E402
from reports.forms import TierComparisonFilterForm  # noqa: E402
from reports.views import TierComparisonView  # noqa: E402


class BenchUser(AnonymousUser):
    """Logged in for the view, without a session row (the database stays untouched)."""

    is_authenticated = True
    is_anonymous = False

    def has_perm(self, perm, obj=None):
        return True


def _months_before(first_day, months):
    """The first day of the month ``months`` before the month starting on ``first_day``."""
    index = first_day.year * 12 + first_day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def scenarios():
    campaign = Campaign.objects.order_by("pk").first()
    niche = Niche.objects.order_by("pk").first()
    today = date.today()
    last = today.replace(day=1) - timedelta(days=1)
    month = (last.replace(day=1), last)
    previous = (month[0] - timedelta(days=1)).replace(day=1)
    return {
        "no filter": {},
        "campaign": {"campaign": campaign.pk},
        "objective": {"objective": campaign.objective},
        "period (one month)": {
            "published_after": month[0].isoformat(),
            "published_before": month[1].isoformat(),
        },
        # Two partly covered months and no whole one: every row comes from the day rows.
        "period (15th to 15th)": {
            "published_after": (month[0] - timedelta(days=17)).replace(day=15).isoformat(),
            "published_before": month[0].replace(day=15).isoformat(),
        },
        # The days of two partly covered months and one whole month between.
        "period (15th to 15th, a whole month between)": {
            "published_after": (previous - timedelta(days=17)).replace(day=15).isoformat(),
            "published_before": month[0].replace(day=15).isoformat(),
        },
        # What a marketer picks most: ends today, in a partly covered month.
        "period (last 90 days)": {
            "published_after": (today - timedelta(days=89)).isoformat(),
            "published_before": today.isoformat(),
        },
        # Long periods: their rows grow with the months they cover (not met yet; see
        # docs/performance.md).
        "period (twelve whole months)": {
            "published_after": _months_before(month[0], 11).isoformat(),
            "published_before": month[1].isoformat(),
        },
        "period (year to date)": {
            "published_after": today.replace(month=1, day=1).isoformat(),
            "published_before": today.isoformat(),
        },
        "platform": {"platform": "tiktok"},
        "niche": {"niche": niche.pk},
        "market": {"market": Influencer.objects.order_by("pk").first().country},
        "collaboration type": {"collaboration_type": "long_term"},
        "tier at signing": {"basis": "signing"},
    }


def render(params):
    request = RequestFactory().get("/reports/tiers/", params)
    request.user = BenchUser()
    response = TierComparisonView.as_view()(request)
    response.render()
    assert response.status_code == 200
    return response


def explain(params, reference=False):
    filters = TierComparisonFilterForm(params).filters()
    sql, sql_params = statements.comparison_sql(filters, tier_ranges(), reference=reference)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, sql_params)
        return "\n".join(row[0] for row in cursor.fetchall())


def statement_ms(params, runs, reference):
    filters = TierComparisonFilterForm(params).filters()
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        selectors.tier_comparison(filters=filters, reference=reference)
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def baseline_ms(runs=3):
    """The machine's speed right now: a bare parallel sum over every deliverable (what any
    un-rolled-up report must at least do). Read the timings relative to it."""
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT COUNT(*), SUM(impressions), SUM(likes), SUM(revenue) "
                "FROM partnerships_deliverable"
            )
            cursor.fetchall()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def read_only():
    """Put the connection in read-only mode: a bench cannot write to the shared database."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SET default_transaction_read_only = on"
            if connection.vendor == "postgresql"
            else "PRAGMA query_only = ON"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--explain", help="print the plan of one scenario and stop")
    parser.add_argument("--only", help="run only the scenarios whose name contains this")
    parser.add_argument(
        "--reference", action="store_true", help="also time the statement and its reference"
    )
    args = parser.parse_args()

    read_only()
    cases = scenarios()
    if args.explain:
        print(explain(cases[args.explain], reference=args.reference))
        return

    print(f"database: {connection.settings_dict['NAME']} ({connection.vendor})")
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    print(f"baseline (bare sum over all deliverables): {baseline_ms():.0f} ms")
    extra = " statement p50 | reference p50 | ratio |" if args.reference else ""
    print("| scenario | first run | p50 | min | max |" + extra)
    print("|---|---|---|---|---|" + ("---|---|---|" if args.reference else ""))
    for name, params in cases.items():
        if args.only and args.only not in name:
            continue
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            render(params)
            timings.append((time.perf_counter() - start) * 1000)
        line = (
            f"| {name} | {timings[0]:.0f} ms | {statistics.median(timings):.0f} ms "
            f"| {min(timings):.0f} ms | {max(timings):.0f} ms |"
        )
        if args.reference:
            derived = statement_ms(params, args.runs, reference=False)
            plain = statement_ms(params, max(3, args.runs // 2), reference=True)
            line += f" {derived:.0f} ms | {plain:.0f} ms | {plain / derived:.1f}x |"
        print(line, flush=True)
    print(f"baseline again: {baseline_ms():.0f} ms")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
