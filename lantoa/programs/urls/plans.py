"""URLs for plans: targets, pilots, follow-up notes and evaluations."""

from django.urls import path

from lantoa.programs.views import plans

urlpatterns = [
    path("plans/", plans.plan_list, name="plan_list"),
    path("plans/export.xlsx", plans.plan_export, name="plan_export"),
    path("plans/export.csv", plans.plan_export, {"fmt": "csv"}, name="plan_export_csv"),
    path("plans/new/", plans.plan_create, name="plan_create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan_detail"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/targets/new/", plans.target_create, name="target_create"),
    path("plans/<int:pk>/pilots/new/", plans.pilot_create, name="pilot_create"),
    path("plans/targets/<int:pk>/edit/", plans.target_edit, name="target_edit"),
    path("plans/targets/<int:pk>/delete/", plans.target_delete, name="target_delete"),
    path("plans/pilots/<int:pk>/start/", plans.pilot_start, name="pilot_start"),
    path("plans/pilots/<int:pk>/remove/", plans.pilot_remove, name="pilot_remove"),
    path("plans/pilots/<int:pk>/notes/new/", plans.pilot_note_create, name="pilot_note_create"),
    path("plans/pilots/<int:pk>/evaluate/", plans.pilot_evaluate, name="pilot_evaluate"),
]
