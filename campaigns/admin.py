from django.contrib import admin

from campaigns.models import Campaign
from campaigns.services import campaign_objective_changed
from crm.history import HistoryAdminMixin


@admin.register(Campaign)
class CampaignAdmin(HistoryAdminMixin, admin.ModelAdmin):
    list_display = ("name", "objective", "status", "start_date", "end_date", "budget", "owner")
    list_filter = ("status", "objective", "target_niches")
    list_select_related = ("owner",)
    search_fields = ("name", "product", "description")
    filter_horizontal = ("target_niches",)
    autocomplete_fields = ("owner",)
    date_hierarchy = "start_date"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and "objective" in form.changed_data:
            campaign_objective_changed(obj)
