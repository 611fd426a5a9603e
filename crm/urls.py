from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from influencers.views import tier_stylesheet
from reports.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("tiers.css", tier_stylesheet, name="tier-stylesheet"),
    path("influencers/", include("influencers.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("partnerships/", include("partnerships.urls")),
    path("reports/", include("reports.urls")),
    path("history/", include("audit.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Influencer CRM administration"
admin.site.site_title = "Influencer CRM"
