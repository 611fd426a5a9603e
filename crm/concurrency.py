"""Optimistic locking for records users edit in forms: influencers, partnerships, deliverables,
campaigns, tiers and niches (and social accounts, guarded by their influencer's version).

Each such model has a ``version`` column. Every edit form carries the version it was loaded with
(a hidden field); the write claims the next version in ONE conditional UPDATE
(``UPDATE ... SET version = version + 1 WHERE pk = %s AND version = %s``) before it writes anything,
so of two saves of the same loaded version exactly one wins, on SQLite and PostgreSQL alike
(PostgreSQL's row lock makes the second UPDATE wait, re-check its WHERE and match no row). The
refused save answers HTTP 409 with the form as typed, a message and the other user's values
(``templates/includes/edit_conflict.html``); saving again from there replaces them on purpose.

Where: the update services take ``version`` and call ``version_bump``; the web edit views render
the refusal with ``EditConflictViewMixin`` (or ``refuse_conflict`` directly); every admin change
form of these models goes through ``VersionCheckAdminMixin`` (and ``VersionCheckInlineMixin`` for
inlines of versioned models), which uses the same hidden field, the same UPDATE and the same
fragment.

Which writes bump the version: every save that can change what an edit form shows (the update
services, admin saves and inline saves, archiving, the roster import; for an influencer also
account edits in the admin). Writes of columns no form shows (audience totals recomputed in SQL,
signing dates) leave it alone, so they never refuse a form. Pipeline moves leave the partnership's
version alone: its web form does not show the status, and the admin shows it read only (moves go
through the pipeline), so a move on the board never refuses a terms edit and no form can put a
status back.
"""

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F
from django.template.response import TemplateResponse

# The largest value of a PositiveIntegerField on every backend; a forged bigger one is a form error.
MAX_VERSION = 2_147_483_647


class EditConflict(Exception):
    """Someone else saved the record after this form was loaded; ``current`` is the record as they
    saved it, ``version`` the version a deliberate second save must carry (the current record's,
    or that of the record guarding it)."""

    def __init__(self, current, version=None):
        self.current = current
        self.version = current.version if version is None else version
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


def add_version_field(form, record=None):
    """Give a ModelForm of a versioned model its hidden ``version`` field, holding the version of
    ``record`` (default: the form's instance) when the form is loaded."""
    record = form.instance if record is None else record
    form.fields["version"] = VersionField(initial=record.version if record.pk else None)


def stale_version_conflict(form, instance):
    """An EditConflict when the bound form was loaded at an older version than ``instance``'s row
    has now (read again here), else None: for a form that failed validation because of the other
    change, or after a refused write."""
    posted = getattr(form, "cleaned_data", {}).get("version")
    if posted is None or instance.pk is None:
        return None
    current = type(instance)._default_manager.filter(pk=instance.pk).first()
    if current is None or current.version == posted:
        return None
    return EditConflict(current)


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
    form.data[form.add_prefix("version")] = str(conflict.version)
    return rows


class EditConflictViewMixin:
    """For a generic edit view (UpdateView) of a versioned model whose ``form_valid`` saves through
    a service taking ``version``: ``render_conflict`` answers a refused save with 409, and a form
    that fails validation after someone else's save says so too (with their values)."""

    conflict_status = 409

    def render_conflict(self, form, conflict):
        rows = refuse_conflict(form, conflict)
        response = self.render_to_response(self.get_context_data(form=form, conflict_rows=rows))
        response.status_code = self.conflict_status
        return response

    def form_invalid(self, form):
        instance = getattr(self, "object", None)
        if instance is not None and "version" in form.fields:
            conflict = stale_version_conflict(form, instance)
            if conflict is not None:
                return self.render_conflict(form, conflict)
        return super().form_invalid(form)


# --- The admin ----------------------------------------------------------------------------------


def version_checked_form(form_class, *, guarded_by=None, inline=False):
    """A subclass of the admin's ModelForm class ``form_class`` for changing a versioned record.

    Loaded, it carries the version (of the record itself, or of its ``guarded_by`` relation);
    validated, it is refused with their values when the row has moved on since (the same message
    and rows as a web form); ``claim_version`` then moves the row to its next version in the
    conditional UPDATE, raising EditConflict if someone saved in between."""

    class VersionCheckedForm(form_class):
        conflict_rows = None

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.version_record = None
            if self.instance.pk is not None:
                self.version_record = (
                    getattr(self.instance, guarded_by) if guarded_by else self.instance
                )
                add_version_field(self, self.version_record)

        def clean(self):
            cleaned = super().clean()
            record, posted = self.version_record, self.cleaned_data.get("version")
            if record is not None and posted is not None and posted != record.version:
                # The instance is still the row as read for this request: their values.
                conflict = EditConflict(self.instance, version=record.version)
                name = str(self.instance)
                rows = refuse_conflict(self, conflict)
                if inline:
                    rows = [
                        (f"{self.instance._meta.verbose_name} \u201c{name}\u201d: {label}", value)
                        for label, value in rows
                    ]
                self.conflict_rows = rows
            return cleaned

        def claim_version(self):
            if self.version_record is not None:
                version_bump(self.version_record, expected=self.cleaned_data.get("version"))

    VersionCheckedForm.__name__ = VersionCheckedForm.__qualname__ = form_class.__name__
    return VersionCheckedForm


class VersionCheckInlineMixin:
    """For an InlineModelAdmin of a versioned model: each existing row's form carries its version
    and a stale one is refused like the parent form (see VersionCheckAdminMixin)."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)

        class VersionCheckedFormSet(formset):
            form = version_checked_form(formset.form, inline=True)

            def save_existing(self, form, obj, commit=True):
                form.claim_version()  # only forms that changed get here
                return super().save_existing(form, obj, commit=commit)

        VersionCheckedFormSet.__name__ = formset.__name__
        return VersionCheckedFormSet


class VersionCheckAdminMixin:
    """For the ModelAdmin of a versioned model: its change form carries the hidden version, and a
    save from a form loaded before someone else's save is refused with HTTP 409, their values
    shown above the form, and nothing written; a save claims the next version (an unchecked bump
    when the post has no version). ``version_guarded_by`` names the relation whose version guards
    a model without its own (a social account: its influencer's form shows it).

        class TierAdmin(VersionCheckAdminMixin, HistoryAdminMixin, admin.ModelAdmin): ...
    """

    change_form_template = "admin/version_checked_change_form.html"
    version_guarded_by = None

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is None:
            return form
        return version_checked_form(form, guarded_by=self.version_guarded_by)

    def save_model(self, request, obj, form, change):
        if change and hasattr(form, "claim_version"):
            form.claim_version()
        super().save_model(request, obj, form, change)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
        except EditConflict:
            # Someone saved between this form's check and its write: the UPDATE refused it and
            # the transaction rolled back. Validating again sees their save and refuses the form.
            response = super().changeform_view(request, object_id, form_url, extra_context)
        return self._answer_conflicts(response)

    @staticmethod
    def _answer_conflicts(response):
        context = (
            getattr(response, "context_data", None)
            if isinstance(response, TemplateResponse)
            else None
        )
        if not context or "adminform" not in context:
            return response
        forms = [context["adminform"].form]
        for inline in context.get("inline_admin_formsets", ()):
            forms += inline.formset.forms
        refused = [
            form.conflict_rows for form in forms if getattr(form, "conflict_rows", None) is not None
        ]
        if refused:
            context["conflict_rows"] = [row for rows in refused for row in rows]
            response.status_code = 409
        return response
