"""URLs for good people, good deeds."""

from django.urls import path

from lantoa.movements.views import deeds as views

urlpatterns = [
    path("good-deeds/", views.deed_list, name="deed_list"),
    path("good-deeds/new/", views.deed_create, name="deed_create"),
    path("good-deeds/export/", views.deed_export, name="deed_export"),
    path("good-deeds/export.csv", views.deed_export, {"fmt": "csv"}, name="deed_export_csv"),
    path("good-deeds/people/", views.deed_person_search, name="deed_person_search"),
    path("good-deeds/<int:pk>/", views.deed_detail, name="deed_detail"),
    path("good-deeds/<int:pk>/edit/", views.deed_edit, name="deed_edit"),
    path("good-deeds/<int:pk>/delete/", views.deed_delete, name="deed_delete"),
    path("good-deeds/<int:pk>/put-forward/", views.deed_put_forward, name="deed_put_forward"),
    path("good-deeds/<int:pk>/withdraw/", views.deed_withdraw, name="deed_withdraw"),
]
