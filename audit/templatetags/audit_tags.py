from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("audit/_history_link.html", takes_context=True)
def history_link(context, obj, label="History"):
    """A link to the object's change history, shown only to users who may view that model."""
    user = context.get("user")
    opts = obj._meta
    allowed = (
        user is not None
        and hasattr(type(obj), "history")
        and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")
    )
    url = None
    if allowed and obj.pk is not None:
        url = reverse("audit:object-history", args=[opts.app_label, opts.model_name, obj.pk])
    return {"url": url, "label": label}
