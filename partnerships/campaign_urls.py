"""The campaign pages that read partnerships. crm/urls.py mounts them in the campaigns namespace
beside campaigns/urls.py, so their names stay campaigns:campaign-list and campaign-detail."""

from django.urls import path

from partnerships import campaign_views

urlpatterns = [
    path("", campaign_views.CampaignListView.as_view(), name="campaign-list"),
    path("<int:pk>/", campaign_views.CampaignDetailView.as_view(), name="campaign-detail"),
]
