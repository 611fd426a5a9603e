from django.urls import path

from influencers import import_views, views

app_name = "influencers"

# The roster, its export and the influencer page read partnerships: partnerships/influencer_urls.py
# has them, and crm/urls.py mounts both lists under this namespace.
urlpatterns = [
    path("new/", views.InfluencerCreateView.as_view(), name="influencer-create"),
    # Roster import (influencers/import_views.py)
    path("import/", import_views.InfluencerImportView.as_view(), name="influencer-import"),
    path("import/template.csv", import_views.ImportTemplateView.as_view(), name="import-template"),
    path(
        "import/preview/",
        import_views.InfluencerImportPreviewView.as_view(),
        name="import-preview",
    ),
    path(
        "import/confirm/",
        import_views.InfluencerImportConfirmView.as_view(),
        name="import-confirm",
    ),
    path(
        "import/errors.csv",
        import_views.InfluencerImportErrorsView.as_view(),
        name="import-errors",
    ),
    path("<int:pk>/edit/", views.InfluencerUpdateView.as_view(), name="influencer-update"),
    path("<int:pk>/delete/", views.InfluencerDeleteView.as_view(), name="influencer-delete"),
    path("<int:pk>/archive/", views.influencer_archive_view, name="influencer-archive"),
]
