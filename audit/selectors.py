"""Reads of the audit trail: an object's history as "who changed which fields when"."""

from dataclasses import dataclass, field

from django.db.models import ForeignKey

from audit.models import NOT_DIFFED

# Fields every record has, or that change on every save (the edit-conflict version counter);
# not worth a line in a diff.
SKIPPED = {"id", "created_at", "version"} | NOT_DIFFED


@dataclass
class FieldChange:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: object
    user: object
    action: str
    history_type: str
    reason: str
    changes: list = field(default_factory=list)


def _display(model_field, value, names):
    if value is None or value == "":
        return "-"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, ForeignKey):
        return names.get((model_field.related_model, value), f"#{value} (deleted)")
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _tracked(history_model):
    return [f for f in history_model.tracked_fields if f.name not in SKIPPED]


def _raw_changes(record, previous, fields):
    """(field, old, new) for each field that differs; every filled field when there is no
    previous record (a creation)."""
    changes = []
    for model_field in fields:
        new = getattr(record, model_field.attname)
        old = getattr(previous, model_field.attname) if previous is not None else None
        if previous is not None and old == new:
            continue
        if previous is None and new in (None, ""):
            continue
        changes.append((model_field, old, new))
    return changes


def _related_names(raw_entries):
    """{(model, pk): str(object)} for every foreign key value in the changes: one query per
    related model, however many entries there are."""
    wanted = {}
    for _, changes in raw_entries:
        for model_field, old, new in changes:
            if isinstance(model_field, ForeignKey):
                ids = wanted.setdefault(model_field.related_model, set())
                ids.update(value for value in (old, new) if value is not None)
    names = {}
    for model, ids in wanted.items():
        related = [f.name for f in model._meta.concrete_fields if isinstance(f, ForeignKey)]
        objects = model._default_manager.select_related(*related).in_bulk(ids)
        names.update({(model, pk): str(obj) for pk, obj in objects.items()})
    return names


def object_history(*, model, pk, offset=0, limit=50):
    """The object's history, newest first: (entries, has_more). One query for the records plus
    one per kind of linked record named in the changes, whatever the limit.

    Each entry lists the fields that differ from the record before it (for the oldest record
    shown, one extra record is read so its diff is still right).
    """
    history_model = model.history.model
    records = list(
        history_model.objects.filter(id=pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[offset : offset + limit + 1]
    )
    has_more = len(records) > limit
    fields = _tracked(history_model)
    raw_entries = []
    for position, record in enumerate(records[:limit]):
        previous = records[position + 1] if position + 1 < len(records) else None
        if record.history_type == "-":
            changes = []
        else:
            changes = _raw_changes(record, previous if record.history_type == "~" else None, fields)
        raw_entries.append((record, changes))
    names = _related_names(raw_entries)
    entries = [
        HistoryEntry(
            when=record.history_date,
            user=record.history_user,
            action=record.get_history_type_display(),
            history_type=record.history_type,
            reason=record.history_change_reason or "",
            changes=[
                FieldChange(
                    label=str(model_field.verbose_name),
                    old=_display(model_field, old, names) if record.history_type == "~" else "",
                    new=_display(model_field, new, names),
                )
                for model_field, old, new in changes
            ],
        )
        for record, changes in raw_entries
    ]
    return entries, has_more
