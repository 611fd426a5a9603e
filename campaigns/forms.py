from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Column, Layout, Row, Submit
from django import forms

from campaigns.models import Campaign
from crm.concurrency import add_version_field
from crm.fields import BoundedModelMultipleChoiceField, DateInput, limit_owner_choices

DATE_INPUT = DateInput()


class CampaignForm(forms.ModelForm):
    """Create and edit a campaign. The end-after-start and non-negative budget rules are also
    database constraints; here they become messages beside their fields."""

    class Meta:
        model = Campaign
        fields = [
            "name",
            "product",
            "objective",
            "status",
            "start_date",
            "end_date",
            "budget",
            "target_niches",
            "owner",
            "description",
        ]
        # A forged 30-digit niche id is "not a valid value", not a database OverflowError.
        field_classes = {"target_niches": BoundedModelMultipleChoiceField}
        widgets = {
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            "target_niches": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "budget": "What the campaign may spend on partnerships.",
            "end_date": "Leave empty for an open-ended campaign.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["budget"].widget.attrs["min"] = "0"
        limit_owner_choices(self)
        if self.instance.pk:
            add_version_field(self)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            # The hidden version of an edit, and after a refused save the other user's values.
            HTML('{% include "includes/edit_conflict.html" %}'),
            Row(Column("name", css_class="col-md-6"), Column("product", css_class="col-md-6")),
            Row(
                Column("objective", css_class="col-md-4"),
                Column("status", css_class="col-md-4"),
                Column("owner", css_class="col-md-4"),
            ),
            Row(
                Column("start_date", css_class="col-md-4"),
                Column("end_date", css_class="col-md-4"),
                Column("budget", css_class="col-md-4"),
            ),
            InlineCheckboxes("target_niches"),
            "description",
            Submit("submit", "Save campaign"),
        )

    def clean_budget(self):
        budget = self.cleaned_data.get("budget")
        if budget is not None and budget < 0:
            raise forms.ValidationError("The budget cannot be negative.")
        return budget

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date cannot be before the start date.")
        return cleaned
