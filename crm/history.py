"""The audit trail's generic helpers: django-simple-history plumbing that names no app's model.

Every app's admin and bulk writers use these, so they live here, below the apps; the audit app
registers the audited models (audit/models.py) and shows their history.

simple-history records save() and delete(), but nothing for bulk_create, bulk_update or
QuerySet.update(). Code that writes in bulk (demo seeding, the roster import, recomputes) calls
``history_record_bulk`` afterwards: one INSERT ... SELECT per table, so the rows are copied inside
the database, however many there are.
"""

from django.db import connections, router, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone

HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}
PK_CHUNK = 1000  # ids per statement; very long IN lists plan slowly on PostgreSQL


def _history_model(model):
    history = getattr(model, "history", None)
    if history is None:
        raise ValueError(f"{model._meta.label} has no audit trail (see audit/models.py).")
    return history.model


def history_record_bulk(
    *, queryset, history_type="+", user=None, change_reason=None, when=None, pks=None
):
    """Write one history row per object of ``queryset`` (its current values), in one statement.

    ``history_type`` is "+" after a bulk_create, "~" after a bulk_update/update. With ``pks`` the
    rows are those primary keys of the queryset's model, matched as a literal list (an index
    lookup; the queryset's own filter becomes an IN (subquery), which PostgreSQL planned badly
    without table statistics: minutes for 30,000 rows). Returns the number of history rows written.
    """
    if history_type not in HISTORY_TYPES:
        raise ValueError(f"history_type must be one of {sorted(HISTORY_TYPES)}.")
    model = queryset.model
    history_model = _history_model(model)
    using = router.db_for_write(history_model)
    connection = connections[using]
    quote = connection.ops.quote_name

    source_columns, history_columns = [], []
    for field in history_model.tracked_fields:
        source_columns.append(quote(model._meta.get_field(field.name).column))
        history_columns.append(quote(history_model._meta.get_field(field.name).column))
    history_columns += [
        quote(history_model._meta.get_field(name).column)
        for name in ("history_date", "history_type", "history_user", "history_change_reason")
    ]
    history_date = connection.ops.adapt_datetimefield_value(when or timezone.now())
    if change_reason:
        change_reason = str(change_reason)[:100]  # the column's length
    params = [history_date, history_type, getattr(user, "pk", user), change_reason]

    source = quote(model._meta.db_table)
    target = quote(history_model._meta.db_table)
    selected = ", ".join(f"{source}.{column}" for column in source_columns)
    # Identifiers come from model metadata (quoted); every value is a parameter.
    sql = f"INSERT INTO {target} ({', '.join(history_columns)}) SELECT {selected}, %s, %s, %s, %s"  # noqa: S608, E501
    sql += f" FROM {source}"
    if pks is not None:
        if not pks:
            return 0
        placeholders = ", ".join(["%s"] * len(pks))
        sql += f" WHERE {source}.{quote(model._meta.pk.column)} IN ({placeholders})"
        params += list(pks)
    elif queryset.query.where or queryset.query.is_sliced:
        pk_sql, pk_params = queryset.order_by().values("pk").query.get_compiler(using).as_sql()
        sql += f" WHERE {source}.{quote(model._meta.pk.column)} IN ({pk_sql})"
        params += list(pk_params)
    with transaction.atomic(using=using), connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def history_record_objects(*, objects, history_type="+", user=None, change_reason=None):
    """``history_record_bulk`` for a list of saved objects (e.g. what bulk_create returned)."""
    objects = list(objects)
    if not objects:
        return 0
    return history_record_pks(
        model=type(objects[0]),
        pks=[obj.pk for obj in objects],
        history_type=history_type,
        user=user,
        change_reason=change_reason,
    )


def history_record_pks(*, model, pks, history_type="+", user=None, change_reason=None, when=None):
    """``history_record_bulk`` for rows known by primary key, PK_CHUNK keys per statement."""
    pks = list(pks)
    when = when or timezone.now()
    written = 0
    with transaction.atomic(using=router.db_for_write(_history_model(model))):
        for start in range(0, len(pks), PK_CHUNK):
            written += history_record_bulk(
                queryset=model._default_manager.all(),
                pks=pks[start : start + PK_CHUNK],
                history_type=history_type,
                user=user,
                change_reason=change_reason,
                when=when,
            )
    return written


class HistoryAdminMixin:
    """For a ModelAdmin of an audited model: the admin's "History" button opens the audit trail
    (who changed which fields, when) instead of the admin's own action log.

        class TierAdmin(HistoryAdminMixin, admin.ModelAdmin): ...
    """

    def history_view(self, request, object_id, extra_context=None):
        if not str(object_id).isdigit():
            raise Http404("No such record.")
        opts = self.model._meta
        return redirect("audit:object-history", opts.app_label, opts.model_name, int(object_id))
