from crispy_forms.bootstrap import InlineCheckboxes
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from crm.concurrency import add_version_field
from crm.fields import BoundedModelMultipleChoiceField, DateInput, limit_owner_choices
from influencers.filters import DEFAULT_PAGE_SIZE, PAGE_SIZES, SORT_CHOICES
from influencers.models import Influencer, Interaction, SocialAccount
from influencers.services import normalise_handle


def select_options(bound_field):
    """[(value, label, selected)] of a select field, for templates that write the <option>s
    themselves: the roster renders on every filter change, and Django's per-option widget
    templates were a large share of its time."""
    value = bound_field.value()
    values = value if isinstance(value, (list, tuple)) else [value]
    chosen = {str(item) for item in values if item not in (None, "")}
    return [
        (str(option), label, str(option) in chosen)
        for option, label in bound_field.field.widget.choices
    ]


class RosterDisplayForm(forms.Form):
    """How the roster is shown: sort order and page size (bad values fall back to defaults)."""

    sort = forms.ChoiceField(choices=SORT_CHOICES, required=False)
    per_page = forms.TypedChoiceField(
        label="Rows per page",
        choices=[(size, size) for size in PAGE_SIZES],
        coerce=int,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def values(self):
        data = self.cleaned_data if self.is_valid() else {}
        return data.get("sort") or "name", data.get("per_page") or DEFAULT_PAGE_SIZE


class InfluencerForm(forms.ModelForm):
    class Meta:
        model = Influencer
        fields = ["name", "email", "phone", "country", "city", "niches", "owner", "status", "notes"]
        widgets = {
            "niches": forms.CheckboxSelectMultiple,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"niches": BoundedModelMultipleChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit_owner_choices(self)
        if self.instance.pk:
            add_version_field(self)  # rendered by the template: the layout names visible fields
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("name", css_class="col-md-6"),
                Column("status", css_class="col-md-3"),
                Column("owner", css_class="col-md-3"),
            ),
            Row(Column("email", css_class="col-md-6"), Column("phone", css_class="col-md-6")),
            Row(Column("country", css_class="col-md-6"), Column("city", css_class="col-md-6")),
            Row(
                Column(InlineCheckboxes("niches"), css_class="col-md-6"),
                Column("notes", css_class="col-md-6"),
            ),
        )


class SocialAccountForm(forms.ModelForm):
    class Meta:
        model = SocialAccount
        fields = ["platform", "handle", "url", "followers", "engagement_rate", "is_primary"]
        widgets = {
            "engagement_rate": forms.NumberInput(attrs={"min": 0, "max": 100, "step": "0.01"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Rows of a table with the labels in its header: each input carries its own name for
        # screen readers instead of a visible label.
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                widget.attrs["class"] = "form-select form-select-sm"
            else:
                widget.attrs["class"] = "form-control form-control-sm"
            widget.attrs.setdefault("aria-label", str(field.label))
        self.fields["followers"].widget.attrs["min"] = 0

    def clean_handle(self):
        handle = normalise_handle(self.cleaned_data.get("handle"))
        if not handle:
            raise forms.ValidationError("Enter the handle.")
        return handle

    def clean(self):
        cleaned = super().clean()
        platform, handle = cleaned.get("platform"), cleaned.get("handle")
        if platform and handle and not self.cleaned_data.get("DELETE"):
            taken = (
                SocialAccount.objects.filter(platform=platform, handle__iexact=handle)
                .exclude(pk=self.instance.pk)
                .select_related("influencer")
                .first()
            )
            if taken is not None:
                owner = taken.influencer
                self.add_error(
                    "handle",
                    forms.ValidationError(
                        format_html(
                            'This handle is already used on {} by <a href="{}">{}</a>.',
                            taken.get_platform_display(),
                            reverse("influencers:influencer-detail", args=[owner.pk]),
                            owner.name,
                        ),
                        code="handle_taken",
                    ),
                )
        return cleaned


class BaseSocialAccountFormSet(BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def clean(self):
        super().clean()
        seen = {}
        primaries = 0
        for form in self.forms:
            if not hasattr(form, "cleaned_data") or not form.cleaned_data:
                continue
            if form.cleaned_data.get("DELETE"):
                continue
            handle = (form.cleaned_data.get("handle") or "").lower()
            key = (form.cleaned_data.get("platform"), handle)
            if all(key):
                if key in seen:
                    form.add_error("handle", "This handle appears twice on this platform.")
                seen[key] = form
            primaries += bool(form.cleaned_data.get("is_primary"))
        if primaries > 1:
            raise forms.ValidationError("Mark only one account as primary.")


SocialAccountFormSet = inlineformset_factory(
    Influencer,
    SocialAccount,
    form=SocialAccountForm,
    formset=BaseSocialAccountFormSet,
    extra=1,
    can_delete=True,
    max_num=20,
    # A forged TOTAL_FORMS never builds more than 20 forms (Django's default allows 1,000 more).
    absolute_max=20,
    validate_max=True,
)


class InteractionForm(forms.ModelForm):
    class Meta:
        model = Interaction
        fields = ["kind", "occurred_on", "summary", "partnership"]
        labels = {"occurred_on": "Date"}
        widgets = {
            "occurred_on": DateInput(),
            "summary": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, influencer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["occurred_on"].initial = timezone.localdate
        self.fields["partnership"].queryset = influencer.partnerships.select_related(
            "campaign", "influencer"
        )
        self.fields["partnership"].required = False
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
