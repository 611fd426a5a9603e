"""Form fields shared by the apps' forms."""

import html

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe

BIGINT_RANGE = range(-(2**63), 2**63)


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField that answers an out-of-range id (e.g. 30 digits) with its usual
    "not a valid value" error. The stock field runs `pk IN (...)` with it, which SQLite refuses
    with OverflowError, a 500 (Django fixed exact lookups in 5.0, not `__in`)."""

    def _check_values(self, value):
        for pk in value:
            try:
                number = int(str(pk).strip())
            except (TypeError, ValueError):
                continue  # not a number: the stock check already refuses it politely
            if number not in BIGINT_RANGE:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class CachedModelChoiceMixin:
    """Choices from ``objects``, a callable returning model instances (a cached read, see
    crm/cache.py): the options render and the submitted ids validate without a query, and the
    field cleans to those instances, as a ModelChoiceField does."""

    def __init__(self, *, objects, label_from_instance=str, **kwargs):
        self.objects = objects
        self.label_from_instance = label_from_instance
        super().__init__(choices=self.object_choices, **kwargs)

    def object_choices(self):
        return [(obj.pk, self.label_from_instance(obj)) for obj in self.objects()]

    def by_value(self):
        return {str(obj.pk): obj for obj in self.objects()}


class CachedModelChoiceField(CachedModelChoiceMixin, forms.ChoiceField):
    def __init__(self, *, empty_label="---------", **kwargs):
        self.empty_label = empty_label
        super().__init__(**kwargs)

    def object_choices(self):
        return [("", self.empty_label), *super().object_choices()]

    def clean(self, value):
        value = self.to_python(value)
        if value in self.empty_values:
            self.validate(value)  # "required" when it is
            return None
        obj = self.by_value().get(value)
        if obj is None:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return obj


class CachedModelMultipleChoiceField(CachedModelChoiceMixin, forms.MultipleChoiceField):
    def clean(self, value):
        values = self.to_python(value)
        if self.required and not values:
            raise ValidationError(self.error_messages["required"], code="required")
        known = self.by_value()
        for item in values:
            if item not in known:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": item},
                )
        return [known[item] for item in dict.fromkeys(values)]


class DateInput(forms.DateInput):
    """The browser's date picker. It only accepts ISO dates (yyyy-mm-dd), so the value is always
    rendered that way, whatever the language's date format."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's own name
        super().__init__(attrs=attrs, format=format)


def attributes_html(attrs):
    """HTML attributes as Django's attrs.html template writes them, in their order: True as a
    bare name, False left out, every value escaped."""
    return "".join(
        f" {html.escape(name)}"
        if value is True
        else f' {html.escape(name)}="{html.escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


class FastInputMixin:
    """The same <input> HTML as Django's input widgets (type, name, value, then the attributes,
    aria-* included), built in Python: their template was a visible share of the roster's
    time, drawing six filters on every load."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        value = widget["value"]
        value_html = "" if value is None else f' value="{html.escape(str(value))}"'
        return mark_safe(  # noqa: S308 - every part is escaped
            f'<input type="{html.escape(widget["type"])}" name="{html.escape(widget["name"])}"'
            f"{value_html}{attributes_html(widget['attrs'])}>"
        )


class FastTextInput(FastInputMixin, forms.TextInput):
    pass


class FastNumberInput(FastInputMixin, forms.NumberInput):
    pass


class FastDateInput(FastInputMixin, DateInput):
    pass


class FastSelect(forms.Select):
    """The same <select> HTML as Django's, built in Python straight from the choices. The stock
    widget renders a template, and builds an option dict, per option: with a thousand campaigns
    that was ~100 ms of every page showing the list."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        if self.allow_multiple_selected:
            widget["attrs"]["multiple"] = True
        selected = {str(v) for v in widget["value"]}
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        self._options(self.choices, selected, parts, marked=False)
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - names, values and labels are escaped

    def _options(self, choices, selected, parts, marked):
        """Append an <option> per choice (an <optgroup> per group) to ``parts``; return whether
        one is selected by now. One loop, no call per option: a thousand campaigns are drawn on
        every load of the pages that filter by campaign."""
        # The standard library's escape, which Django's wraps: Django's adds a lazy-string check
        # and a SafeString per call, two thirds of the time of a thousand options.
        escape = html.escape
        multiple = self.allow_multiple_selected
        for value, label in choices:
            if isinstance(label, (list, tuple)):
                group = []
                marked = self._options(label, selected, group, marked)
                parts.append(f'<optgroup label="{escape(str(value))}">{"".join(group)}</optgroup>')
                continue
            text = "" if value is None else str(value)
            # As the stock widget: a single select marks only the first matching option.
            extra = ""
            if text in selected and (multiple or not marked):
                marked, extra = True, " selected"
            if type(value) is not int:  # a primary key needs no escaping
                text = escape(text)
            parts.append(f'<option value="{text}"{extra}>{escape(str(label))}</option>')
        return marked


class NamedModelChoiceIterator(forms.models.ModelChoiceIterator):
    """(pk, name) pairs read with values_list: no model instance per option (a thousand
    campaigns cost ~17 ms of instances on every page listing them)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.queryset.values_list("pk", self.field.label_field)


class NamedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for long lists whose option label is one column (``label_field``,
    what the model's __str__ shows), rendered by FastSelect."""

    iterator = NamedModelChoiceIterator
    widget = FastSelect
    label_field = "name"


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    pass


def user_display_name(user):
    """A user as people know them: full name, else the login name."""
    return user.get_full_name() or user.get_username()


def editor_users(include=None):
    """Active users who may edit records (the Admin and Marketer roles, and superusers), by
    name; ``include`` (a user id) is kept in the list even if that user no longer could, so an
    edit of a record they own does not fail on its owner."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models import Exists, OuterRef, Q

    from crm.roles import ADMIN, MARKETER

    user_model = get_user_model()
    in_role = Group.objects.filter(name__in=(ADMIN, MARKETER), user=OuterRef("pk"))
    editors = Q(is_active=True) & (Q(is_superuser=True) | Exists(in_role))
    if include:
        editors |= Q(pk=include)
    return user_model.objects.filter(editors).order_by("first_name", "last_name", "username", "pk")


class OwnerChoiceField(forms.ModelChoiceField):
    """The owner picker: users who can edit, shown by full name (login name as fallback)."""

    widget = FastSelect

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", editor_users())
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return user_display_name(obj)


class UserNameChoiceField(forms.ModelChoiceField):
    """A user picker labelled by full name (login name as fallback), for list filters."""

    def label_from_instance(self, obj):
        return user_display_name(obj)


def limit_owner_choices(form, name="owner"):
    """Give a ModelForm's owner field the editors-only picker, keeping the record's current
    owner choosable."""
    field = form.fields[name]
    current = getattr(form.instance, f"{name}_id", None)
    form.fields[name] = OwnerChoiceField(
        queryset=editor_users(include=current),
        required=field.required,
        label=field.label,
        help_text=field.help_text,
        empty_label=field.empty_label,
    )


def active_users():
    """Active users by name, only their names loaded, for the user filters (cached: a user edit
    or a new user drops it, see crm/apps.py)."""
    from django.contrib.auth import get_user_model

    from crm.cache import cached

    def read():
        users = get_user_model().objects.filter(is_active=True)
        users = users.only("id", "username", "first_name", "last_name", "is_active")
        return list(users.order_by("first_name", "last_name", "username"))

    return cached("crm:active-users", read)


def users_by_id():
    """{id: user} of every user, active or not, only their names loaded, for pages that name an
    owner or an author (cached as active_users is)."""
    from django.contrib.auth import get_user_model

    from crm.cache import cached

    def read():
        users = get_user_model().objects.only("id", "username", "first_name", "last_name")
        return {user.pk: user for user in users}

    return cached("crm:users-by-id", read)


class CachedUserChoiceField(CachedModelChoiceField):
    """A filter's user picker over active users, by full name, with no query (cached)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("objects", active_users)
        kwargs.setdefault("label_from_instance", user_display_name)
        super().__init__(**kwargs)
