"""URLs for documents."""

from django.urls import path

from lantoa.programs.views import documents

urlpatterns = [
    path("documents/", documents.document_list, name="document_list"),
    path("documents/export/", documents.document_export, name="document_export"),
    path(
        "documents/export.csv",
        documents.document_export,
        {"fmt": "csv"},
        name="document_export_csv",
    ),
    path("documents/new/", documents.document_create, name="document_create"),
    path("documents/new/ours/", documents.document_create_own, name="document_create_own"),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/edit/", documents.document_edit, name="document_edit"),
    path("documents/<int:pk>/file/", documents.document_file, name="document_file"),
]
