"""Django's CPU time and queries per page, for the pages of the throughput goals (read only).

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_bench \\
        .venv/bin/python bench/page_cpu.py [--requests 50] [--user marketer] [--profile PAGE]

For each page: the median CPU time of this process per request (time.process_time: Python's
share, which a loaded machine disturbs far less than wall time), over --requests requests after
two warm-ups, and the queries of one request. The pages are those of docs/performance.md's
throughput goals: roster page 1 (Micro + Beauty), a partnership page and the tier comparison.
``--profile roster`` (or ``partnership``, ``tiers``) prints the top cProfile entries of that page;
``--only PAGE`` measures that page alone.

Instructions per request, which other work on the machine does not change (valgrind's count of
the whole process, with and without N requests; the difference / N):

    for n in 0 20; do env -u DEBUG valgrind --tool=callgrind --callgrind-out-file=/dev/null \\
        .venv/bin/python bench/page_cpu.py --only partnership --requests $n 2>&1 | grep Collected
    done

DEBUG is off, as in production. Sessions are signed cookies, so the session read is not among
the queries (database sessions add one query, cached_db sessions none on a cache hit). The
connection is read only: nothing is written to the benchmark database.
"""

import argparse
import cProfile
import pstats
import statistics
import sys
import time

import _env

_env.setup(read_only=True)

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.signals import user_logged_in  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from influencers.models import Niche, Tier  # noqa: E402
from partnerships.models import Partnership  # noqa: E402


def pages():
    micro = Tier.objects.get(name="Micro").pk
    beauty = Niche.objects.get(slug="beauty").pk
    partnership = Partnership.objects.filter(status="active").order_by("pk").first()
    return {
        "roster": f"/influencers/?tier={micro}&niche={beauty}",
        "partnership": f"/partnerships/{partnership.pk}/",
        "tiers": "/reports/tiers/",
    }


PAGES = ["roster", "partnership", "tiers"]


def measure(client, url, count):
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    cpu = []
    for _ in range(count):
        start = time.process_time()
        client.get(url)
        cpu.append((time.process_time() - start) * 1000)
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return (statistics.median(cpu) if cpu else 0), captured.captured_queries


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--user", default="marketer")
    parser.add_argument("--profile", choices=PAGES)
    parser.add_argument("--only", choices=PAGES)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL (see the docstring).")

    user_logged_in.receivers = []  # no last_login update, no access log row
    with override_settings(
        SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
        ALLOWED_HOSTS=["testserver", *settings.ALLOWED_HOSTS],
    ):
        client = Client()
        client.force_login(get_user_model().objects.get(username=args.user))
        urls = pages()
        if args.only:
            urls = {args.only: urls[args.only]}
        print(f"{connection.settings_dict['NAME']} as {args.user}, {args.requests} requests each")
        for name, url in urls.items():
            cpu, queries = measure(client, url, args.requests)
            print(f"{name:<12} CPU p50 {cpu:5.1f} ms | {len(queries):2} queries | {url}")
            if args.sql:
                for query in queries:
                    print(f"    {query['sql'][:140]}")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            for _ in range(args.requests):
                client.get(urls[args.profile])
            profile.disable()
            stats = pstats.Stats(profile)
            stats.sort_stats("tottime").print_stats(args.top)
            stats.sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
