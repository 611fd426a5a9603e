"""Optimistic locking for records edited in forms (Influencer, Partnership).

Each such model has a ``version`` column. The edit form carries the version it was loaded with
(a hidden field); the update service claims the next version in ONE conditional UPDATE
(``UPDATE ... SET version = version + 1 WHERE pk = %s AND version = %s``) before it writes anything,
so of two saves of the same loaded version exactly one wins, on SQLite and PostgreSQL alike
(PostgreSQL's row lock makes the second UPDATE wait, re-check its WHERE and match no row).

Which writes bump the version: every save that can change what the edit form shows (the update
services, admin saves, pipeline moves, archiving). Writes of columns the form does not show
(audience totals recomputed in SQL, signing dates) leave it alone, so they never refuse a form.
"""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F

# The largest value of a PositiveIntegerField on every backend; a forged bigger one is a form error.
MAX_VERSION = 2_147_483_647


class EditConflict(Exception):
    """Someone else saved the record after this form was loaded; ``current`` is their version."""

    def __init__(self, current):
        self.current = current
        super().__init__(f"{current} was changed by someone else after you opened it.")


def version_bump(instance, *, expected=None):
    """Move ``instance``'s row to its next version in one UPDATE, and set ``instance.version``.

    With ``expected`` (the version the form was loaded with) the row must still be at that
    version, else EditConflict carries the record as it is now. Call it inside the transaction
    of the write, before the write, so a refused save writes nothing."""
    model = type(instance)
    rows = model._default_manager.filter(pk=instance.pk)
    if expected is None:
        rows.update(version=F("version") + 1)
        instance.version = rows.values_list("version", flat=True).get()
        return instance.version
    if not rows.filter(version=expected).update(version=F("version") + 1):
        raise EditConflict(model._default_manager.get(pk=instance.pk))
    instance.version = expected + 1
    return instance.version


class VersionField(forms.IntegerField):
    """The hidden field an edit form carries its loaded version in. Optional: a post without it
    (an old tab, a script) is not checked, but it still bumps the version."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_VERSION)
        kwargs.setdefault(
            "error_messages",
            {
                "invalid": "This form is out of date: reload the page.",
                "min_value": "This form is out of date: reload the page.",
                "max_value": "This form is out of date: reload the page.",
            },
        )
        super().__init__(**kwargs)


def add_version_field(form):
    """Give a ModelForm of a versioned model its hidden ``version`` field, holding the instance's
    version when the form is loaded."""
    instance = form.instance
    form.fields["version"] = VersionField(initial=instance.version if instance.pk else None)


def stale_version_conflict(form, instance):
    """An EditConflict when the bound form was loaded at an older version than ``instance``'s
    (freshly read), else None: for a form that failed validation because of the other change."""
    posted = getattr(form, "cleaned_data", {}).get("version")
    if posted is None or posted == instance.version:
        return None
    return EditConflict(type(instance)._default_manager.get(pk=instance.pk))


def _display(instance, name, value):
    field = instance._meta.get_field(name)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return value


def _comparable(value):
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "all") or isinstance(value, (list, tuple, set)):
        items = value.all() if hasattr(value, "all") else value
        return frozenset(item.pk if hasattr(item, "pk") else item for item in items)
    if value == "":
        return None
    return value


def conflict_rows(form, current):
    """[(label, their value)] for the form's fields where the saved record (``current``) differs
    from what this user submitted: what the other person saved, to compare before saving again."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        try:
            model_field = current._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if model_field.many_to_many:
            theirs = list(getattr(current, name).all())
        else:
            theirs = getattr(current, name)
        if _comparable(theirs) == _comparable(form.cleaned_data[name]):
            continue
        if model_field.many_to_many:
            shown = ", ".join(str(item) for item in theirs)
        else:
            shown = _display(current, name, theirs)
        rows.append((field.label or name, "" if shown is None else shown))
    return rows


def refuse_conflict(form, conflict):
    """Mark the bound form as refused: a message above it, their values to compare, and the hidden
    version moved to theirs, so saving again (on purpose, after comparing) replaces their values."""
    rows = conflict_rows(form, conflict.current)
    form.add_error(
        None,
        "Someone else saved this record after you opened it, so your changes were not saved. "
        "Their values are shown below; save again to replace them with yours.",
    )
    form.data = form.data.copy()
    form.data[form.add_prefix("version")] = str(conflict.current.version)
    return rows
