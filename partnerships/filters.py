import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef

from campaigns.models import Campaign
from crm.fields import FastSelect, NamedModelChoiceField
from influencers.filters import RosterFilterSet, UserFilter
from influencers.models import Tier
from influencers.tiers import tiers_q
from partnerships.models import Deliverable, Partnership
from partnerships.selectors import overdue_q, renewal_due_q


def style_widgets(form):
    """Bootstrap classes on the filter widgets (checkbox groups are laid out by the template)."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
            widget.attrs.setdefault("class", "form-check-input")
        elif isinstance(widget, forms.Select):
            widget.attrs.setdefault("class", "form-select form-select-sm")
        else:
            widget.attrs.setdefault("class", "form-control form-control-sm")


class NamedModelChoiceFilter(django_filters.ModelChoiceFilter):
    field_class = NamedModelChoiceField


class StyledFilterSet(django_filters.FilterSet):
    @property
    def form(self):
        form = super().form
        if not getattr(form, "_styled", False):
            style_widgets(form)
            form._styled = True
        return form


class PartnershipFilter(StyledFilterSet):
    collaboration_type = django_filters.ChoiceFilter(
        label="Type", choices=Partnership.CollaborationType.choices, empty_label="Any type"
    )
    status = django_filters.MultipleChoiceFilter(
        choices=Partnership.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        distinct=False,
    )
    tier = django_filters.ModelMultipleChoiceFilter(
        label="Tier (now)",
        queryset=Tier.objects.order_by("min_followers"),
        method="filter_tier",
        widget=forms.CheckboxSelectMultiple,
    )
    campaign = NamedModelChoiceFilter(
        queryset=Campaign.objects.order_by("-start_date", "-id"),
        empty_label="Any campaign",
    )
    owner = UserFilter(
        queryset=get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username"),
        empty_label="Anyone",
        widget=FastSelect,
    )
    renewal_due_within = django_filters.NumberFilter(
        label="Renewal due within (days)",
        method="filter_renewal_due",
        min_value=0,
        max_value=3650,
    )

    class Meta:
        model = Partnership
        fields = ["collaboration_type", "status", "tier", "campaign", "owner"]

    def filter_tier(self, queryset, name, value):
        # The influencer's tier now: a followers range per tier (influencer_followers index).
        if not value:
            return queryset
        return queryset.filter(tiers_q(value, field="influencer__followers"))

    def filter_renewal_due(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(renewal_due_q(int(value)))


class DeliverableFilter(StyledFilterSet):
    status = django_filters.ChoiceFilter(
        choices=Deliverable.Status.choices, empty_label="Any status"
    )
    due_after = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="gte",
        label="Due on or after",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_before = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label="Due on or before",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    overdue = django_filters.BooleanFilter(
        label="Overdue only",
        method="filter_overdue",
        widget=forms.CheckboxInput,
    )

    class Meta:
        model = Deliverable
        fields = ["status", "due_after", "due_before", "overdue"]

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset


class PartnershipRosterFilterSet(RosterFilterSet):
    """The roster's filters plus "has an active partnership". That one filter reads partnerships,
    so it is added here, above influencers; the roster pages use this FilterSet
    (partnerships/influencer_views.py)."""

    active_partnership = django_filters.BooleanFilter(
        label="Has an active partnership",
        method="filter_active_partnership",
        widget=forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")]),
    )

    option_fields = (*RosterFilterSet.option_fields, "active_partnership")

    def filter_active_partnership(self, queryset, name, value):
        if value is None:
            return queryset
        active = Partnership.objects.filter(
            influencer=OuterRef("pk"), status=Partnership.Status.ACTIVE
        )
        return queryset.filter(Exists(active) if value else ~Exists(active))
