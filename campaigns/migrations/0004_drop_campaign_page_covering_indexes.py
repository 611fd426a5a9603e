"""Drop the covering indexes of 0003: measured on the 1M-deliverable data set (docs/performance.md,
"Campaign pages") they did not make the campaign pages faster. The pages' cost is the join to the
influencers (current tier) and one index descent per partnership into the deliverables, which the
existing foreign-key indexes already serve; the deliverable index alone took 99 MB.

Self-contained on purpose (a migration must not change when another one is edited).
"""

from django.db import migrations

INDEXES = {
    "campaign_partnership_totals": (
        "partnerships",
        "Partnership",
        "(campaign_id, status) INCLUDE (collaboration_type, contract_value, influencer_id)",
    ),
    "campaign_deliverable_results": (
        "partnerships",
        "Deliverable",
        "(partnership_id) INCLUDE "
        "(impressions, reach, likes, comments, shares, saves, clicks, conversions, revenue)",
    ),
}


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


def recreate_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (app_label, model_name, columns) in INDEXES.items():
        table = apps.get_model(app_label, model_name)._meta.db_table
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} ON {table} {columns}"
        )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [("campaigns", "0003_campaign_page_covering_indexes")]

    operations = [migrations.RunPython(drop_indexes, recreate_indexes)]
