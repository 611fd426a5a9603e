"""Time what a write pays now that the database keeps the report sums: saving a deliverable
through its edit form, and a bulk update of deliverables. Every run is rolled back.

    env -u DEBUG DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_bench \\
        .venv/bin/python bench/writes.py [--runs 30] [--no-triggers]

``--no-triggers`` disables the report triggers inside each rolled-back run (PostgreSQL's
``ALTER TABLE ... DISABLE TRIGGER``, also rolled back): the same write without its upkeep, for
the difference. The form POST goes through the whole view (login, form, service, redirect).
"""

import argparse
import statistics
import sys
import time

import _env

_env.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import F  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from timing import Rollback, percentile  # noqa: E402

from partnerships.models import Deliverable  # noqa: E402

TRIGGERS = "ALTER TABLE partnerships_deliverable {} TRIGGER USER"


def timed(runs, action, no_triggers):
    timings = []
    for index in range(runs + 1):
        try:
            with transaction.atomic():
                if no_triggers:
                    with connection.cursor() as cursor:
                        cursor.execute(TRIGGERS.format("DISABLE"))
                start = time.perf_counter()
                action(index)
                elapsed = (time.perf_counter() - start) * 1000
                raise Rollback
        except Rollback:
            pass
        if index:  # the first run warms up
            timings.append(elapsed)
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-triggers", action="store_true")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("Run against PostgreSQL: set DATABASE_URL (see the docstring).")

    client = Client()
    client.force_login(get_user_model().objects.get(username="marketer"))
    deliverables = list(
        Deliverable.objects.filter(status=Deliverable.Status.PUBLISHED).order_by("pk")[:200]
    )

    def save_form(index):
        deliverable = deliverables[index % len(deliverables)]
        url = reverse("partnerships:deliverable-update", args=[deliverable.pk])
        data = {
            name: getattr(deliverable, name)
            for name in (
                "kind",
                "platform",
                "status",
                "url",
                "impressions",
                "reach",
                "likes",
                "comments",
                "shares",
                "saves",
                "conversions",
                "revenue",
            )
        }
        data.update(
            due_date=deliverable.due_date or "",
            published_on=deliverable.published_on or "",
            clicks=deliverable.clicks + 1,
            version=deliverable.version,  # as the page carries it (every run is rolled back)
        )
        response = client.post(url, data)
        assert response.status_code == 302, (response.status_code, url)

    def bulk_update(index):
        start = deliverables[index % len(deliverables)].pk
        Deliverable.objects.filter(pk__gte=start, pk__lt=start + 1000).update(
            clicks=F("clicks") + 1
        )

    triggers = "off" if args.no_triggers else "on"
    print(f"database: {connection.settings_dict['NAME']}, triggers {triggers}")
    for label, action in (
        ("deliverable form save (POST)", save_form),
        ("bulk UPDATE of 1,000 deliverables", bulk_update),
    ):
        timings = timed(args.runs, action, args.no_triggers)
        print(
            f"{label:<36} p50 {statistics.median(timings):6.1f} ms  "
            f"p95 {percentile(timings, 0.95):6.1f} ms  min {min(timings):6.1f} ms"
        )


if __name__ == "__main__":
    main()
