"""The campaign list's filters and sorts; sorting by committed, left or partnership count reads
the partnerships, so the FilterSet lives here, above campaigns."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model

from campaigns.models import Campaign
from partnerships.campaign_selectors import with_totals

SORT_BY_TOTALS = {"committed", "left", "partnerships"}

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def owners(request):
    # Only people who own a campaign: the choice list stays short and relevant.
    return (
        get_user_model()
        .objects.filter(owned_campaigns__isnull=False)
        .distinct()
        .order_by("username")
    )


class StableOrderingFilter(django_filters.OrderingFilter):
    """Sorting with the id as a tie-breaker, so pages never repeat or skip a row."""

    def filter(self, qs, value):
        if value and any(v.lstrip("-") in SORT_BY_TOTALS for v in value):
            qs = with_totals(qs)
        qs = super().filter(qs, value)
        if value:
            qs = qs.order_by(*qs.query.order_by, "-id")
        return qs


class CampaignFilter(django_filters.FilterSet):
    """Campaign list filters; every field is an indexed column of the campaign table."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    status = django_filters.ChoiceFilter(choices=Campaign.Status.choices, empty_label="Any status")
    objective = django_filters.ChoiceFilter(
        choices=Campaign.Objective.choices, empty_label="Any objective"
    )
    owner = django_filters.ModelChoiceFilter(queryset=owners, empty_label="Any owner")
    start_after = django_filters.DateFilter(
        field_name="start_date", lookup_expr="gte", label="Starts on or after", widget=DATE_INPUT
    )
    start_before = django_filters.DateFilter(
        field_name="start_date", lookup_expr="lte", label="Starts on or before", widget=DATE_INPUT
    )
    sort = StableOrderingFilter(
        fields=(
            ("name", "name"),
            ("start_date", "start"),
            ("budget", "budget"),
            ("committed", "committed"),
            ("left", "left"),
            ("partnership_count", "partnerships"),
        ),
        field_labels={
            "name": "Name",
            "start_date": "Start date",
            "budget": "Budget",
            "committed": "Committed",
            "left": "Left",
            "partnership_count": "Partnerships",
        },
        empty_label="Newest first",
        label="Sort",
    )

    class Meta:
        model = Campaign
        fields = ["q", "status", "objective", "owner", "start_after", "start_before"]
