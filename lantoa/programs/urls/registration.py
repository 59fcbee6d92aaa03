"""URLs for unit models, personal commitments, coverage and the year-end rating."""

from django.urls import path

from lantoa.programs.views import rating, registration

urlpatterns = [
    # unit models (mô hình, cách làm)
    path("unit-models/", registration.unit_model_list, name="unit_model_list"),
    path("unit-models/export.xlsx", registration.unit_model_export, name="unit_model_export"),
    path(
        "unit-models/export.csv",
        registration.unit_model_export,
        {"fmt": "csv"},
        name="unit_model_export_csv",
    ),
    path("unit-models/new/", registration.unit_model_create, name="unit_model_create"),
    path("unit-models/<int:pk>/", registration.unit_model_detail, name="unit_model_detail"),
    path("unit-models/<int:pk>/edit/", registration.unit_model_edit, name="unit_model_edit"),
    path("unit-models/<int:pk>/start/", registration.unit_model_start, name="unit_model_start"),
    path(
        "unit-models/<int:pk>/evaluate/",
        registration.unit_model_evaluate,
        name="unit_model_evaluate",
    ),
    # personal commitments (bản đăng ký làm theo)
    path("commitments/mine/", registration.my_commitment, name="my_commitment"),
    path(
        "commitments/mine/self-assessment/",
        registration.my_self_assessment,
        name="my_self_assessment",
    ),
    path("commitments/<int:pk>/", registration.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/assess/", registration.commitment_assess, name="commitment_assess"),
    path("commitments/org/<int:pk>/", registration.commitment_org, name="commitment_org"),
    path(
        "commitments/org/<int:pk>/export.xlsx",
        registration.commitment_org_export,
        name="commitment_org_export",
    ),
    path(
        "commitments/org/<int:pk>/export.csv",
        registration.commitment_org_export,
        {"fmt": "csv"},
        name="commitment_org_export_csv",
    ),
    path(
        "commitments/org/<int:pk>/deadline/",
        registration.commitment_deadline,
        name="commitment_deadline",
    ),
    # coverage of commitments and models over a subtree
    path("coverage/", registration.coverage_home, name="coverage_home"),
    path("coverage/<int:pk>/", registration.coverage, name="coverage"),
    path("coverage/<int:pk>/export.xlsx", registration.coverage_export, name="coverage_export"),
    path(
        "coverage/<int:pk>/export.csv",
        registration.coverage_export,
        {"fmt": "csv"},
        name="coverage_export_csv",
    ),
    # year-end quality rating (xếp loại chất lượng)
    path("ratings/", rating.rating_list_index, name="rating_lists"),
    path("ratings/export.xlsx", rating.rating_list_index_export, name="rating_lists_export"),
    path(
        "ratings/export.csv",
        rating.rating_list_index_export,
        {"fmt": "csv"},
        name="rating_lists_export_csv",
    ),
    path("ratings/new/", rating.rating_list_create, name="rating_list_create"),
    path("ratings/<int:pk>/", rating.rating_list_detail, name="rating_list_detail"),
    path("ratings/<int:pk>/edit/", rating.rating_list_edit, name="rating_list_edit"),
    path("ratings/<int:pk>/confirm/", rating.rating_list_confirm, name="rating_list_confirm"),
    path("ratings/<int:pk>/export.xlsx", rating.rating_list_export, name="rating_list_export"),
    path(
        "ratings/<int:pk>/export.csv",
        rating.rating_list_export,
        {"fmt": "csv"},
        name="rating_list_export_csv",
    ),
    path("ratings/caps/", rating.cap_setting_list, name="cap_settings"),
    path("ratings/caps/export.xlsx", rating.cap_setting_export, name="cap_settings_export"),
    path(
        "ratings/caps/export.csv",
        rating.cap_setting_export,
        {"fmt": "csv"},
        name="cap_settings_export_csv",
    ),
    path("ratings/caps/new/", rating.cap_setting_create, name="cap_setting_create"),
    path("ratings/caps/<int:pk>/edit/", rating.cap_setting_edit, name="cap_setting_edit"),
]
