"""The roster's rows as one tag: the page draws 25 to 100 of them on every filter change, and
the template loop (an attribute lookup, a filter and an escape per cell, a URL reverse per row)
was the largest share of its time."""

from html import escape

from django import template
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from crm.templatetags.crm_tags import compact, percent, tier_badge

register = template.Library()

STATUS_BADGES = {"active": "success", "paused": "secondary"}
# The detail URL is reversed once per page, with this number standing for each row's id.
PK_STANDIN = "9081726354"


@register.simple_tag
def roster_rows(rows, detail_query=""):
    """The <tr> of each row ({"influencer": RosterRow, "primary", "platforms"}: see
    influencers/selectors.py and the roster view), or
    the "no match" row. Every value from the database is escaped."""
    if not rows:
        return mark_safe(
            '<tr><td colspan="9" class="text-center text-muted py-4">'
            "No influencer matches these filters.</td></tr>"
        )
    detail_url = reverse("influencers:influencer-detail", args=[PK_STANDIN])
    query = conditional_escape(detail_query)
    parts = []
    for row in rows:
        influencer = row["influencer"]
        href = escape(detail_url.replace(PK_STANDIN, str(influencer.pk))) + query
        primary = row["primary"]
        handle = f'<div class="small text-muted">@{escape(primary.handle)}</div>' if primary else ""
        niches = ", ".join(escape(name) for name in influencer.niche_names)
        city, country = influencer.city, influencer.country
        location = escape(city) + (", " if city and country else "") + escape(country)
        owner_name = escape(influencer.owner_name) or "-"
        parts.append(
            f"<tr>\n<td>\n"
            f'<a href="{href}">{escape(influencer.name)}</a>\n{handle}\n</td>\n'
            f"<td>{tier_badge(influencer.tier_name, influencer.tier_id)}</td>\n"
            f'<td class="num" title="{influencer.followers}">'
            f"{escape(compact(influencer.followers))}</td>\n"
            f'<td class="num">{escape(percent(influencer.engagement_rate))}</td>\n'
            f'<td class="small">{niches or """<span class="text-muted">-</span>"""}</td>\n'
            f'<td class="small">{escape(", ".join(row["platforms"])) or "-"}</td>\n'
            f'<td class="small">{location}</td>\n'
            f'<td><span class="badge text-bg-{STATUS_BADGES.get(influencer.status, "danger")}">'
            f"{escape(influencer.get_status_display())}</span></td>\n"
            f'<td class="small">{owner_name}</td>\n</tr>'
        )
    return mark_safe("\n".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def tier_count(item, oob=False):
    """How many of the result are in a tier (templates/influencers/_tier_count.html's markup)."""
    return format_html(
        '<span id="tier-count-{}" class="badge rounded-pill text-bg-light roster-tier-count"{}>'
        "{}</span>",
        item.tier.pk,
        mark_safe(' hx-swap-oob="true"') if oob else "",
        floatformat(item.count or 0, "0g"),
    )


@register.simple_tag
def field_errors(field):
    """A filter's errors under it, as templates/influencers/_field_errors.html draws them; the
    id is the one Django's aria-describedby on the invalid input names."""
    errors = field.errors
    if not errors:
        return ""
    return format_html(
        '<div class="invalid-feedback d-block" id="{}_error">{}</div>',
        field.auto_id,
        format_html_join("", "<div>{}</div>", ((error,) for error in errors)),
    )


@register.simple_tag
def checkbox_options(name, options):
    """A filter's options ([(value, label, selected)], the view's select_options) as the
    roster's checkbox list: one tag instead of three variables per option."""
    return mark_safe(  # noqa: S308 - name, values and labels are escaped
        "".join(
            f'<div class="form-check"><input class="form-check-input" type="checkbox" '
            f'name="{escape(name)}" value="{escape(value)}" id="{escape(name)}-{escape(value)}"'
            f'{" checked" if selected else ""}><label class="form-check-label" '
            f'for="{escape(name)}-{escape(value)}">{escape(str(label))}</label></div>'
            for value, label, selected in options
        )
    )


@register.simple_tag
def option_tags(options):
    """A select's <option>s from [(value, label, selected)] (the view's select_options)."""
    return mark_safe(  # noqa: S308 - values and labels are escaped
        "".join(
            f'<option value="{escape(value)}"{" selected" if selected else ""}>'
            f"{escape(str(label))}</option>"
            for value, label, selected in options
        )
    )
