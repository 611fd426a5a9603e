"""Refresh planner statistics of the roster's tables (PostgreSQL only).

0005 and 0006 add expression indexes (UPPER(country), trigram UPPER(name/email/handle)); PostgreSQL
keeps statistics for an index expression only after ANALYZE, and until then it guesses the
selectivity of those filters. Autovacuum would get there eventually (and never, where it is
off); running ANALYZE here makes the new indexes usable with good plans from the first request.
It reads a bounded sample (seconds at 100k rows) and changes no data. Nothing to undo.
"""

from django.db import migrations

TABLES = ("influencers_influencer", "influencers_socialaccount", "influencers_influencer_niches")


def analyze(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ANALYZE {', '.join(TABLES)}")


class Migration(migrations.Migration):
    dependencies = [("influencers", "0006_roster_text_search_trigram")]

    operations = [migrations.RunPython(analyze, migrations.RunPython.noop, elidable=True)]
