"""The tier comparison's tables as tags: each load draws ~40 headings and ~250 cells, and the
template loops (a condition, a variable and a tag per heading or cell) were a third of the page's
time."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from crm.templatetags.crm_tags import report_cell, tier_badge

register = template.Library()


@register.simple_tag
def report_headings(columns):
    """A <th> per column (reports.views.page_columns), its formula as the title when it has one
    and the other columns hidden behind "More columns" (col-more)."""
    parts = []
    for column in columns:
        more = "" if column.get("key", True) else " col-more"
        heading = escape(column["heading"])
        if column["definition"]:
            parts.append(
                f'<th scope="col" class="text-end{more}" title="{heading} = '
                f'{escape(column["definition"])}">{heading}<sup class="text-muted">?</sup></th>'
            )
        else:
            parts.append(f'<th scope="col" class="text-end{more}">{heading}</th>')
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def report_rows(rows, split=False):
    """A <tr> per row ({"row": TierRow, "cells"}: reports.views.table_rows): the tier's badge
    and range, with ``split`` the collaboration type, then each cell shown by its kind
    (crm_tags.report_cell). Every value is escaped (tier names are typed by an admin)."""
    parts = []
    for line in rows:
        row = line["row"]
        name = row.name
        data_type = f' data-type="{escape(str(row.collaboration_type))}"' if split else ""
        tier_range = (
            f' <small class="text-muted d-block">{escape(row.tier.label)}</small>'
            if row.tier
            else ""
        )
        type_cell = f"<td>{escape(row.type_label)}</td>" if split else ""
        cells = "".join(
            f'<td class="text-end text-nowrap{"" if cell.get("key", True) else " col-more"}" '
            f'data-column="{escape(cell["attribute"])}">{escape(str(report_cell(cell)))}</td>'
            for cell in line["cells"]
        )
        parts.append(
            f'<tr data-tier="{escape(name)}"{data_type}>\n'
            f'<th scope="row">{tier_badge(name, row.tier_id)}{tier_range}</th>\n'
            f"{type_cell}{cells}\n</tr>"
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped
