from django import template
from django.urls import reverse
from django.utils.html import format_html

register = template.Library()


@register.simple_tag(takes_context=True)
def history_link(context, obj, label="History"):
    """A link to the object's change history, shown only to users who may view that model.
    A simple tag, not an inclusion tag: a template of its own cost more than the link."""
    user = context.get("user")
    opts = obj._meta
    allowed = (
        user is not None
        and hasattr(type(obj), "history")
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    )
    if not allowed or obj.pk is None:
        return ""
    url = reverse("audit:object-history", args=[opts.app_label, opts.model_name, obj.pk])
    return format_html('<a class="btn btn-outline-secondary btn-sm" href="{}">{}</a>', url, label)
