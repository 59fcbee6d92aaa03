"""URLs for study: thematic topics, study sessions and attendance rates."""

from django.urls import path

from lantoa.programs.views import study

urlpatterns = [
    path("study/themes/", study.theme_list, name="theme_list"),
    path("study/themes/export.xlsx", study.theme_export, name="theme_export"),
    path("study/themes/export.csv", study.theme_export, {"fmt": "csv"}, name="theme_export_csv"),
    path("study/themes/new/", study.theme_create, name="theme_create"),
    path("study/themes/<int:pk>/edit/", study.theme_edit, name="theme_edit"),
    path("study/themes/<int:pk>/delete/", study.theme_delete, name="theme_delete"),
    path("study/sessions/", study.session_list, name="session_list"),
    path("study/sessions/export.xlsx", study.session_export, name="session_export"),
    path(
        "study/sessions/export.csv",
        study.session_export,
        {"fmt": "csv"},
        name="session_export_csv",
    ),
    path("study/sessions/new/", study.session_create, name="session_create"),
    path("study/sessions/<int:pk>/", study.session_detail, name="session_detail"),
    path("study/sessions/<int:pk>/delete/", study.session_delete, name="session_delete"),
    path("study/attendance/", study.attendance, name="attendance"),
    path("study/attendance/export.xlsx", study.attendance_export, name="attendance_export"),
    path(
        "study/attendance/export.csv",
        study.attendance_export,
        {"fmt": "csv"},
        name="attendance_export_csv",
    ),
]
