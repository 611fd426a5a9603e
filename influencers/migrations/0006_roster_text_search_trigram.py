"""Trigram indexes for the roster's free-text search (PostgreSQL only).

Django's ``icontains`` is ``UPPER(col::text) LIKE UPPER('%term%')``; a GIN trigram index on that
same expression serves it. SQLite has no such index type and keeps its table scan. The indexes
live outside the model state on purpose (they are vendor-specific), so they are created here
with ``IF NOT EXISTS`` and dropped on reverse. pg_trgm is a trusted extension (PostgreSQL 13+):
the database owner may create it.
"""

from django.db import migrations

INDEXES = [
    ("influencer_name_trgm", "influencers_influencer", "name"),
    ("influencer_email_trgm", "influencers_influencer", "email"),
    ("account_handle_trgm", "influencers_socialaccount", "handle"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, table, column in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} "
            f"USING gin (UPPER({column}::text) gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _table, _column in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("influencers", "0005_roster_sort_and_country_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
