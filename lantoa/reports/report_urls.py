"""URLs of the generated summary reports; lantoa/reports/urls.py includes them (app_name
"reports")."""

from django.urls import path

from lantoa.reports import report_views

urlpatterns = [
    path("reports/summaries/new/", report_views.report_new, name="report_new"),
    path("reports/summaries/<int:pk>/", report_views.report_job, name="report_job"),
    path(
        "reports/summaries/<int:pk>/progress/",
        report_views.report_job_progress,
        name="report_job_progress",
    ),
    path("reports/summaries/<int:pk>/file/", report_views.report_file, name="report_file"),
]
