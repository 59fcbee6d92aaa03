"""Catalogs kept as data (activity types and their units, beneficiary categories)."""

from django.contrib import admin

from lantoa.movements.models import ActivityType, BeneficiaryCategory


@admin.register(ActivityType)
class ActivityTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "unit", "max_quantity", "is_other", "position", "active")
    list_editable = ("position", "active")
    search_fields = ("code", "name")


@admin.register(BeneficiaryCategory)
class BeneficiaryCategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "position")
    list_editable = ("position",)
    search_fields = ("code", "name")
