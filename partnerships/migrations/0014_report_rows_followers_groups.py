"""Tell PostgreSQL's planner that the report rows' ``followers`` copy groups into a few tiers
(PostgreSQL only): the month and day rows, and the influencer rows of the rollup.

The tier comparison groups these rows by a CASE over ``followers`` (today's thresholds, built on
each load) and the collaboration type: 8-10 groups. The planner estimates the groups of such an
expression from the column's distinct values, ~30,000 at 100,000 influencers, and then often
judges a partial aggregate in the parallel worker not worth it: the worker only scans, and the
leader groups every row alone. ``n_distinct`` is PostgreSQL's own override of that statistic.
The reports only group the column by tier and sum it; no query filters or joins on it (the
`--check` commands compare it with its expected value, a row difference), so no other plan
depends on the override. ANALYZE applies the override at once (a bounded
sample, seconds at 1,000,000 deliverables). Measured in docs/performance.md (2026-11-30).
"""

from django.db import migrations

TABLES = (
    "partnerships_partnershipmonthresults",
    "partnerships_partnershipdayresults",
    "partnerships_influencerresults",
)
# More than any tier list is long (tiers + "no tier"), far below the real distinct counts.
FOLLOWERS_GROUPS = 10


def set_groups(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(
            f"ALTER TABLE {table} ALTER COLUMN followers SET (n_distinct = {FOLLOWERS_GROUPS})"
        )
    schema_editor.execute(f"ANALYZE {', '.join(TABLES)}")


def reset_groups(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {table} ALTER COLUMN followers RESET (n_distinct)")
    schema_editor.execute(f"ANALYZE {', '.join(TABLES)}")


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0013_period_results_first_rows")]

    operations = [migrations.RunPython(set_groups, reset_groups)]
