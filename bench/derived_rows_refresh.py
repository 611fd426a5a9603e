"""Time the refreshes that every write runs to keep the report's derived rows in step.

    env -u DEBUG DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_bench \\
        .venv/bin/python bench/derived_rows_refresh.py [--sample 60]

`partnership_results_refresh` for one partnership (what each deliverable write runs: its totals,
month and day rows, then its influencer's report rows) and `influencer_results_refresh` for one
influencer (what a partnership or followers write runs), on every 100th active partnership.
Each call runs in a transaction that is rolled back: the database is left as it was.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "crm.settings")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret-" + "x" * 32)

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from partnerships.models import Partnership  # noqa: E402
from partnerships.services import (  # noqa: E402
    influencer_results_refresh,
    partnership_results_refresh,
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=60)
    args = parser.parse_args()
    pairs = list(
        Partnership.objects.filter(status=Partnership.Status.ACTIVE)
        .order_by("pk")
        .values_list("pk", "influencer_id")[: args.sample * 100 : 100]
    )
    calls = {
        "partnership_results_refresh (one partnership)": lambda pk, _: partnership_results_refresh(
            partnership_ids=[pk]
        ),
        "influencer_results_refresh (one influencer)": lambda _, influencer: (
            influencer_results_refresh(influencer_ids=[influencer])
        ),
    }
    print("| refresh | p50 | p90 | calls |")
    print("|---|---|---|---|")
    for name, call in calls.items():
        timings = []
        for pk, influencer in pairs:
            with transaction.atomic():
                start = time.perf_counter()
                call(pk, influencer)
                timings.append((time.perf_counter() - start) * 1000)
                transaction.set_rollback(True)
        timings.sort()
        print(
            f"| {name} | {statistics.median(timings):.1f} ms "
            f"| {timings[int(len(timings) * 0.9)]:.1f} ms | {len(timings)} |"
        )


if __name__ == "__main__":
    main()
