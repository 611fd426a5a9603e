"""Reads on campaigns alone. The figures summed from partnerships (committed, left, tier mix,
results) are read in partnerships/campaign_selectors.py."""

from campaigns.models import Campaign

# TEMP: reports.selectors imports with_totals from here and reports/ is being rewritten in
# parallel. Point that import at partnerships.campaign_selectors, then delete this line and its
# ignore_imports entry in pyproject.toml.
from partnerships.campaign_selectors import with_totals  # noqa: F401


def campaign_list(*, queryset=None):
    """Campaigns for the list page, with their owner; the page's totals are read separately."""
    queryset = Campaign.objects.all() if queryset is None else queryset
    return queryset.select_related("owner")
