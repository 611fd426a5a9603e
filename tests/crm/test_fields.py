from datetime import date

import pytest
from django import forms
from django.test import override_settings

from crm.fields import DateInput


class PickDate(forms.Form):
    day = forms.DateField(widget=DateInput())


@override_settings(LANGUAGE_CODE="en-gb")
def test_date_picker_gets_an_iso_value_whatever_the_language():
    html = str(PickDate(initial={"day": date(2026, 11, 23)})["day"])
    assert 'type="date"' in html and 'value="2026-11-23"' in html
    assert PickDate({"day": "2026-11-23"}).is_valid()


class Pick(forms.Form):
    one = forms.ChoiceField(
        choices=[("", "Any"), ("a", "A <b>"), ("b", 'B "quoted"')], required=False
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    # Groups, and a value offered twice: a single select marks only its first option.
    grouped = forms.ChoiceField(
        choices=[("", "Any"), ("Fruit <&>", [("a", "Apple"), ("b", "Banana")]), ("a", "Again")],
        required=False,
    )


def test_fast_select_renders_what_the_stock_widget_renders():
    from crm.fields import FastSelect, FastSelectMultiple

    initial = {"one": "b", "many": ["x", "y"], "grouped": "a"}
    stock, fast = Pick(initial=initial), Pick(initial=initial)
    for name in ("one", "grouped"):
        fast.fields[name].widget = FastSelect(choices=fast.fields[name].choices)
    fast.fields["many"].widget = FastSelectMultiple(choices=fast.fields["many"].choices)

    def normalise(html):
        return "".join(str(html).split())

    for name in ("one", "many", "grouped"):
        assert normalise(fast[name]) == normalise(stock[name])
    assert "A &lt;b&gt;" in str(fast["one"]) and "selected" in str(fast["one"])
    assert str(fast["grouped"]).count("selected") == 1


def test_fast_date_input_renders_what_the_date_picker_renders():
    from crm.fields import FastDateInput

    class Fast(forms.Form):
        day = forms.DateField(widget=FastDateInput(attrs={"class": "x"}), help_text="When.")

    class Stock(forms.Form):
        day = forms.DateField(widget=DateInput(attrs={"class": "x"}), help_text="When.")

    for data in ({"day": "2026-11-23"}, {"day": "not a day"}, {}):
        assert str(Fast(data)["day"]) == str(Stock(data)["day"])
    assert str(Fast(initial={"day": date(2026, 1, 2)})["day"]) == str(
        Stock(initial={"day": date(2026, 1, 2)})["day"]
    )


@pytest.mark.django_db
def test_named_model_choice_field_renders_and_validates_as_the_stock_field():
    from campaigns.models import Campaign
    from crm.fields import NamedModelChoiceField
    from tests.factories import CampaignFactory

    CampaignFactory(name="Spring <launch>")
    chosen = CampaignFactory(name='Summer "drop"')
    queryset = Campaign.objects.order_by("name")

    class Stock(forms.Form):
        campaign = forms.ModelChoiceField(queryset=queryset, required=False, empty_label="All")

    class Named(forms.Form):
        campaign = NamedModelChoiceField(queryset=queryset, required=False, empty_label="All")

    def normalise(html):
        return "".join(str(html).split())

    for data in ({"campaign": chosen.pk}, {}):
        assert normalise(Named(data)["campaign"]) == normalise(Stock(data)["campaign"])
    html = str(Named({"campaign": chosen.pk})["campaign"])
    assert "Spring &lt;launch&gt;" in html and f'value="{chosen.pk}" selected' in html

    form = Named({"campaign": chosen.pk})
    assert form.is_valid() and form.cleaned_data["campaign"] == chosen
    refused = Named({"campaign": "999999"})
    assert not refused.is_valid() and "campaign" in refused.errors
