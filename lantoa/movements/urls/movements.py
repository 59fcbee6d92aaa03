"""URLs for emulation movements and their targets."""

from django.urls import path

from lantoa.movements.views import movements

urlpatterns = [
    path("movements/", movements.movement_list, name="movement_list"),
    path("movements/export.xlsx", movements.movement_list_export, name="movement_list_export"),
    path(
        "movements/export.csv",
        movements.movement_list_export,
        {"fmt": "csv"},
        name="movement_list_export_csv",
    ),
    path("movements/new/", movements.movement_create, name="movement_create"),
    path("movements/<int:pk>/", movements.movement_detail, name="movement_detail"),
    path("movements/<int:pk>/edit/", movements.movement_edit, name="movement_edit"),
    path("movements/<int:pk>/delete/", movements.movement_delete, name="movement_delete"),
    path("movements/<int:pk>/export.xlsx", movements.movement_export, name="movement_export"),
    path(
        "movements/<int:pk>/export.csv",
        movements.movement_export,
        {"fmt": "csv"},
        name="movement_export_csv",
    ),
    path(
        "movements/<int:pk>/targets/new/",
        movements.movement_target_add,
        name="movement_target_add",
    ),
    path(
        "movements/targets/<int:pk>/edit/",
        movements.movement_target_edit,
        name="movement_target_edit",
    ),
    path(
        "movements/targets/<int:pk>/delete/",
        movements.movement_target_delete,
        name="movement_target_delete",
    ),
]
