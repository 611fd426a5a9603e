"""The campaign list and page: both show what the campaign's partnerships commit and return, so
they live here, above campaigns (creating and editing a campaign stays in campaigns/views.py).
The URLs keep the campaigns namespace: crm/urls.py mounts partnerships/campaign_urls.py with it."""

from decimal import Decimal

from django.views.generic import DetailView
from django_filters.views import FilterView

from campaigns.models import Campaign
from campaigns.selectors import campaign_list
from crm.metrics import DEFINITIONS, LABELS, ratio
from crm.paginators import KnownCountPaginator
from influencers.tiers import tier_ranges
from partnerships.campaign_filters import CampaignFilter
from partnerships.campaign_selectors import (
    campaign_partnerships,
    campaign_summary,
    campaign_totals,
)
from partnerships.models import Partnership


class CampaignListView(FilterView):
    filterset_class = CampaignFilter
    template_name = "campaigns/campaign_list.html"
    context_object_name = "campaigns"
    paginate_by = 50
    strict = False

    def get_queryset(self):
        return campaign_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = context["campaigns"]
        totals = campaign_totals([campaign.pk for campaign in page])
        for campaign in page:
            campaign.totals = totals[campaign.pk]
            campaign.left = campaign.budget - campaign.totals.committed
        return context


def budget_bar(budget, committed):
    """Bounds for the <meter>: green while well inside the budget, amber near it, red over it."""
    return {
        "value": committed,
        "max": max(budget, committed) or 1,
        "low": budget * Decimal("0.8"),
        "high": budget,
    }


class CampaignDetailView(DetailView):
    template_name = "campaigns/campaign_detail.html"
    context_object_name = "campaign"
    partnerships_per_page = 50

    def get_queryset(self):
        return Campaign.objects.select_related("owner").prefetch_related("target_niches")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        campaign = self.object
        ranges = tier_ranges()
        summary = campaign_summary(campaign, ranges=ranges)

        selected = None
        wanted = self.request.GET.get("tier", "")
        if wanted.isdigit():
            selected = next((r for r in ranges if r.tier.pk == int(wanted)), None)
        partnerships = campaign_partnerships(campaign, tier_range=selected)
        # Counting the campaign's rows needs no join to the influencers (an index-only count);
        # the paginator would count the annotated, joined queryset instead.
        counted = partnerships if selected else Partnership.objects.filter(campaign=campaign)
        paginator = KnownCountPaginator(
            partnerships, self.partnerships_per_page, count=counted.count()
        )
        page = paginator.get_page(self.request.GET.get("page"))

        types = Partnership.CollaborationType
        context.update(
            summary=summary,
            left=campaign.budget - summary.committed,
            budget_used=ratio(summary.committed, campaign.budget, 100),
            over_budget=summary.committed > campaign.budget,
            bar=budget_bar(campaign.budget, summary.committed),
            definitions=DEFINITIONS,
            labels=LABELS,
            type_split=[
                (
                    label,
                    summary.type_counts[value],
                    summary.by_type[value],
                )
                for value, label in ((types.LONG_TERM, "Long-term"), (types.ONE_OFF, "One-off"))
            ],
            selected_tier=selected,
            page_obj=page,
            partnerships=page.object_list,
            is_paginated=page.has_other_pages(),
        )
        return context
