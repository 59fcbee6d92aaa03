"""URLs of lantoa.programs: one module per area, joined here."""

from django.urls import path

from lantoa.programs.urls import documents, plans, registration, study
from lantoa.programs.views import hub

app_name = "programs"

urlpatterns = [
    path("programs/", hub.hub, name="hub"),
    *documents.urlpatterns,
    *plans.urlpatterns,
    *study.urlpatterns,
    *registration.urlpatterns,
]
