"""The database keeps the report sums (reports.models) in step with the deliverables.

PostgreSQL: statement-level triggers with transition tables, so a bulk write (COPY, bulk_create,
QuerySet.update/delete) adds or takes out each touched partnership's sums once per statement.
SQLite: row-level triggers doing the same per row. Both take the old rows' sums out, add the new
rows' sums (an upsert) and delete rows left with no deliverable. The month rows' key treats
NULL months (unpublished deliverables) as equal: NULLS NOT DISTINCT on PostgreSQL 15, an
IFNULL expression on SQLite.

The SQL is frozen here, as migrations are; `reports.upkeep` rebuilds the rows from the
deliverables with the same definition (`manage.py reports_check --rebuild`).
"""

from django.db import migrations

DELIVERABLES = "partnerships_deliverable"
TOTALS = "reports_partnershipresults"
MONTHS = "reports_partnershipmonthresults"
RESULTS = (
    "impressions",
    "reach",
    "likes",
    "comments",
    "shares",
    "saves",
    "clicks",
    "conversions",
    "revenue",
)
COLUMNS = ("deliverables", *RESULTS)
# (table, key columns, SQL of each key from a deliverable row, by vendor)
KEYS = {
    TOTALS: {"partnership_id": "{row}partnership_id"},
    MONTHS: {
        "partnership_id": "{row}partnership_id",
        "platform": "{row}platform",
        "month": {
            "postgresql": "date_trunc('month', {row}published_on)::date",
            "sqlite": "date({row}published_on, 'start of month')",
        },
    },
}


def key_sql(table, vendor, row):
    return {
        column: (sql[vendor] if isinstance(sql, dict) else sql).format(row=row)
        for column, sql in KEYS[table].items()
    }


def postgresql_sql():
    def grouped(table, source):
        keys = key_sql(table, "postgresql", "")
        values = ", ".join(f"{sql} AS {column}" for column, sql in keys.items())
        sums = ", ".join(f"SUM({name}) AS {name}" for name in RESULTS)
        return (
            f"SELECT {values}, COUNT(*) AS deliverables, {sums} FROM {source} "
            f"GROUP BY {', '.join(str(i + 1) for i in range(len(keys)))}"
        )

    def same_key(table, left, right):
        return " AND ".join(
            f"{left}.{c} IS NOT DISTINCT FROM {right}.{c}" if c == "month" else f"{left}.{c} = {right}.{c}"
            for c in KEYS[table]
        )

    statements_out, statements_in, statements_clean = [], [], []
    for target in (TOTALS, MONTHS):
        keys = ", ".join(KEYS[target])
        take = ", ".join(f"{c} = t.{c} - d.{c}" for c in COLUMNS)
        add = ", ".join(f"{c} = t.{c} + excluded.{c}" for c in COLUMNS)
        statements_out.append(
            f"UPDATE {target} t SET {take} FROM ({grouped(target, 'old_rows')}) d "
            f"WHERE {same_key(target, 't', 'd')};"
        )
        statements_in.append(
            f"INSERT INTO {target} AS t ({keys}, {', '.join(COLUMNS)}) "
            f"{grouped(target, 'new_rows')} ON CONFLICT ({keys}) DO UPDATE SET {add};"
        )
        statements_clean.append(
            f"DELETE FROM {target} t WHERE t.deliverables = 0 "
            "AND t.partnership_id IN (SELECT partnership_id FROM old_rows);"
        )
    newline = "\n        "
    return f"""
CREATE UNIQUE INDEX report_month_key ON {MONTHS} (partnership_id, platform, month)
    NULLS NOT DISTINCT;
CREATE FUNCTION reports_deliverables_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {newline.join(statements_out)}
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        {newline.join(statements_in)}
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        {newline.join(statements_clean)}
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION reports_deliverables_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM {TOTALS};
    DELETE FROM {MONTHS};
    RETURN NULL;
END $$;
CREATE TRIGGER reports_deliverables_inserted AFTER INSERT ON {DELIVERABLES}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_deliverables_changed();
CREATE TRIGGER reports_deliverables_updated AFTER UPDATE ON {DELIVERABLES}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_deliverables_changed();
CREATE TRIGGER reports_deliverables_deleted AFTER DELETE ON {DELIVERABLES}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_deliverables_changed();
CREATE TRIGGER reports_deliverables_truncated AFTER TRUNCATE ON {DELIVERABLES}
    FOR EACH STATEMENT EXECUTE FUNCTION reports_deliverables_truncated();
"""


POSTGRESQL_REVERSE = f"""
DROP TRIGGER IF EXISTS reports_deliverables_inserted ON {DELIVERABLES};
DROP TRIGGER IF EXISTS reports_deliverables_updated ON {DELIVERABLES};
DROP TRIGGER IF EXISTS reports_deliverables_deleted ON {DELIVERABLES};
DROP TRIGGER IF EXISTS reports_deliverables_truncated ON {DELIVERABLES};
DROP FUNCTION IF EXISTS reports_deliverables_changed();
DROP FUNCTION IF EXISTS reports_deliverables_truncated();
DROP INDEX IF EXISTS report_month_key;
"""


def sqlite_sql():
    def same_key(table, row):
        return " AND ".join(
            f"{c} IS {sql}" for c, sql in key_sql(table, "sqlite", row).items()
        )

    def take_out(row):
        statements = []
        for target in (TOTALS, MONTHS):
            take = ", ".join(
                f"{c} = {c} - {'1' if c == 'deliverables' else row + c}" for c in COLUMNS
            )
            statements.append(f"UPDATE {target} SET {take} WHERE {same_key(target, row)};")
            statements.append(
                f"DELETE FROM {target} WHERE {same_key(target, row)} AND deliverables = 0;"
            )
        return statements

    def add(row):
        statements = []
        for target in (TOTALS, MONTHS):
            keys = key_sql(target, "sqlite", row)
            values = ", ".join([*keys.values(), "1", *(row + c for c in RESULTS)])
            plus = ", ".join(
                f"{c} = {c} + {'1' if c == 'deliverables' else row + c}" for c in COLUMNS
            )
            statements.append(f"UPDATE {target} SET {plus} WHERE {same_key(target, row)};")
            statements.append(
                f"INSERT INTO {target} ({', '.join(keys)}, {', '.join(COLUMNS)}) "
                f"SELECT {values} WHERE NOT EXISTS "
                f"(SELECT 1 FROM {target} WHERE {same_key(target, row)});"
            )
        return statements

    def trigger(name, event, statements):
        body = "\n    ".join(statements)
        return f"CREATE TRIGGER {name} AFTER {event} ON {DELIVERABLES} BEGIN\n    {body}\nEND;"

    return [
        f"CREATE UNIQUE INDEX report_month_key ON {MONTHS} "
        "(partnership_id, platform, IFNULL(month, ''));",
        trigger("reports_deliverables_inserted", "INSERT", add("NEW.")),
        trigger("reports_deliverables_updated", "UPDATE", [*take_out("OLD."), *add("NEW.")]),
        trigger("reports_deliverables_deleted", "DELETE", take_out("OLD.")),
    ]


SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS reports_deliverables_inserted;",
    "DROP TRIGGER IF EXISTS reports_deliverables_updated;",
    "DROP TRIGGER IF EXISTS reports_deliverables_deleted;",
    "DROP INDEX IF EXISTS report_month_key;",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgresql_sql())
    elif vendor == "sqlite":
        for statement in sqlite_sql():
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No report triggers for {vendor}.")
    # Rows for deliverables that exist already (none on a new database).
    fill(schema_editor)


def fill(schema_editor):
    month = key_sql(MONTHS, schema_editor.connection.vendor, "")["month"]
    sums = ", ".join(f"SUM({name})" for name in RESULTS)
    schema_editor.execute(
        f"INSERT INTO {TOTALS} (partnership_id, {', '.join(COLUMNS)}) "
        f"SELECT partnership_id, COUNT(*), {sums} FROM {DELIVERABLES} GROUP BY partnership_id"
    )
    schema_editor.execute(
        f"INSERT INTO {MONTHS} (partnership_id, platform, month, {', '.join(COLUMNS)}) "
        f"SELECT partnership_id, platform, {month}, COUNT(*), {sums} FROM {DELIVERABLES} "
        "GROUP BY 1, 2, 3"
    )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRESQL_REVERSE.strip().split("\n") if vendor == "postgresql" else SQLITE_REVERSE:
        schema_editor.execute(statement)
    schema_editor.execute(f"DELETE FROM {TOTALS}")
    schema_editor.execute(f"DELETE FROM {MONTHS}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
        ("partnerships", "0006_signed_report_index"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
