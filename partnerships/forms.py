from crispy_forms.bootstrap import InlineRadios
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from campaigns.models import Campaign
from crm.concurrency import add_version_field
from crm.fields import (
    FastSelect,
    NamedModelChoiceField,
    NamedModelChoiceIterator,
    limit_owner_choices,
)
from influencers.models import Influencer
from partnerships.models import Deliverable, Partnership
from partnerships.selectors import campaign_warnings
from partnerships.services import DELIVERABLE_FIELDS, contract_value

OneOff = Partnership.CollaborationType.ONE_OFF
LongTerm = Partnership.CollaborationType.LONG_TERM

ONE_OFF_FORM_FIELDS = ("fee", "due_date", "expected_deliverables")
LONG_TERM_FORM_FIELDS = (
    "start_date",
    "end_date",
    "monthly_retainer",
    "one_time_fee",
    "deliverables_per_month",
    "auto_renew",
    "exclusivity",
    "renewal_reminder_days",
)
REQUIRED = {
    OneOff: {
        "campaign": "A one-off partnership belongs to a campaign: choose it.",
        "fee": "A one-off partnership needs its flat fee.",
        "due_date": "A one-off partnership needs its due date.",
    },
    LongTerm: {
        "start_date": "A long-term partnership needs the start of its term.",
        "end_date": "A long-term partnership needs the end of its term.",
        "monthly_retainer": "A long-term partnership needs its monthly retainer.",
    },
}
# Sane upper bounds, so a typo is refused beside its field (and never overflows a column).
COUNT_LIMITS = {
    "expected_deliverables": 1000,
    "deliverables_per_month": 1000,
    "renewal_reminder_days": 365,
}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class InfluencerPicker(forms.Select):
    """A select that renders only the chosen influencer and the current search matches: the
    roster is far too big for one <option> each."""

    template_name = "partnerships/widgets/influencer_picker.html"

    def __init__(self, *args, search_url="", search_term="", **kwargs):
        super().__init__(*args, **kwargs)
        self.search_url = search_url
        self.search_term = search_term

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["search_url"] = self.search_url
        context["widget"]["search_term"] = self.search_term
        return context


class CampaignChoiceIterator(NamedModelChoiceIterator):
    """(pk, label) pairs whose label says the campaign's status, and when it ended if it has:
    "Spring launch (Cancelled)", "Winter sale (Active, ended 3 Mar 2026)"."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        today = timezone.localdate()
        labels = dict(Campaign.Status.choices)
        for pk, name, status, end_date in self.queryset.values_list(
            "pk", "name", "status", "end_date"
        ):
            state = labels.get(status, status)
            if end_date is not None and end_date < today:
                state = f"{state}, ended {end_date.day} {end_date:%b %Y}"
            yield (pk, f"{name} ({state})")


class CampaignChoiceField(NamedModelChoiceField):
    iterator = CampaignChoiceIterator


class PartnershipForm(forms.ModelForm):
    """Log or edit a partnership. Both types' fields are in the page (grouped, so it works
    without JavaScript); clean() keeps only the chosen type's and validates them."""

    one_time_fee = forms.DecimalField(
        label="One-time fee (optional)",
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        help_text="Added once to the retainer total.",
    )
    confirm_campaign = forms.BooleanField(
        label="Save anyway", required=False, help_text="I have read the campaign warnings above."
    )

    class Meta:
        model = Partnership
        fields = [
            "collaboration_type",
            "influencer",
            "campaign",
            "owner",
            "status",
            "terms",
            "fee",
            "due_date",
            "expected_deliverables",
            "start_date",
            "end_date",
            "monthly_retainer",
            "deliverables_per_month",
            "auto_renew",
            "exclusivity",
            "renewal_reminder_days",
        ]
        field_classes = {"campaign": CampaignChoiceField}
        labels = {
            "collaboration_type": "Collaboration type",
            "fee": "Flat fee",
            "start_date": "Term starts",
            "end_date": "Term ends",
            "status": "Pipeline stage",
        }
        widgets = {
            "collaboration_type": forms.RadioSelect,
            "owner": FastSelect,
            "due_date": DATE,
            "start_date": DATE,
            "end_date": DATE,
            "terms": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, influencer_matches=(), influencer_search="", **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign_warnings = []
        creating = self.instance.pk is None
        self.fields["collaboration_type"].choices = Partnership.CollaborationType.choices
        self.fields["campaign"].required = False
        self.fields["campaign"].help_text = "Required for a one-off deal; optional for long-term."
        self.fields["campaign"].empty_label = "No campaign (long-term programmes only)"
        self.fields["owner"].empty_label = "Nobody yet"
        self.fields["campaign"].queryset = self.fields["campaign"].queryset.order_by(
            "-start_date", "-id"
        )
        limit_owner_choices(self)
        for name in ("fee", "monthly_retainer", "one_time_fee"):
            self.fields[name].widget.attrs.update({"min": "0", "step": "0.01"})
        for name, most in COUNT_LIMITS.items():
            self.fields[name].max_value = most
            self.fields[name].validators.append(MaxValueValidator(most))
            self.fields[name].widget.attrs["max"] = str(most)
        if creating:
            self.fields["status"].choices = [
                (value, label)
                for value, label in Partnership.Status.choices
                if value in Partnership.OPEN_STATUSES
            ]
            self._set_up_influencer_picker(influencer_matches, influencer_search)
        else:
            # Moves go through the pipeline; the influencer of a deal does not change.
            del self.fields["status"]
            del self.fields["influencer"]
            if self.instance.is_long_term:
                self.initial.setdefault("one_time_fee", self.instance.fee)
                self.initial["fee"] = None
            add_version_field(self)
        self.helper = self._helper(creating)

    def _set_up_influencer_picker(self, matches, term):
        field = self.fields["influencer"]
        field.widget = InfluencerPicker(
            search_url=reverse("partnerships:influencer-search"), search_term=term
        )
        field.help_text = "Type part of a name to search the roster."
        if not self.is_bound and len(matches) == 1 and not self.initial.get("influencer"):
            self.initial["influencer"] = matches[0].pk
        chosen = self.data.get("influencer") if self.is_bound else self.initial.get("influencer")
        if isinstance(chosen, Influencer):
            chosen = chosen.pk
        options = {}
        if chosen and str(chosen).isdigit() and len(str(chosen)) < 19:  # a bigint
            options.update(Influencer.objects.filter(pk=chosen).values_list("pk", "name"))
        for influencer in matches:
            options.setdefault(influencer.pk, influencer.name)
        field.widget.choices = [("", "Choose an influencer")] + list(options.items())

    def _helper(self, creating):
        helper = FormHelper()
        helper.form_id = "partnership-form"
        helper.attrs = {"data-contract-value": "true", "novalidate": ""}
        who = ["influencer", "campaign", "owner", "status", "terms"]
        if not creating:
            who = ["campaign", "owner", "terms"]
        helper.layout = Layout(
            # The hidden version of an edit, and after a refused save the other user's values.
            HTML('{% include "includes/edit_conflict.html" %}'),
            Fieldset("1. Collaboration type", InlineRadios("collaboration_type")),
            Fieldset("2. Who and what", *who),
            Div(
                Fieldset("One-off terms", *ONE_OFF_FORM_FIELDS),
                css_id="one-off-fields",
                css_class="type-fields",
                data_type=OneOff,
            ),
            Div(
                Fieldset("Long-term terms (ambassador / retainer)", *LONG_TERM_FORM_FIELDS),
                css_id="long-term-fields",
                css_class="type-fields",
                data_type=LongTerm,
            ),
            HTML('{% include "partnerships/_contract_value_preview.html" %}'),
            # Warnings about the chosen campaign and the "Save anyway" box, when there are any.
            HTML('{% include "partnerships/_campaign_warnings.html" %}'),
            Submit("save", "Save partnership"),
        )
        return helper

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("collaboration_type")
        if kind not in (OneOff, LongTerm):
            return cleaned
        other = LONG_TERM_FORM_FIELDS if kind == OneOff else ONE_OFF_FORM_FIELDS
        for name in other:
            # The other type's fields are hidden or ignored: clear them, errors included.
            self.errors.pop(name, None)
            cleaned[name] = False if name in ("auto_renew", "exclusivity") else None
        if kind == LongTerm:
            cleaned["renewal_reminder_days"] = cleaned.get("renewal_reminder_days") or 30
        else:
            cleaned["renewal_reminder_days"] = self.instance.renewal_reminder_days or 30
        for name, message in REQUIRED[kind].items():
            if cleaned.get(name) in (None, "") and name not in self.errors:
                self.add_error(name, message)
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if kind == LongTerm and start and end and end < start:
            self.add_error("end_date", "The term cannot end before it starts.")
        if kind == LongTerm:
            cleaned["fee"] = cleaned.get("one_time_fee")
        self._refuse_second_open_partnership(cleaned)
        self._warn_about_campaign(cleaned)
        return cleaned

    def _warn_about_campaign(self, cleaned):
        """A warning, not a wall: a deal going into a cancelled or ended campaign, or taking its
        signed spend over budget, is saved only once "Save anyway" is ticked. An edit warns
        about the campaign only when it moves the deal there, and about the budget when it
        moves it or makes it dearer."""
        campaign = cleaned.get("campaign")
        if campaign is None or self.errors:
            return
        value = contract_value(
            collaboration_type=cleaned.get("collaboration_type"),
            fee=cleaned.get("fee"),
            monthly_retainer=cleaned.get("monthly_retainer"),
            start_date=cleaned.get("start_date"),
            end_date=cleaned.get("end_date"),
        )
        moved = self.instance.pk is None or self.instance.campaign_id != campaign.pk
        dearer = moved or value > (self.instance.contract_value or 0)
        self.campaign_warnings = campaign_warnings(
            campaign,
            value=value,
            partnership=self.instance,
            status=moved,
            budget=dearer,
        )
        if self.campaign_warnings and not cleaned.get("confirm_campaign"):
            self.add_error(
                "confirm_campaign",
                ValidationError(
                    "Check the warnings about this campaign, then tick “Save anyway” "
                    "to save the partnership.",
                    code="campaign_warning",
                ),
            )

    def _refuse_second_open_partnership(self, cleaned):
        influencer = cleaned.get("influencer", getattr(self.instance, "influencer", None))
        campaign = cleaned.get("campaign")
        status = cleaned.get("status", self.instance.status)
        if not (influencer and campaign) or status not in Partnership.OPEN_STATUSES:
            return
        if self.instance.pk and not self.instance.is_open:
            return
        existing = (
            Partnership.objects.filter(
                influencer=influencer,
                campaign=campaign,
                status__in=Partnership.OPEN_STATUSES,
            )
            .exclude(pk=self.instance.pk)
            .only("pk", "status")
            .first()
        )
        if existing:
            self.add_error(
                "campaign",
                ValidationError(
                    format_html(
                        "{} already has an open partnership in {} ({}): "
                        '<a href="{}">open it</a> instead of logging a second one.',
                        influencer,
                        campaign,
                        existing.get_status_display(),
                        existing.get_absolute_url(),
                    ),
                    code="duplicate_open",
                ),
            )

    def service_fields(self):
        """The cleaned values the partnership services take."""
        data = dict(self.cleaned_data)
        data.pop("one_time_fee", None)
        data.pop("confirm_campaign", None)
        return data


class DeliverableForm(forms.ModelForm):
    class Meta:
        model = Deliverable
        fields = list(DELIVERABLE_FIELDS)
        labels = {"published_on": "Published date", "url": "URL"}
        widgets = {"due_date": DATE, "published_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in DELIVERABLE_FIELDS[6:]:
            self.fields[name].widget.attrs["min"] = "0"
        if self.instance.pk:
            add_version_field(self)
        self.helper = FormHelper()
        self.helper.form_id = "deliverable-form"
        self.helper.attrs = {"novalidate": ""}
        self.helper.layout = Layout(
            # The hidden version of an edit, and after a refused save the other user's values.
            HTML('{% include "includes/edit_conflict.html" %}'),
            Fieldset("Deliverable", Div(*DELIVERABLE_FIELDS[:6], css_class="deliverable-plan")),
            Fieldset("Results", Div(*DELIVERABLE_FIELDS[6:], css_class="deliverable-results")),
            Submit("save", "Save deliverable"),
        )

    def clean(self):
        cleaned = super().clean()
        impressions, reach = cleaned.get("impressions"), cleaned.get("reach")
        if impressions is not None and reach is not None and reach > impressions:
            self.add_error("reach", "Reach cannot exceed impressions.")
        if cleaned.get("status") == Deliverable.Status.PUBLISHED:
            if not cleaned.get("published_on") and "published_on" not in self.errors:
                self.add_error("published_on", "A published deliverable needs its publish date.")
            if not cleaned.get("url") and "url" not in self.errors:
                self.add_error("url", "A published deliverable needs its URL.")
        return cleaned
