"""Catalogs kept as data are edited by administrators here."""

from django.contrib import admin

from lantoa.programs.models import DocumentType, Issuer, RatingRule, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "issuer", "start_date", "end_date")
    list_filter = ("issuer",)


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "system", "valid_from", "valid_to")
    list_filter = ("system",)
    search_fields = ("code", "name")


@admin.register(Issuer)
class IssuerAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "system", "organization")
    list_filter = ("system",)
    search_fields = ("code", "name")
    raw_id_fields = ("organization",)


@admin.register(RatingRule)
class RatingRuleAdmin(admin.ModelAdmin):
    list_display = ("name", "valid_from", "valid_to", "excellent_min", "good_min", "pass_min")
