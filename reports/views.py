"""Report pages: tier comparison, compare two tiers, CSV export. Reads only (every role)."""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.views.generic import TemplateView

from crm.csv_safety import neutralise_row
from crm.metrics import DEFINITIONS, LABELS, difference, times
from influencers.tiers import tier_ranges
from reports import selectors
from reports.forms import EngagementBasis, TierComparisonFilterForm, TierPairForm

# (attribute on TierRow/Results, column heading, DEFINITIONS key or None, kind for display)
COLUMNS = [
    ("influencers", "Influencers", None, "count"),
    ("average_followers", "Avg followers", "average_followers", "compact"),
    ("engagement_rate", "Engagement rate", "engagement_rate", "percent"),
    ("partnerships", "Partnerships", None, "count"),
    ("long_term_share", "Long-term share", "long_term_share", "percent"),
    ("cost", "Spend", "spend", "money"),
    ("deliverables", "Deliverables", None, "count"),
    ("impressions", "Impressions", None, "compact"),
    ("reach", "Reach", None, "compact"),
    ("engagements", "Engagements", "engagements", "compact"),
    ("clicks", "Clicks", None, "compact"),
    ("conversions", "Conversions", None, "compact"),
    ("revenue", "Revenue", None, "money"),
    ("cpm", "CPM", "cpm", "metric"),
    ("cpe", "CPE", "cpe", "metric"),
    ("cpc", "CPC", "cpc", "metric"),
    ("cpa", "CPA", "cpa", "metric"),
    ("roas", "ROAS", "roas", "metric"),
    ("roi", "ROI", "roi", "percent"),
    ("cost_per_deliverable", "Cost / deliverable", "cost_per_deliverable", "metric"),
]
# The page shows these first, in this order; the other columns wait behind "More columns" so
# ROI, CPA and ROAS fit a laptop screen. The export keeps every column in COLUMNS order.
KEY_COLUMNS = (
    "influencers",
    "partnerships",
    "reach",
    "engagement_rate",
    "cost",
    "roi",
    "cpa",
    "roas",
)
ROW_ATTRIBUTES = {"influencers", "average_followers", "partnerships", "long_term_share"}
SPEND_DEFINITION = (
    "contract value of the signed partnerships in scope, each counted once; with a platform or "
    "period filter, a partnership's value is split evenly over its deliverables and the share "
    "of the deliverables kept counts"
)


def cell_value(row, attribute, er_basis=EngagementBasis.FOLLOWERS):
    if attribute == "engagement_rate" and er_basis == EngagementBasis.REACH:
        attribute = "engagement_rate_by_reach"
    source = row if attribute in ROW_ATTRIBUTES else row.results
    return getattr(source, attribute)


def columns_for(er_basis):
    """Column headings with the formula of each, for the page and the export."""
    columns = []
    for attribute, heading, key, kind in COLUMNS:
        if attribute == "engagement_rate":
            by_reach = er_basis == EngagementBasis.REACH
            key = "engagement_rate_by_reach" if by_reach else "engagement_rate"
            heading = LABELS[key]
        definition = SPEND_DEFINITION if key == "spend" else DEFINITIONS.get(key)
        columns.append(
            {"attribute": attribute, "heading": heading, "definition": definition, "kind": kind}
        )
    return columns


def page_columns(er_basis):
    """The page's columns: the key ones first (``key`` True), then the rest."""
    columns = {c["attribute"]: c for c in columns_for(er_basis)}
    key = [{**columns.pop(attribute), "key": True} for attribute in KEY_COLUMNS]
    return key + [{**column, "key": False} for column in columns.values()]


def table_rows(rows, columns, er_basis):
    return [
        {
            "row": row,
            "cells": [
                {
                    "value": cell_value(row, c["attribute"], er_basis),
                    "kind": c["kind"],
                    "attribute": c["attribute"],
                    "key": c.get("key", True),
                }
                for c in columns
            ],
        }
        for row in rows
    ]


def _number(value):
    return None if value is None else float(value)


def chart_data(comparison, er_basis):
    """What static/js/tier_charts.js draws (tier names stay text: Chart.js draws on a canvas)."""
    rows = comparison.rows
    return {
        "labels": [row.name for row in rows],
        "engagementRate": [_number(cell_value(r, "engagement_rate", er_basis)) for r in rows],
        "engagementBasis": "by reach" if er_basis == EngagementBasis.REACH else "by followers",
        "cpm": [_number(r.results.cpm) for r in rows],
        "cpe": [_number(r.results.cpe) for r in rows],
        "spend": [_number(r.results.cost) for r in rows],
        "revenue": [_number(r.results.revenue) for r in rows],
        "longTermShare": [_number(r.long_term_share) for r in rows],
    }


class TierComparisonView(TemplateView):
    template_name = "reports/tier_comparison.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = TierComparisonFilterForm(self.request.GET or None)
        filters = form.filters()
        er_basis = form.er_basis_value
        comparison = selectors.tier_comparison(filters=filters)
        columns = page_columns(er_basis)
        context.update(
            form=form,
            comparison=comparison,
            columns=columns,
            more_columns=[column["heading"] for column in columns if not column["key"]],
            table=table_rows(comparison.rows, columns, er_basis),
            split_table=table_rows(comparison.split_rows, columns, er_basis),
            chart_data=chart_data(comparison, er_basis),
            query=self.request.GET.urlencode(),
            tier_basis=filters["basis"],
        )
        return context


COMPARE_METRICS = [
    ("reach", "Reach", None, "compact"),
    ("engagement_rate", "Engagement rate", "engagement_rate", "percent"),
    ("cost_per_deliverable", "Cost per deliverable", "cost_per_deliverable", "metric"),
    ("cpe", "CPE", "cpe", "metric"),
    ("cpm", "CPM", "cpm", "metric"),
    ("long_term_share", "Long-term share", "long_term_share", "percent"),
    ("roi", "ROI", "roi", "percent"),
    ("deliverables", "Deliverables in scope", None, "count"),
    ("cost", "Spend", "spend", "money"),
]


class TierCompareView(TemplateView):
    template_name = "reports/tier_compare.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = TierPairForm(self.request.GET or None)
        context.update(form=form, query=self.request.GET.urlencode())
        if not self.request.GET or not form.is_valid():
            return context
        er_basis = form.er_basis_value
        filters = form.filters()
        ranges = tier_ranges()
        comparison = selectors.tier_comparison(filters=filters, ranges=ranges)
        tier_a, tier_b = form.cleaned_data["a"].pk, form.cleaned_data["b"].pk
        row_a, row_b = comparison.row_for(tier_a), comparison.row_for(tier_b)
        metrics = []
        for attribute, heading, key, kind in COMPARE_METRICS:
            if attribute == "engagement_rate":
                key = "engagement_rate_by_reach" if er_basis == EngagementBasis.REACH else key
                heading = LABELS[key]
            a_value = cell_value(row_a, attribute, er_basis)
            b_value = cell_value(row_b, attribute, er_basis)
            metrics.append(
                {
                    "heading": heading,
                    "definition": SPEND_DEFINITION if key == "spend" else DEFINITIONS.get(key),
                    "kind": kind,
                    "a_cell": {"value": a_value, "kind": kind},
                    "b_cell": {"value": b_value, "kind": kind},
                    "difference": difference(a_value, b_value),
                    "ratio": times(a_value, b_value),
                }
            )
        pairs = selectors.compare_by_objective(filters, tier_a, tier_b, ranges=ranges)
        context.update(
            row_a=row_a,
            row_b=row_b,
            metrics=metrics,
            readings=selectors.objective_readings(pairs),
            min_deliverables=selectors.MIN_DELIVERABLES,
        )
        return context


def tier_comparison_export(request):
    """Both tables as CSV; every cell through crm.csv_safety (tier names are user-typed)."""
    form = TierComparisonFilterForm(request.GET or None)
    filters = form.filters()
    er_basis = form.er_basis_value
    comparison = selectors.tier_comparison(filters=filters)
    columns = columns_for(er_basis)
    stamp = timezone.localdate().isoformat()
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tier-comparison-{stamp}.csv"'
    writer = csv.writer(response)
    headings = [c["heading"] for c in columns]
    writer.writerow(neutralise_row(["Tier", *headings]))
    for row in comparison.rows:
        writer.writerow(
            neutralise_row(
                [row.name, *[cell_value(row, c["attribute"], er_basis) for c in columns]]
            )
        )
    writer.writerow([])
    writer.writerow(neutralise_row(["Tier", "Collaboration type", *headings]))
    for row in comparison.split_rows:
        writer.writerow(
            neutralise_row(
                [
                    row.name,
                    row.type_label,
                    *[cell_value(row, c["attribute"], er_basis) for c in columns],
                ]
            )
        )
    return response


class HomeView(TemplateView):
    """The dashboard: each block is one small query and links to the list behind it."""

    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        week_start, week_end = selectors.week_bounds()
        renewals, renewal_count = selectors.renewals_due()
        context.update(
            pipeline=selectors.pipeline_counts(),
            renewals=renewals,
            renewal_count=renewal_count,
            today=timezone.localdate(),
            deliverables=selectors.deliverable_counts(),
            week_start=week_start,
            week_end=week_end,
            campaigns=selectors.active_campaign_budgets(),
            top_roi=selectors.top_influencers_by_roi(),
            top_roi_days=selectors.TOP_ROI_DAYS,
            roi_definition=DEFINITIONS["roi"],
        )
        return context
