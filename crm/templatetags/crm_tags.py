"""Presentation helpers every page uses: compact counts, money, metrics, tier badges, nav links."""

from decimal import ROUND_DOWN, Decimal

from django import forms, template
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()

DASH = "-"
COMPACT_UNITS = ((10**9, "B"), (10**6, "M"), (10**3, "K"))


@register.filter
def compact(value):
    """12345 -> 12.3K, 1234567 -> 1.2M; what a marketer reads at a glance. Cut, never rounded
    up: 99,999 reads "99.9K", not "100K" (which would put it past a tier boundary such as
    Macro's 100,000 beside its Micro badge)."""
    if value is None or value == "":
        return DASH
    if type(value) is int:
        return _compact_int(value)
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    for limit, suffix in COMPACT_UNITS:
        if abs(number) >= limit:
            cut = (number / limit).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
            text = f"{cut:f}".rstrip("0").rstrip(".")
            return f"{text}{suffix}"
    return f"{int(number)}"


def _compact_int(value):
    """compact() of a whole number in integer arithmetic (pages show dozens of counts)."""
    size = abs(value)
    for limit, suffix in COMPACT_UNITS:
        if size >= limit:
            whole, tenth = divmod(size * 10 // limit, 10)
            sign = "-" if value < 0 else ""
            return f"{sign}{whole}{suffix}" if tenth == 0 else f"{sign}{whole}.{tenth}{suffix}"
    return f"{value}"


@register.filter
def metric(value, places=2):
    """A ratio from crm.metrics: None (a zero denominator) shows as "-"."""
    if value is None or value == "":
        return DASH
    return f"{Decimal(value):,.{int(places)}f}"


@register.filter
def percent(value):
    if value is None or value == "":
        return DASH
    return f"{Decimal(value):,.2f}%"


@register.filter
def money(value):
    if value is None or value == "":
        return DASH
    return f"{settings.CURRENCY} {Decimal(value):,.2f}"


@register.simple_tag
def report_cell(cell):
    """A report cell ({"value", "kind"}) shown by its kind: a count, a compact count, a
    percentage, money, or a metric ratio. A tag, not an include: the tier comparison shows ~300
    cells, and an include per cell was a large share of the page's rendering."""
    value, kind = cell["value"], cell["kind"]
    if kind == "count":
        if value is None:
            return DASH
        # Grouped with commas as money and the ratios are, without intcomma's locale lookups.
        return f"{value:,}" if isinstance(value, int) else intcomma(value)
    return {"compact": compact, "percent": percent, "money": money}.get(kind, metric)(value)


@register.simple_tag
def report_difference(value, kind):
    """A difference between two report cells of ``kind``, signed; percentages in points."""
    if value is None or value == "":
        return DASH
    value = Decimal(value)
    if kind == "percent":
        return f"{value:+,.2f} pts"
    if kind == "money":
        return f"{settings.CURRENCY} {value:+,.2f}"
    if kind in ("count", "compact"):
        return f"{value:+,.0f}"
    return f"{value:+,.2f}"


@register.filter
def times(value):
    """A ratio between two figures (crm.metrics.times): 1.50 -> "1.50x"; None -> "-"."""
    if value is None or value == "":
        return DASH
    return f"{Decimal(value):,.2f}x"


@register.simple_tag
def tier_badge(name, tier_id=None):
    """A tier's badge; its colour comes from the tier stylesheet (no inline styles)."""
    if not name:
        return format_html('<span class="badge text-bg-light">{}</span>', "No tier")
    return format_html('<span class="badge tier-badge tier-{}">{}</span>', tier_id or "x", name)


@register.simple_tag(takes_context=True)
def nav_link(context, url_name, label):
    """A navbar item, active on its own section; rendered only once its page exists."""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    match = getattr(context.get("request"), "resolver_match", None)
    namespace = url_name.split(":")[0] if ":" in url_name else ""
    active = match is not None and (
        match.view_name == url_name or (namespace and match.namespace == namespace)
    )
    if active:
        return format_html(
            '<li class="nav-item"><a class="nav-link active" href="{}" aria-current="page">{}</a>'
            "</li>",
            url,
            label,
        )
    return format_html('<li class="nav-item"><a class="nav-link" href="{}">{}</a></li>', url, label)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (None or "" removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


REQUIRED_MARK = mark_safe('<span class="asteriskField">*</span>')


@register.simple_tag
def form_field(field):
    """A select or input field as crispy-forms' Bootstrap 5 template draws it: its label, the
    widget with Bootstrap's class, the errors beside it (the ids the widget's aria-describedby
    names) and the help text. Built in Python: crispy's nested templates were about half of the
    tier comparison page's time, drawing its ten filters on every load."""
    widget = field.field.widget
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    if field.errors:
        css = f"{css} is-invalid"
    if widget.attrs.get("class"):
        css = f"{widget.attrs['class']} {css}"
    required = field.field.required
    auto_id = field.auto_id
    errors = ""
    if field.errors:
        errors = format_html(
            '<div id="{}_error" class="invalid-feedback">{}</div>',
            auto_id,
            format_html_join(
                "",
                '<p id="error_{}_{}"><strong>{}</strong></p>',
                ((number, auto_id, error) for number, error in enumerate(field.errors, 1)),
            ),
        )
    help_text = ""
    if field.help_text:
        help_text = format_html(
            '<div id="{}_helptext" class="form-text">{}</div>', auto_id, field.help_text
        )
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label>'
        "{}{}{}</div>",
        auto_id,
        field.id_for_label,
        " requiredField" if required else "",
        field.label,
        REQUIRED_MARK if required else "",
        field.as_widget(attrs={"class": css}),
        errors,
        help_text,
    )
