"""Bulk audit-trail recording: crm.history.history_record_bulk against simple-history's own
bulk_history_create, on a seeded PostgreSQL database of your own (never the shared crm_bench).

    createdb crm_d_bench   # or: psql -c 'CREATE DATABASE crm_d_bench'
    export DEBUG=true DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/crm_d_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py seed_demo --influencers 20000 --deliverables 200000
    .venv/bin/python bench/audit_history.py

Each measurement runs in a transaction that is rolled back, so the database can be reused.
"""

import sys
import time

import _env

_env.setup(debug=True)

from django.db import connection, transaction  # noqa: E402

from crm.history import history_record_bulk, history_record_objects  # noqa: E402
from influencers.models import Influencer  # noqa: E402
from partnerships.models import Deliverable  # noqa: E402


class Rollback(Exception):
    pass


def timed(label, func):
    started = time.perf_counter()
    try:
        with transaction.atomic():
            rows = func()
            elapsed = time.perf_counter() - started
            raise Rollback
    except Rollback:
        pass
    print(f"{label:<62} {rows:>9,} rows {elapsed:7.2f} s {rows / elapsed:>10,.0f} rows/s")
    return elapsed


def simple_history_bulk(model, batch_size=5000):
    """simple-history's documented way: build historical objects in Python, bulk insert them."""
    written = 0
    batch = []
    for obj in model.objects.order_by("pk").iterator(chunk_size=batch_size):
        batch.append(obj)
        if len(batch) == batch_size:
            written += len(model.history.bulk_history_create(batch, batch_size=batch_size))
            batch = []
    if batch:
        written += len(model.history.bulk_history_create(batch, batch_size=batch_size))
    return written


def main():
    if connection.vendor != "postgresql" or connection.settings_dict["NAME"] == "crm_bench":
        sys.exit("Run on your own PostgreSQL database (not the shared crm_bench).")
    deliverables = Deliverable.objects.count()
    influencers = Influencer.objects.count()
    name = connection.settings_dict["NAME"]
    print(f"{name}: {influencers:,} influencers, {deliverables:,} deliverables")
    timed(
        "history_record_bulk(Deliverable.objects.all())  INSERT..SELECT",
        lambda: history_record_bulk(queryset=Deliverable.objects.all(), change_reason="bench"),
    )
    timed(
        "Deliverable.history.bulk_history_create (simple-history)",
        lambda: simple_history_bulk(Deliverable),
    )
    timed(
        "history_record_bulk(Influencer.objects.all())",
        lambda: history_record_bulk(queryset=Influencer.objects.all()),
    )
    batch = list(Influencer.objects.order_by("pk")[:10_000])
    timed(
        "history_record_objects(10,000 influencers just bulk-created)",
        lambda: history_record_objects(objects=batch),
    )


if __name__ == "__main__":
    main()
