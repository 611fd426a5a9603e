"""Form fields shared by the apps' forms."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
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


class DateInput(forms.DateInput):
    """The browser's date picker. It only accepts ISO dates (yyyy-mm-dd), so the value is always
    rendered that way, whatever the language's date format."""

    input_type = "date"

    def __init__(self, attrs=None, format="%Y-%m-%d"):  # noqa: A002 - Django's own name
        super().__init__(attrs=attrs, format=format)


class FastSelect(forms.Select):
    """The same <select> HTML as Django's, built in Python. The stock widget renders a template
    per option: with a thousand campaigns that was ~100 ms of every page showing the list."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], flatatt(widget["attrs"]))]
        for group_name, options, _ in widget["optgroups"]:
            rendered = "".join(self._option(option) for option in options)
            if group_name:
                rendered = f'<optgroup label="{escape(group_name)}">{rendered}</optgroup>'
            parts.append(rendered)
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - names, values and labels are escaped

    @staticmethod
    def _option(option):
        attrs = option["attrs"]
        if attrs and set(attrs) != {"selected"}:
            extra = flatatt(attrs)
        else:
            extra = " selected" if attrs else ""
        return (
            f'<option value="{escape(option["value"])}"{extra}>{escape(option["label"])}</option>'
        )


class FastSelectMultiple(FastSelect, forms.SelectMultiple):
    pass
