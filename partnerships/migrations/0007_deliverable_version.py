"""Deliverables get the optimistic-locking version (crm.concurrency).

On SQLite, Django adds a NOT NULL column by rebuilding the table, and dropping the old table
drops the triggers reports/ keeps on it (reports 0002): the report sums would silently stop
following the deliverables. A column with a constant database default can be added in place
(ALTER TABLE ... ADD COLUMN), which keeps the table and its triggers; PostgreSQL adds it in
place anyway.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


class AddFieldInPlace(migrations.AddField):
    """AddField that never rebuilds the table (the field needs a constant ``db_default``)."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor != "sqlite":
            return super().database_forwards(app_label, schema_editor, from_state, to_state)
        model = to_state.apps.get_model(app_label, self.model_name)
        if self.allow_migrate_model(schema_editor.connection.alias, model):
            field = model._meta.get_field(self.name)
            # The generic ALTER TABLE ADD COLUMN, not SQLite's rebuild.
            BaseDatabaseSchemaEditor.add_field(schema_editor, model, field)
        return None


class Migration(migrations.Migration):
    dependencies = [
        ("partnerships", "0006_signed_report_index"),
    ]

    operations = [
        AddFieldInPlace(
            model_name="deliverable",
            name="version",
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False),
        ),
    ]
