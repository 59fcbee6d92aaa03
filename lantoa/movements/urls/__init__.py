"""URLs of lantoa.movements: one module per area, joined here."""

from django.urls import path

from lantoa.movements.urls import activities, deeds, initiatives, movements, totals
from lantoa.movements.views import hub

app_name = "movements"

urlpatterns = [
    path("movements/hub/", hub.hub, name="hub"),
    *movements.urlpatterns,
    *activities.urlpatterns,
    *totals.urlpatterns,
    *initiatives.urlpatterns,
    *deeds.urlpatterns,
]
