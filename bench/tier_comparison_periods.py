"""Time the tier comparison page over a range of publish periods, read only.

    env -u DEBUG DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_bench \\
        .venv/bin/python bench/tier_comparison_periods.py [--runs 5]

Periods relative to today, from one whole month to everything published: whole months only,
months partly covered on one or both sides, and periods ending today. Each renders the whole
page through the view (`tier_comparison.render`); p50 of ``--runs``. For an A/B against another
commit, copy this file and tier_comparison.py into a worktree of it and run both in turn.
"""

import argparse
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tier_comparison as bench  # noqa: E402  (sets Django up)
from django.db import connection  # noqa: E402


def periods(today):
    last = today.replace(day=1) - timedelta(days=1)
    month = last.replace(day=1)
    back = bench._months_before
    return {
        "one whole month": (month, last),
        "15th to 15th (no whole month)": ((month - timedelta(days=17)).replace(day=15),
                                          month.replace(day=15)),
        "last 30 days": (today - timedelta(days=29), today),
        "last 90 days": (today - timedelta(days=89), today),
        "three whole months": (back(month, 2), last),
        "15th to 15th (one whole month between)": (back(month, 2).replace(day=15),
                                                   month.replace(day=15)),
        "six whole months": (back(month, 5), last),
        "twelve whole months": (back(month, 11), last),
        "year to date": (today.replace(month=1, day=1), today),
        "from 1 January 2000": (date(2000, 1, 1), None),
    }  # fmt: skip


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    bench.read_only()
    print(f"baseline (bare sum over all deliverables): {bench.baseline_ms():.0f} ms")
    print(f"database: {connection.settings_dict['NAME']} ({connection.vendor})")
    print("| period | from | to | p50 | min |")
    print("|---|---|---|---|---|")
    for name, (after, before) in periods(date.today()).items():
        params = {"published_after": after.isoformat()}
        if before is not None:
            params["published_before"] = before.isoformat()
        timings = []
        for _ in range(args.runs):
            start = time.perf_counter()
            bench.render(params)
            timings.append((time.perf_counter() - start) * 1000)
        print(
            f"| {name} | {after} | {before or ''} | {statistics.median(timings):.0f} ms "
            f"| {min(timings):.0f} ms |"
        )


if __name__ == "__main__":
    main()
