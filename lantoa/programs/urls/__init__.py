"""URLs of lantoa.programs: one module per area, joined here."""

from lantoa.programs.urls import documents, plans, registration, study

app_name = "programs"

urlpatterns = [
    *documents.urlpatterns,
    *plans.urlpatterns,
    *study.urlpatterns,
    *registration.urlpatterns,
]
