"""Every page of the app once, on a large PostgreSQL database (read only): status and time.

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_bench \\
        .venv/bin/python bench/pages.py [--runs 3]

A smoke test at scale, not a benchmark: each page is fetched once to warm up, then --runs times,
and the median is printed. DEBUG is off, as in production; sessions are signed cookies and the
connection is read only, so nothing is written. Logs in as the seed's demo user.
"""

import argparse
import statistics
import sys
import time

import _env

_env.setup(read_only=True)


from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.signals import user_logged_in  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

from campaigns.models import Campaign  # noqa: E402
from influencers.models import Influencer, Tier  # noqa: E402
from partnerships.models import Deliverable, Partnership  # noqa: E402


def pages():
    influencer = Influencer.objects.order_by("-followers", "pk").first()
    campaign = Campaign.objects.order_by("pk").first()
    partnership = Partnership.objects.filter(status="active").order_by("pk").first()
    deliverable = Deliverable.objects.order_by("pk").first()
    tiers = list(Tier.objects.order_by("min_followers"))
    return [
        "/",
        "/influencers/",
        "/influencers/?page=2000",
        "/influencers/?q=lena",
        f"/influencers/{influencer.pk}/",
        f"/influencers/{influencer.pk}/edit/",
        "/influencers/new/",
        "/influencers/import/",
        "/influencers/export.csv",
        "/campaigns/",
        f"/campaigns/{campaign.pk}/",
        f"/campaigns/{campaign.pk}/edit/",
        "/partnerships/",
        "/partnerships/new/",
        "/partnerships/board/",
        "/partnerships/renewals/",
        "/partnerships/deliverables/",
        "/partnerships/deliverables/?overdue=1",
        f"/partnerships/{partnership.pk}/",
        f"/partnerships/{partnership.pk}/edit/",
        f"/partnerships/deliverables/{deliverable.pk}/edit/",
        "/reports/tiers/",
        f"/reports/tiers/compare/?a={tiers[1].pk}&b={tiers[2].pk}",
        "/reports/tiers/export.csv",
        f"/history/influencers/influencer/{influencer.pk}/",
        "/admin/",
        "/admin/influencers/tier/",
        "/admin/influencers/influencer/",
        "/admin/partnerships/partnership/",
        f"/admin/partnerships/partnership/{partnership.pk}/change/",
        "/admin/partnerships/deliverable/",
        "/admin/campaigns/campaign/",
    ]


def fetch(client, url):
    start = time.perf_counter()
    response = client.get(url)
    if getattr(response, "streaming", False):
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    return response.status_code, (time.perf_counter() - start) * 1000, size


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL (see the docstring).")
    user = get_user_model().objects.filter(username="demo").first()
    if user is None:
        sys.exit("No demo user in this database (seed_demo creates it).")
    user_logged_in.receivers = []  # no last_login update
    with override_settings(SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
        client = Client()
        client.force_login(user)
        print(f"{connection.settings_dict['NAME']}: median of {args.runs} runs after a warm-up")
        print("| page | status | median | size |\n|---|---|---|---|")
        for url in pages():
            fetch(client, url)
            runs = [fetch(client, url) for _ in range(args.runs)]
            status = runs[-1][0]
            median = statistics.median(ms for _, ms, _ in runs)
            print(f"| `{url}` | {status} | {median:.1f} ms | {runs[-1][2]:,} B |")


if __name__ == "__main__":
    main()
