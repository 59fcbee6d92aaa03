"""URLs for the activity ledger: activities, their photos, and putting them forward."""

from django.urls import path, re_path

from lantoa.movements.views import activities

urlpatterns = [
    path("activities/", activities.activity_list, name="activity_list"),
    path("activities/export.xlsx", activities.activity_export, name="activity_export"),
    path(
        "activities/export.csv",
        activities.activity_export,
        {"fmt": "csv"},
        name="activity_export_csv",
    ),
    path("activities/new/", activities.activity_create, name="activity_create"),
    path("activities/<int:pk>/", activities.activity_detail, name="activity_detail"),
    path("activities/<int:pk>/edit/", activities.activity_edit, name="activity_edit"),
    path("activities/<int:pk>/delete/", activities.activity_delete, name="activity_delete"),
    path("activities/<int:pk>/photos/", activities.activity_photo_add, name="activity_photo_add"),
    re_path(
        r"^activities/photos/(?P<pk>[0-9]+)/(?P<variant>full|thumb)/$",
        activities.activity_photo,
        name="activity_photo",
    ),
    path(
        "activities/photos/<int:pk>/delete/",
        activities.activity_photo_delete,
        name="activity_photo_delete",
    ),
    path(
        "activities/<int:pk>/put-forward/",
        activities.activity_put_forward,
        name="activity_put_forward",
    ),
    path("activities/<int:pk>/withdraw/", activities.activity_withdraw, name="activity_withdraw"),
]
