from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from campaigns import urls as campaign_urls
from crm.forms import LoginForm
from influencers import urls as influencer_urls
from influencers.views import tier_stylesheet
from partnerships import campaign_urls as partnership_campaign_urls
from partnerships import influencer_urls as partnership_influencer_urls
from reports.views import HomeView

# The root URLconf is one of the few modules that may import every app (see the import-linter
# contract in pyproject.toml). A namespace whose pages are split over two layers is composed here:
# the roster, the influencer page and the campaign list and page read partnerships, so
# partnerships serves them.
influencer_pages = influencer_urls.urlpatterns + partnership_influencer_urls.urlpatterns
campaign_pages = campaign_urls.urlpatterns + partnership_campaign_urls.urlpatterns

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tiers.css", tier_stylesheet, name="tier-stylesheet"),
    path("influencers/", include((influencer_pages, influencer_urls.app_name))),
    path("campaigns/", include((campaign_pages, campaign_urls.app_name))),
    path("partnerships/", include("partnerships.urls")),
    path("reports/", include("reports.urls")),
    path("history/", include("audit.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Influencer CRM administration"
admin.site.site_title = "Influencer CRM"
