from django.urls import path

from campaigns import views

app_name = "campaigns"

# The list and the campaign page show partnership figures: partnerships/campaign_urls.py has
# them, and crm/urls.py mounts both lists under this namespace.
urlpatterns = [
    path("new/", views.CampaignCreateView.as_view(), name="campaign-create"),
    path("<int:pk>/edit/", views.CampaignUpdateView.as_view(), name="campaign-update"),
]
