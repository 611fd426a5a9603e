"""The influencer pages that read partnerships. crm/urls.py mounts them in the influencers
namespace beside influencers/urls.py, so their names stay influencers:influencer-list, ..."""

from django.urls import path

from partnerships import influencer_views

urlpatterns = [
    path("", influencer_views.InfluencerListView.as_view(), name="influencer-list"),
    path("export.csv", influencer_views.InfluencerExportView.as_view(), name="influencer-export"),
    path("<int:pk>/", influencer_views.InfluencerDetailView.as_view(), name="influencer-detail"),
    path(
        "<int:pk>/interactions/new/",
        influencer_views.interaction_create_view,
        name="interaction-create",
    ),
]
