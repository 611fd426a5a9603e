"""Reads on campaigns alone. The figures summed from partnerships (committed, left, tier mix,
results) are read in partnerships/campaign_selectors.py."""

from campaigns.models import Campaign


def campaign_list(*, queryset=None):
    """Campaigns for the list page, with their owner; the page's totals are read separately."""
    queryset = Campaign.objects.all() if queryset is None else queryset
    return queryset.select_related("owner")
