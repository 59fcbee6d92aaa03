"""URLs for nominations: the list and export, nominating, the workflow's steps, reviews and
evidence files."""

from django.urls import path

from lantoa.awards.views import nominations as views

urlpatterns = [
    path("awards/nominations/", views.nomination_list, name="nomination_list"),
    path("awards/nominations/export.xlsx", views.nomination_export, name="nomination_export"),
    path(
        "awards/nominations/export.csv",
        views.nomination_export,
        {"fmt": "csv"},
        name="nomination_export_csv",
    ),
    path("awards/nominations/people/", views.nominee_search, name="nominee_search"),
    path(
        "awards/rounds/<int:round_pk>/nominate/", views.nomination_create, name="nomination_create"
    ),
    path("awards/nominations/<int:pk>/", views.nomination_detail, name="nomination_detail"),
    path("awards/nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path(
        "awards/nominations/<int:pk>/do/<str:action>/",
        views.nomination_transition,
        name="nomination_transition",
    ),
    path("awards/nominations/<int:pk>/review/", views.nomination_review, name="nomination_review"),
    path(
        "awards/nominations/<int:pk>/evidence/new/",
        views.nomination_evidence_add,
        name="nomination_evidence_add",
    ),
    path(
        "awards/nominations/<int:pk>/evidence/<int:evidence_pk>/",
        views.nomination_evidence,
        name="nomination_evidence",
    ),
    path(
        "awards/nominations/<int:pk>/evidence/<int:evidence_pk>/delete/",
        views.nomination_evidence_delete,
        name="nomination_evidence_delete",
    ),
]
