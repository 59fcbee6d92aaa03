from django.urls import path

from lantoa.orgs.views import audit, organizations, people

app_name = "orgs"

urlpatterns = [
    path("orgs/", organizations.tree, name="tree"),
    path("orgs/export.xlsx", organizations.export, name="export"),
    path("orgs/export.csv", organizations.export, {"fmt": "csv"}, name="export_csv"),
    path("orgs/new/", organizations.create, name="create"),
    path("orgs/scope/", organizations.choose_scope, name="choose_scope"),
    path("orgs/<int:pk>/", organizations.detail, name="detail"),
    path("orgs/<int:pk>/children/", organizations.children, name="children"),
    path("orgs/<int:pk>/edit/", organizations.edit, name="edit"),
    path("orgs/<int:pk>/move/", organizations.move, name="move"),
    path("orgs/<int:pk>/merge/", organizations.merge, name="merge"),
    path("orgs/<int:pk>/archive/", organizations.archive, name="archive"),
    path("orgs/<int:pk>/delete/", organizations.delete, name="delete"),
    path("people/", people.person_list, name="person_list"),
    path("people/export.xlsx", people.person_export, name="person_export"),
    path("people/export.csv", people.person_export, {"fmt": "csv"}, name="person_export_csv"),
    path("people/new/", people.person_create, name="person_create"),
    path("people/<int:pk>/", people.person_detail, name="person_detail"),
    path("people/<int:pk>/private/", people.person_private, name="person_private"),
    path("people/<int:pk>/edit/", people.person_edit, name="person_edit"),
    path("people/<int:pk>/transfer/", people.person_transfer, name="person_transfer"),
    path("people/<int:pk>/archive/", people.person_archive, name="person_archive"),
    path("people/<int:pk>/delete/", people.person_delete, name="person_delete"),
    path("audit/", audit.audit_list, name="audit_list"),
    path("audit/export.xlsx", audit.audit_export, name="audit_export"),
    path("audit/export.csv", audit.audit_export, {"fmt": "csv"}, name="audit_export_csv"),
]
