"""Results: the dashboard of figures for a subtree and a period, its XLSX downloads, and
the generated summary reports (lantoa/reports/report_urls.py)."""

from django.urls import include, path

from lantoa.reports import views

app_name = "reports"

urlpatterns = [
    path("results/", views.dashboard, name="dashboard"),
    path("results/export.xlsx", views.dashboard_export, name="dashboard_export"),
    path("", include("lantoa.reports.report_urls")),
]
