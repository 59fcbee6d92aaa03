"""Plans of the committee: targets (chỉ tiêu) and pilot organizations (làm điểm).

A target's progress is never typed in: `lantoa.programs.queries.plans` computes it from
the records (study sessions, attendance, registrations) for the plan's scope, which is the
issuing organization's subtree.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.core.text import nfc, search_key
from lantoa.orgs.models import Organization

__all__ = ["Pilot", "PilotNote", "PilotStatus", "Plan", "Target", "TargetKind"]


class Plan(models.Model):
    issuer = models.ForeignKey(
        Organization, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="plans"
    )
    symbol = models.CharField(_("number and symbol"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=500)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    search_key = models.CharField(max_length=600, editable=False, default="")

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        indexes = [models.Index(fields=["issuer", "issued_on"], name="plan_issuer_date")]

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}".strip()

    def save(self, *args, **kwargs) -> None:
        self.symbol = nfc(self.symbol)
        self.title = nfc(self.title)
        self.search_key = search_key(f"{self.symbol} {self.title}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def audit_organization_path(self) -> str:
        return self.issuer.path


class TargetKind(models.TextChoices):
    """Measurable indicators: each names a function that computes its progress."""

    STUDY_COVERAGE = "study_coverage", _("Base organizations that held a study session")
    ATTENDANCE_COVERAGE = (
        "attendance_coverage",
        _("Members who attended at least one study session"),
    )
    MODEL_COVERAGE = "model_coverage", _("Base organizations that registered a unit model")
    COMMITMENT_COVERAGE = "commitment_coverage", _("Members with a personal commitment")


class Target(models.Model):
    """A target of a plan (chỉ tiêu): a share of the scope to reach in a year."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="targets"
    )
    kind = models.CharField(_("indicator"), max_length=32, choices=TargetKind.choices)
    label = models.CharField(_("wording"), max_length=500)
    target_percent = models.PositiveSmallIntegerField(
        _("target (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    year = models.PositiveSmallIntegerField(_("year"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["year", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "kind", "year"], name="target_unique_kind"),
            models.CheckConstraint(
                condition=models.Q(target_percent__gte=1, target_percent__lte=100),
                name="target_percent_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    def audit_organization_path(self) -> str:
        return self.plan.issuer.path


class PilotStatus(models.TextChoices):
    CHOSEN = "chosen", _("Chosen")
    IN_PROGRESS = "in_progress", _("Being carried out")
    EVALUATED = "evaluated", _("Evaluated")


class Pilot(models.Model):
    """An organization chosen to carry out a plan first (làm điểm), then evaluated."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="pilots"
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="pilots",
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=PilotStatus.choices, default=PilotStatus.CHOSEN
    )
    evaluation = models.TextField(_("evaluation"), blank=True, default="")
    lesson = models.TextField(_("lesson for the rollout"), blank=True, default="")
    evaluated_on = models.DateField(_("date of the evaluation"), null=True, blank=True)

    class Meta:
        verbose_name = _("pilot organization")
        verbose_name_plural = _("pilot organizations")
        constraints = [
            models.UniqueConstraint(fields=["plan", "organization"], name="pilot_unique")
        ]

    def __str__(self) -> str:
        return str(self.organization)

    def audit_organization_path(self) -> str:
        return self.organization.path


class PilotNote(models.Model):
    """A follow-up note on a pilot: what was done, seen or decided on a day."""

    pilot = models.ForeignKey(
        Pilot, verbose_name=_("pilot organization"), on_delete=models.CASCADE, related_name="notes"
    )
    date = models.DateField(_("date"))
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow-up note")
        verbose_name_plural = _("follow-up notes")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.pilot} — {self.date:%d/%m/%Y}"

    def audit_organization_path(self) -> str:
        return self.pilot.organization.path
