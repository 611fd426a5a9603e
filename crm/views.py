from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from crm.metrics import DEFINITIONS
from crm.reports import selectors as reports
from influencers.models import Tier


class HomeView(TemplateView):
    """The dashboard: each block is one small query and links to the list behind it."""

    template_name = "crm/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        week_start, week_end = reports.week_bounds()
        renewals, renewal_count = reports.renewals_due()
        context.update(
            pipeline=reports.pipeline_counts(),
            renewals=renewals,
            renewal_count=renewal_count,
            renewal_window=reports.RENEWAL_WINDOW_DAYS,
            deliverables=reports.deliverable_counts(),
            week_start=week_start,
            week_end=week_end,
            campaigns=reports.active_campaign_budgets(),
            top_roi=reports.top_influencers_by_roi(),
            top_roi_days=reports.TOP_ROI_DAYS,
            roi_definition=DEFINITIONS["roi"],
        )
        return context


@never_cache
def tier_stylesheet(request):
    """Badge colours for the tiers as they are now (colours are checked hex values)."""
    rules = [
        f".tier-{tier_id}{{background-color:{color}}}"
        for tier_id, color in Tier.objects.values_list("pk", "color")
    ]
    return HttpResponse("\n".join(rules), content_type="text/css")
