"""URLs for initiatives and applied projects."""

from django.urls import path

from lantoa.movements.views import initiatives as views

urlpatterns = [
    path("initiatives/", views.initiative_list, name="initiative_list"),
    path("initiatives/new/", views.initiative_create, name="initiative_create"),
    path("initiatives/export/", views.initiative_export, name="initiative_export"),
    path(
        "initiatives/export.csv",
        views.initiative_export,
        {"fmt": "csv"},
        name="initiative_export_csv",
    ),
    path("initiatives/authors/", views.initiative_author_search, name="initiative_author_search"),
    path("initiatives/<int:pk>/", views.initiative_detail, name="initiative_detail"),
    path("initiatives/<int:pk>/edit/", views.initiative_edit, name="initiative_edit"),
    path("initiatives/<int:pk>/delete/", views.initiative_delete, name="initiative_delete"),
    path(
        "initiatives/<int:pk>/attachments/new/",
        views.initiative_attachment_add,
        name="initiative_attachment_add",
    ),
    path(
        "initiatives/<int:pk>/attachments/<int:attachment_pk>/",
        views.initiative_attachment,
        name="initiative_attachment",
    ),
    path(
        "initiatives/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.initiative_attachment_delete,
        name="initiative_attachment_delete",
    ),
    path(
        "initiatives/<int:pk>/put-forward/",
        views.initiative_put_forward,
        name="initiative_put_forward",
    ),
    path("initiatives/<int:pk>/withdraw/", views.initiative_withdraw, name="initiative_withdraw"),
]
