"""Catalogs kept as data (forms and titles, eligibility and vote rules) and discipline on
record are edited by administrators here; decisions and awards are shown read-only (an
issued decision is frozen: a correction is another decision)."""

from django.contrib import admin
from django.http import HttpRequest

from lantoa.awards.models import Award, AwardForm, Decision, Discipline, EligibilityRule, VoteRule


class EligibilityRuleInline(admin.TabularInline):
    model = EligibilityRule
    extra = 0
    fields = (
        "position",
        "applies_to",
        "criterion",
        "params",
        "group",
        "description",
        "source",
        "valid_from",
        "valid_to",
    )


@admin.register(AwardForm)
class AwardFormAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "code",
        "kind",
        "for_people",
        "for_collectives",
        "rank",
        "valid_from",
        "valid_to",
    )
    list_filter = ("kind", "for_people", "for_collectives")
    search_fields = ("code", "name")
    inlines = [EligibilityRuleInline]


@admin.register(EligibilityRule)
class EligibilityRuleAdmin(admin.ModelAdmin):
    list_display = (
        "description",
        "award_form",
        "applies_to",
        "criterion",
        "group",
        "valid_from",
        "valid_to",
        "source",
    )
    list_filter = ("award_form", "applies_to", "criterion", "valid_from", "valid_to")
    list_select_related = ("award_form",)
    search_fields = ("description", "source", "award_form__name")
    ordering = ("award_form__rank", "applies_to", "position", "valid_from")


@admin.register(VoteRule)
class VoteRuleAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "quorum_percent",
        "approval_percent",
        "strictly_more",
        "base",
        "valid_from",
        "valid_to",
    )


@admin.register(Discipline)
class DisciplineAdmin(admin.ModelAdmin):
    list_display = ("person", "measure", "decided_on", "in_force_until")
    list_select_related = ("person",)
    raw_id_fields = ("person",)
    search_fields = ("person__search_key", "measure")
    date_hierarchy = "decided_on"


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never written here: decisions are made and issued through their pages."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("symbol", "date", "subject", "organization", "kind", "status")
    list_filter = ("kind", "status")
    list_select_related = ("organization",)
    search_fields = ("symbol", "subject")


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "decision", "verification_code", "revoked_by")
    list_select_related = ("form", "person", "collective", "decision", "revoked_by")
    search_fields = ("verification_code", "decision__symbol")
