"""URLs for the entry page and rounds of commendation: quotas, council, detail."""

from django.urls import path

from lantoa.awards.views import hub
from lantoa.awards.views import rounds as views

urlpatterns = [
    path("awards/", hub.hub, name="hub"),
    path("awards/rounds/", views.round_list, name="round_list"),
    path("awards/rounds/export.xlsx", views.round_export, name="round_export"),
    path("awards/rounds/export.csv", views.round_export, {"fmt": "csv"}, name="round_export_csv"),
    path("awards/rounds/new/", views.round_create, name="round_create"),
    path("awards/rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("awards/rounds/<int:pk>/edit/", views.round_edit, name="round_edit"),
    path("awards/rounds/<int:pk>/quotas/new/", views.round_quota_add, name="round_quota_add"),
    path("awards/rounds/quotas/<int:pk>/edit/", views.round_quota_edit, name="round_quota_edit"),
    path(
        "awards/rounds/quotas/<int:pk>/delete/",
        views.round_quota_delete,
        name="round_quota_delete",
    ),
    path("awards/rounds/<int:pk>/council/new/", views.round_council_add, name="round_council_add"),
    path(
        "awards/rounds/council/<int:pk>/delete/",
        views.round_council_delete,
        name="round_council_delete",
    ),
]
