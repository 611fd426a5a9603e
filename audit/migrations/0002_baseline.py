"""A starting point for the trail: one "created" history row per record that existed before it.

Without it the first edit of an older record (e.g. the default tiers) would have nothing to be
compared with. One INSERT ... SELECT per table, so it stays fast on large tables.
"""

from django.db import migrations
from django.utils import timezone

AUDITED = [
    ("influencers", "Tier"),
    ("influencers", "Influencer"),
    ("influencers", "SocialAccount"),
    ("campaigns", "Campaign"),
    ("partnerships", "Partnership"),
    ("partnerships", "Deliverable"),
]
REASON = "baseline: existed when the audit trail started"


def record_baseline(apps, schema_editor):
    connection = schema_editor.connection
    quote = connection.ops.quote_name
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with connection.cursor() as cursor:
        for app_label, model_name in AUDITED:
            model = apps.get_model(app_label, model_name)
            history = apps.get_model("audit", f"Historical{model_name}")
            columns = [
                field.column
                for field in history._meta.concrete_fields
                if not field.name.startswith("history_")
            ]
            source = quote(model._meta.db_table)
            cursor.execute(
                f"INSERT INTO {quote(history._meta.db_table)} "
                f"({', '.join(quote(c) for c in columns)}, history_date, history_type, "
                "history_change_reason) "
                f"SELECT {', '.join(f'{source}.{quote(c)}' for c in columns)}, %s, '+', %s "
                f"FROM {source}",
                [now, REASON],
            )


def remove_baseline(apps, schema_editor):
    for _, model_name in AUDITED:
        apps.get_model("audit", f"Historical{model_name}").objects.filter(
            history_change_reason=REASON
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_historical_records")]

    operations = [migrations.RunPython(record_baseline, remove_baseline)]
