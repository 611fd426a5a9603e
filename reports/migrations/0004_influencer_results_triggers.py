"""The database rewrites an influencer's rows of reports_influencerresults from their definition
whenever one of their partnerships changes (insert, update, delete) or the sums of one change
(reports_partnershipresults, itself kept by the triggers of 0002 on the deliverables).

Unlike the sums of 0002, which add and take out, these rows are recomputed per influencer: the
definition below runs for the influencers a statement touched. PostgreSQL: statement-level
triggers with transition tables call reports_influencers_rewrite(ids). SQLite: row-level
triggers run the same DELETE and INSERT for the row's influencer. The SQL is frozen here;
reports.upkeep checks and rebuilds the rows with the same definition.
"""

from django.db import migrations

TABLE = "reports_influencerresults"
PARTNERSHIPS = "partnerships_partnership"
SUMS = "reports_partnershipresults"
RESULTS = (
    "deliverables",
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
COLUMNS = (
    "influencer_id",
    "tier_at_signing_id",
    "collaboration_type",
    "partnerships",
    "contract_value",
    *RESULTS,
    "first_of_influencer",
    "first_of_influencer_type",
    "first_of_influencer_tier",
)


def definition(scope):
    """SELECT of the rows of the influencers ``scope`` (SQL on p.influencer_id) picks."""
    sums = ", ".join(f"SUM(COALESCE(r.{name}, 0)) AS {name}" for name in RESULTS)

    def first(partition, order):
        return (
            f"CASE WHEN ROW_NUMBER() OVER (PARTITION BY {partition} ORDER BY {order}) = 1 "
            "THEN 1 ELSE 0 END"
        )

    return f"""
        SELECT g.*,
               {first("influencer_id", "tier_at_signing_id, collaboration_type")}
                   AS first_of_influencer,
               {first("influencer_id, collaboration_type", "tier_at_signing_id")}
                   AS first_of_influencer_type,
               {first("influencer_id, tier_at_signing_id", "collaboration_type")}
                   AS first_of_influencer_tier
        FROM (
            SELECT p.influencer_id, p.tier_at_signing_id, p.collaboration_type,
                   COUNT(*) AS partnerships, SUM(p.contract_value) AS contract_value, {sums}
            FROM {PARTNERSHIPS} p LEFT JOIN {SUMS} r ON r.partnership_id = p.id
            WHERE p.status IN ('contracted', 'active', 'completed') AND {scope}
            GROUP BY p.influencer_id, p.tier_at_signing_id, p.collaboration_type
        ) g
    """


def rewrite(scope, target):
    """Statements that rewrite the rows of the influencer(s) ``target`` (SQL) names."""
    return [
        f"DELETE FROM {TABLE} WHERE influencer_id {target};",
        f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) {definition(scope)};",
    ]


POSTGRESQL = f"""
CREATE FUNCTION reports_influencers_rewrite(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    {" ".join(rewrite("p.influencer_id = ANY(ids)", "= ANY(ids)"))}
$$;
CREATE FUNCTION reports_partnerships_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM reports_influencers_rewrite(ARRAY(SELECT DISTINCT influencer_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM reports_influencers_rewrite(ARRAY(SELECT DISTINCT influencer_id FROM old_rows));
    ELSE
        PERFORM reports_influencers_rewrite(ARRAY(
            SELECT influencer_id FROM old_rows UNION SELECT influencer_id FROM new_rows
        ));
    END IF;
    RETURN NULL;
END $$;
CREATE FUNCTION reports_sums_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM reports_influencers_rewrite(ARRAY(
            SELECT DISTINCT p.influencer_id FROM {PARTNERSHIPS} p
            WHERE p.id IN (SELECT partnership_id FROM new_rows)
        ));
    ELSE
        PERFORM reports_influencers_rewrite(ARRAY(
            SELECT DISTINCT p.influencer_id FROM {PARTNERSHIPS} p
            WHERE p.id IN (SELECT partnership_id FROM old_rows)
        ));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER reports_partnerships_inserted AFTER INSERT ON {PARTNERSHIPS}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_partnerships_changed();
CREATE TRIGGER reports_partnerships_updated AFTER UPDATE ON {PARTNERSHIPS}
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_partnerships_changed();
CREATE TRIGGER reports_partnerships_deleted AFTER DELETE ON {PARTNERSHIPS}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_partnerships_changed();
CREATE TRIGGER reports_sums_inserted AFTER INSERT ON {SUMS}
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_sums_changed();
CREATE TRIGGER reports_sums_updated AFTER UPDATE ON {SUMS}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_sums_changed();
CREATE TRIGGER reports_sums_deleted AFTER DELETE ON {SUMS}
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION reports_sums_changed();
"""

POSTGRESQL_REVERSE = [
    f"DROP TRIGGER IF EXISTS reports_partnerships_inserted ON {PARTNERSHIPS};",
    f"DROP TRIGGER IF EXISTS reports_partnerships_updated ON {PARTNERSHIPS};",
    f"DROP TRIGGER IF EXISTS reports_partnerships_deleted ON {PARTNERSHIPS};",
    f"DROP TRIGGER IF EXISTS reports_sums_inserted ON {SUMS};",
    f"DROP TRIGGER IF EXISTS reports_sums_updated ON {SUMS};",
    f"DROP TRIGGER IF EXISTS reports_sums_deleted ON {SUMS};",
    "DROP FUNCTION IF EXISTS reports_partnerships_changed();",
    "DROP FUNCTION IF EXISTS reports_sums_changed();",
    "DROP FUNCTION IF EXISTS reports_influencers_rewrite(bigint[]);",
]


def sqlite_sql():
    def trigger(name, event, table, influencers):
        body = "\n    ".join(
            statement
            for influencer in influencers
            for statement in rewrite(f"p.influencer_id = {influencer}", f"= {influencer}")
        )
        return f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN\n    {body}\nEND;"

    def of(row):
        return f"(SELECT influencer_id FROM {PARTNERSHIPS} WHERE id = {row}.partnership_id)"

    return [
        trigger("reports_partnerships_inserted", "INSERT", PARTNERSHIPS, ["NEW.influencer_id"]),
        trigger(
            "reports_partnerships_updated",
            "UPDATE",
            PARTNERSHIPS,
            ["OLD.influencer_id", "NEW.influencer_id"],
        ),
        trigger("reports_partnerships_deleted", "DELETE", PARTNERSHIPS, ["OLD.influencer_id"]),
        trigger("reports_sums_inserted", "INSERT", SUMS, [of("NEW")]),
        trigger("reports_sums_updated", "UPDATE", SUMS, [of("NEW")]),
        trigger("reports_sums_deleted", "DELETE", SUMS, [of("OLD")]),
    ]


SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS {name};"
    for name in (
        "reports_partnerships_inserted",
        "reports_partnerships_updated",
        "reports_partnerships_deleted",
        "reports_sums_inserted",
        "reports_sums_updated",
        "reports_sums_deleted",
    )
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL)
    elif vendor == "sqlite":
        for statement in sqlite_sql():
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No report triggers for {vendor}.")
    # Rows for partnerships that exist already (none on a new database).
    schema_editor.execute(f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) {definition('1 = 1')}")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for statement in POSTGRESQL_REVERSE if vendor == "postgresql" else SQLITE_REVERSE:
        schema_editor.execute(statement)
    schema_editor.execute(f"DELETE FROM {TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_influencer_results"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
