from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("tiers/", views.TierComparisonView.as_view(), name="tier-comparison"),
    path("tiers/compare/", views.TierCompareView.as_view(), name="tier-compare"),
    path("tiers/export.csv", views.tier_comparison_export, name="tier-comparison-export"),
]
