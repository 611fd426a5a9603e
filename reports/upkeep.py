"""What the report sums should be, and the check and rebuild of what they are.

The triggers of migration 0002 keep `reports.models` in step on every write; this module is for
proving it (`manage.py reports_check`) and for mending rows written while the triggers were off
(`--rebuild`). Each definition is the plain GROUP BY over the deliverables.
"""

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth

from partnerships.models import RESULT_TOTAL_FIELDS, Deliverable
from reports.models import PartnershipMonthResults, PartnershipResults

# {derived model: its key columns}
KEYS = {
    PartnershipResults: ("partnership_id",),
    PartnershipMonthResults: ("partnership_id", "platform", "month"),
}
COLUMNS = ("deliverables", *RESULT_TOTAL_FIELDS)


def expected(model):
    """A values() queryset of ``model``'s rows as the deliverables define them (keys first, then
    COLUMNS, in that order)."""
    keys = KEYS[model]
    queryset = Deliverable.objects.order_by()
    if "month" in keys:
        queryset = queryset.annotate(month=TruncMonth("published_on"))
    return queryset.values(*keys).annotate(
        deliverables=Count("pk"), **{name: Sum(name) for name in RESULT_TOTAL_FIELDS}
    )


def _rows_sql(model):
    """(SQL, params): stored rows and expected rows that differ, each as (source, key...)."""
    quote = connection.ops.quote_name
    keys = KEYS[model]
    # Money is compared in cents: SQLite sums it as floating point, in another order.
    columns = ", ".join([*keys, *(f"ROUND({c}, 2)" if c == "revenue" else c for c in COLUMNS)])
    expected_sql, params = expected(model).query.sql_with_params()
    stored = f"SELECT {columns} FROM {quote(model._meta.db_table)}"  # noqa: S608
    computed = f"SELECT {columns} FROM ({expected_sql}) e"  # noqa: S608
    sql = (
        f"SELECT 'stored', {', '.join(keys)} FROM ({stored} EXCEPT {computed}) a "  # noqa: S608
        f"UNION ALL SELECT 'expected', {', '.join(keys)} FROM ({computed} EXCEPT {stored}) b"
    )
    return sql, [*params, *params]


def out_of_step(limit=100):
    """[(model name, 'stored' or 'expected', key...)]: rows that differ from their definition
    (a stored row that should not be, or differs; a row that should be and is not or differs),
    at most ``limit`` per table. Empty when every row is right."""
    found = []
    for model in KEYS:
        sql, params = _rows_sql(model)
        with connection.cursor() as cursor:
            cursor.execute(f"{sql} LIMIT {int(limit)}", params)
            found += [(model.__name__, *row) for row in cursor.fetchall()]
    return found


@transaction.atomic
def rebuild():
    """Rewrite every derived row from the deliverables (one DELETE and one INSERT per table)."""
    quote = connection.ops.quote_name
    for model, keys in KEYS.items():
        table = quote(model._meta.db_table)
        select_sql, params = expected(model).query.sql_with_params()
        model.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({', '.join([*keys, *COLUMNS])}) {select_sql}",  # noqa: S608
                params,
            )
