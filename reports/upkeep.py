"""What the derived rows should be, and the check and rebuild of what they are.

The triggers of migrations 0002 and 0004 keep `reports.models` in step on every write; this
module is for proving it (`manage.py reports_check`) and for mending rows written while the
triggers were off (`--rebuild`). The sums' definition is the plain GROUP BY over the
deliverables; the per-influencer rows' is the SELECT their triggers run (migration 0004).
"""

from importlib import import_module

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from partnerships.models import RESULT_TOTAL_FIELDS, Deliverable
from reports.models import InfluencerResults, PartnershipMonthResults, PartnershipResults

SUMS = ("deliverables", *RESULT_TOTAL_FIELDS)
# The triggers' own definition, so the check proves exactly what they write.
_influencer_rows = import_module("reports.migrations.0004_influencer_results_triggers")

# {derived model: (its key columns, its other columns)}
TABLES = {
    PartnershipResults: (("partnership_id",), SUMS),
    PartnershipMonthResults: (("partnership_id", "platform", "month"), SUMS),
    InfluencerResults: (
        _influencer_rows.COLUMNS[:3],
        _influencer_rows.COLUMNS[3:],
    ),
}


def expected_sql(model):
    """(SQL, params): ``model``'s rows as their definition gives them (keys, then columns)."""
    if model is InfluencerResults:
        return _influencer_rows.definition("1 = 1"), []
    keys, _ = TABLES[model]
    queryset = Deliverable.objects.order_by()
    if "month" in keys:
        queryset = queryset.annotate(month=TruncMonth("published_on"))
    return (
        queryset.values(*keys)
        .annotate(deliverables=Count("pk"), **{name: Sum(name) for name in RESULT_TOTAL_FIELDS})
        .query.sql_with_params()
    )


def _differences_sql(model):
    """(SQL, params): stored rows and expected rows that differ, each as (source, key...)."""
    quote = connection.ops.quote_name
    keys, others = TABLES[model]
    # Money is compared in cents: SQLite sums it as floating point, in another order.
    columns = ", ".join(
        [*keys, *(f"ROUND({c}, 2)" if c in ("revenue", "contract_value") else c for c in others)]
    )
    sql, params = expected_sql(model)
    stored = f"SELECT {columns} FROM {quote(model._meta.db_table)}"  # noqa: S608
    computed = f"SELECT {columns} FROM ({sql}) e"  # noqa: S608
    return (
        f"SELECT 'stored', {', '.join(keys)} FROM ({stored} EXCEPT {computed}) a "  # noqa: S608
        f"UNION ALL SELECT 'expected', {', '.join(keys)} FROM ({computed} EXCEPT {stored}) b",
        [*params, *params],
    )


def out_of_step(limit=100):
    """[(model name, 'stored' or 'expected', key...)]: rows that differ from their definition
    (a stored row that should not be, or differs; a row that should be and is not or differs),
    at most ``limit`` per table. Empty when every row is right."""
    found = []
    for model in TABLES:
        sql, params = _differences_sql(model)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT {int(limit)}", params)
            found += [(model.__name__, *row) for row in cursor.fetchall()]
    return found


@transaction.atomic
def rebuild():
    """Rewrite every derived row from its definition (one DELETE and one INSERT per table; the
    sums first, as the per-influencer rows read them)."""
    quote = connection.ops.quote_name
    for model, (keys, others) in TABLES.items():
        model.objects.all().delete()
        sql, params = expected_sql(model)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} "  # noqa: S608
                f"({', '.join([*keys, *others])}) {sql}",
                params,
            )
