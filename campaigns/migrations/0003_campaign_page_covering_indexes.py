"""Covering indexes for the campaign pages' totals (PostgreSQL only).

The campaign page sums a campaign's partnerships (committed, counts by type) and all their
deliverables' results (~80,000 rows per campaign in the 1M-deliverable data set). With these
indexes both sums are index-only scans instead of reads of scattered heap pages; see
docs/performance.md, "Campaign pages". They live on the partnerships tables but serve only the
campaign pages, so they are created here, by raw SQL outside Django's model state (names prefixed
``campaign_``); SQLite (development) does without them.
"""

from django.db import migrations

INDEXES = [
    (
        "partnerships",
        "Partnership",
        "campaign_partnership_totals",
        "(campaign_id, status) INCLUDE (collaboration_type, contract_value, influencer_id)",
    ),
    (
        "partnerships",
        "Deliverable",
        "campaign_deliverable_results",
        "(partnership_id) INCLUDE "
        "(impressions, reach, likes, comments, shares, saves, clicks, conversions, revenue)",
    ),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for app_label, model_name, name, columns in INDEXES:
        table = apps.get_model(app_label, model_name)._meta.db_table
        # CONCURRENTLY: no write lock on a live table while it builds (hence atomic = False).
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} {columns}"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _app_label, _model_name, name, _columns in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("campaigns", "0002_initial"),
        ("partnerships", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
