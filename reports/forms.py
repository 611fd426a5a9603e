"""Filters of the tier comparison (GET forms: bad input shows beside the field, never a 500)."""

from django import forms
from django.core.exceptions import ValidationError

from campaigns.models import Campaign, Objective
from crm.fields import (
    CachedModelChoiceField,
    FastDateInput,
    FastSelect,
    FastTextInput,
    NamedModelChoiceField,
)
from influencers.models import Platform
from influencers.selectors import all_niches
from influencers.tiers import all_tiers
from partnerships.models import Partnership


class TierBasis:
    CURRENT = "current"
    SIGNING = "signing"
    CHOICES = [
        (CURRENT, "Current tier (today's thresholds)"),
        (SIGNING, "Tier at signing"),
    ]


class EngagementBasis:
    FOLLOWERS = "followers"
    REACH = "reach"
    CHOICES = [(FOLLOWERS, "By followers"), (REACH, "By reach")]


def _blank(label):
    return [("", label)]


class TierComparisonFilterForm(forms.Form):
    campaign = NamedModelChoiceField(
        queryset=Campaign.objects.order_by("-start_date", "-id"),
        required=False,
        empty_label="All campaigns",
    )
    objective = forms.ChoiceField(
        choices=_blank("All objectives") + Objective.choices, required=False, widget=FastSelect
    )
    published_after = forms.DateField(
        label="Published from",
        required=False,
        widget=FastDateInput(),
    )
    published_before = forms.DateField(
        label="Published to",
        required=False,
        widget=FastDateInput(),
    )
    platform = forms.ChoiceField(
        choices=_blank("All platforms") + Platform.choices, required=False, widget=FastSelect
    )
    niche = CachedModelChoiceField(
        objects=all_niches, required=False, empty_label="All niches", widget=FastSelect
    )
    market = forms.CharField(
        label="Market (country)",
        required=False,
        max_length=100,
        help_text="The influencer's country; any case.",
        widget=FastTextInput,
    )
    collaboration_type = forms.ChoiceField(
        label="Collaboration type",
        choices=_blank("Long-term and one-off") + Partnership.CollaborationType.choices,
        required=False,
        widget=FastSelect,
    )
    basis = forms.ChoiceField(
        label="Tier basis",
        choices=TierBasis.CHOICES,
        required=False,
        initial=TierBasis.CURRENT,
        widget=FastSelect,
    )
    er_basis = forms.ChoiceField(
        label="Engagement rate",
        choices=EngagementBasis.CHOICES,
        required=False,
        initial=EngagementBasis.FOLLOWERS,
        widget=FastSelect,
    )

    def clean(self):
        cleaned = super().clean()
        after, before = cleaned.get("published_after"), cleaned.get("published_before")
        if after and before and before < after:
            self.add_error("published_before", "The end of the period is before its start.")
            cleaned.pop("published_before", None)
        return cleaned

    def filters(self):
        """The valid filters as keyword arguments for the selectors (invalid ones are ignored;
        their errors show on the form)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "campaign": data.get("campaign"),
            "objective": data.get("objective") or None,
            "published_after": data.get("published_after"),
            "published_before": data.get("published_before"),
            "platform": data.get("platform") or None,
            "niche": data.get("niche"),
            "market": (data.get("market") or "").strip() or None,
            "collaboration_type": data.get("collaboration_type") or None,
            "basis": data.get("basis") or TierBasis.CURRENT,
        }

    @property
    def er_basis_value(self):
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("er_basis") or EngagementBasis.FOLLOWERS


class TierPairForm(TierComparisonFilterForm):
    a = CachedModelChoiceField(objects=all_tiers, label="First tier", widget=FastSelect)
    b = CachedModelChoiceField(objects=all_tiers, label="Second tier", widget=FastSelect)

    field_order = ["a", "b"]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("a") and cleaned.get("a") == cleaned.get("b"):
            raise ValidationError("Pick two different tiers.")
        return cleaned
