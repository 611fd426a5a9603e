from django.urls import path

from partnerships import views

app_name = "partnerships"

urlpatterns = [
    path("", views.PartnershipListView.as_view(), name="partnership-list"),
    path("new/", views.PartnershipCreateView.as_view(), name="partnership-create"),
    path("board/", views.PartnershipBoardView.as_view(), name="partnership-board"),
    path("renewals/", views.RenewalListView.as_view(), name="renewal-list"),
    path("deliverables/", views.DeliverableListView.as_view(), name="deliverable-list"),
    path(
        "deliverables/<int:pk>/edit/",
        views.DeliverableUpdateView.as_view(),
        name="deliverable-update",
    ),
    path("influencer-search/", views.influencer_search_view, name="influencer-search"),
    path("<int:pk>/", views.PartnershipDetailView.as_view(), name="partnership-detail"),
    path("<int:pk>/edit/", views.PartnershipUpdateView.as_view(), name="partnership-update"),
    path("<int:pk>/move/", views.partnership_move_view, name="partnership-move"),
    path("<int:pk>/renew/", views.partnership_renew_view, name="partnership-renew"),
    path(
        "<int:pk>/undo-renewal/",
        views.partnership_renewal_undo_view,
        name="partnership-renewal-undo",
    ),
    path(
        "<int:pk>/deliverables/new/",
        views.DeliverableCreateView.as_view(),
        name="deliverable-create",
    ),
]
