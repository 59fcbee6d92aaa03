"""URLs for decisions: the list, the draft from a round's selected list, its page, editing,
issuing and deleting a draft, the DOCX, and the correcting and revoking decisions."""

from django.urls import path

from lantoa.awards.views import decisions as views

urlpatterns = [
    path("awards/decisions/", views.decision_list, name="decision_list"),
    path("awards/decisions/export.xlsx", views.decision_export, name="decision_export"),
    path(
        "awards/decisions/export.csv",
        views.decision_export,
        {"fmt": "csv"},
        name="decision_export_csv",
    ),
    path("awards/rounds/<int:round_pk>/decide/", views.decision_create, name="decision_create"),
    path("awards/decisions/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("awards/decisions/<int:pk>/edit/", views.decision_edit, name="decision_edit"),
    path("awards/decisions/<int:pk>/issue/", views.decision_issue, name="decision_issue"),
    path("awards/decisions/<int:pk>/delete/", views.decision_delete, name="decision_delete"),
    path("awards/decisions/<int:pk>/decision.docx", views.decision_docx_view, name="decision_docx"),
    path("awards/decisions/<int:pk>/correct/", views.decision_correct, name="decision_correct"),
    path("awards/decisions/<int:pk>/revoke/", views.decision_revoke, name="decision_revoke"),
]
