"""URLs for totals: by type, period and subtree, and their export."""

from django.urls import path

from lantoa.movements.views import totals

urlpatterns = [
    path("movements/totals/", totals.totals, name="totals"),
    path("movements/totals/export.xlsx", totals.totals_export, name="totals_export"),
]
