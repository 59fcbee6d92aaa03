"""URLs of the spreadsheet imports (app_name "imports"), under /work/imports/."""

from django.urls import path

from lantoa.imports import views

app_name = "imports"

urlpatterns = [
    path("work/imports/", views.job_list, name="job_list"),
    path("work/imports/new/", views.job_new, name="job_new"),
    path("work/imports/templates/<slug:kind>.xlsx", views.template_download, name="template"),
    path("work/imports/<int:pk>/", views.job_detail, name="job"),
    path("work/imports/<int:pk>/sheet/", views.job_sheet, name="job_sheet"),
    path("work/imports/<int:pk>/mapping/", views.job_mapping, name="job_mapping"),
    path("work/imports/<int:pk>/start/", views.job_start, name="job_start"),
    path("work/imports/<int:pk>/progress/", views.job_progress, name="job_progress"),
    path("work/imports/<int:pk>/rejected.xlsx", views.job_rejected, name="job_rejected"),
]
