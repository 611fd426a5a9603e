"""A partnership's deliverables as one tag: the partnership page lists all of them, and the
template loop (a permission check, a URL, a date and six formatted numbers per row) was the
largest share of the page's time."""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe

from crm.templatetags.crm_tags import compact, money

register = template.Library()

# The edit URL is reversed once per page, with this number standing for each row's id.
PK_STANDIN = "9081726354"


@register.simple_tag
def deliverable_rows(deliverables, can_edit=False):
    """The <tr> of each deliverable (partnerships.selectors.DeliverableRow), or the "none yet"
    row. Every value from the database is escaped."""
    if not deliverables:
        return mark_safe('<tr><td colspan="11" class="text-muted">No deliverables yet.</td></tr>')
    edit_url = reverse("partnerships:deliverable-update", args=[PK_STANDIN]) if can_edit else ""
    parts = []
    for d in deliverables:
        link = (
            f' <a href="{escape(d.url)}" rel="noopener noreferrer" target="_blank">link</a>'
            if d.url
            else ""
        )
        edit = (
            f'<a href="{escape(edit_url.replace(PK_STANDIN, str(d.pk)))}">Edit</a>'
            if can_edit
            else ""
        )
        numbers = "".join(
            f'<td class="num">{escape(compact(value))}</td>'
            for value in (d.impressions, d.reach, d.engagements, d.clicks, d.conversions)
        )
        parts.append(
            f"<tr>\n<td>{escape(d.get_kind_display())}</td>"
            f"<td>{escape(d.get_platform_display())}</td>\n"
            f"<td>{f'{d.due_date:%d %b %Y}' if d.due_date else '-'}</td>\n"
            f"<td>{escape(d.get_status_display())}{link}</td>\n"
            f'{numbers}<td class="num">{escape(money(d.revenue))}</td>\n'
            f"<td>{edit}</td>\n</tr>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped
