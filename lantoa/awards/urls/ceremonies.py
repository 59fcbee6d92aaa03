"""URLs for ceremonies, and the committee's page (its rounds, decisions and ceremonies)."""

from django.urls import path

from lantoa.awards.views import ceremonies as views
from lantoa.awards.views import committee

urlpatterns = [
    path("awards/ceremonies/", views.ceremony_list, name="ceremony_list"),
    path("awards/ceremonies/export.xlsx", views.ceremony_export, name="ceremony_export"),
    path(
        "awards/ceremonies/export.csv",
        views.ceremony_export,
        {"fmt": "csv"},
        name="ceremony_export_csv",
    ),
    path("awards/ceremonies/new/", views.ceremony_create, name="ceremony_create"),
    path("awards/ceremonies/<int:pk>/", views.ceremony_detail, name="ceremony_detail"),
    path("awards/ceremonies/<int:pk>/edit/", views.ceremony_edit, name="ceremony_edit"),
    path("awards/ceremonies/<int:pk>/hold/", views.ceremony_hold, name="ceremony_hold"),
    path("awards/ceremonies/<int:pk>/print/", views.ceremony_print, name="ceremony_print"),
    path("awards/ceremonies/<int:pk>/day.docx", views.ceremony_docx_view, name="ceremony_docx"),
    path("awards/committee/", committee.committee, name="committee"),
    path("awards/committee/<int:org_pk>/", committee.committee, name="committee"),
]
