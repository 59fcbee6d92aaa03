"""What units and members register to follow: unit models (mô hình, cách làm) and the
personal commitments of members (bản đăng ký làm theo), with the cells' deadlines."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.core.text import nfc, search_key
from lantoa.orgs.models import Organization, OrganizationKind, Person

__all__ = [
    "BASE_KINDS",
    "CELL_KINDS",
    "Commitment",
    "CommitmentDeadline",
    "CommitmentItem",
    "CommitmentResult",
    "CommitmentStatus",
    "EvaluationResult",
    "UnitModel",
    "UnitModelStatus",
]

# Base party organizations (tổ chức cơ sở đảng): the units that register models.
BASE_KINDS = (OrganizationKind.BASE_COMMITTEE, OrganizationKind.BASE_CELL)
# Cells (chi bộ): the organizations whose members register commitments and set deadlines.
CELL_KINDS = (OrganizationKind.CELL, OrganizationKind.BASE_CELL)

YEAR_MIN, YEAR_MAX = 1990, 2100


class UnitModelStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    IN_PROGRESS = "in_progress", _("Being carried out")
    EVALUATED = "evaluated", _("Evaluated")


class EvaluationResult(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    FAIR = "fair", _("Fair")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class UnitModelQuerySet(models.QuerySet):
    def covering(self, year: int) -> "UnitModelQuerySet":
        """Models carried out in the year: begun by then and not ended before it."""
        return self.filter(year_from__lte=year).filter(
            models.Q(year_to__isnull=True) | models.Q(year_to__gte=year)
        )


class UnitModel(models.Model):
    """A model or way of doing (mô hình, cách làm) a unit registers to carry out."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="unit_models",
    )
    year_from = models.PositiveSmallIntegerField(_("from year"))
    year_to = models.PositiveSmallIntegerField(
        _("until year"), null=True, blank=True, help_text=_("Leave empty while it goes on.")
    )
    title = models.CharField(_("title"), max_length=500)
    content = models.TextField(_("content"), blank=True)
    responsible = models.ForeignKey(
        Person,
        verbose_name=_("person responsible"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responsible_for_models",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=UnitModelStatus.choices,
        default=UnitModelStatus.REGISTERED,
    )
    result = models.CharField(
        _("evaluation result"), max_length=20, choices=EvaluationResult.choices, blank=True
    )
    comments = models.TextField(_("evaluation comments"), blank=True)
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_key = models.CharField(max_length=500, editable=False, default="", db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = UnitModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit model")
        verbose_name_plural = _("unit models")
        ordering = ["-year_from", "id"]
        indexes = [
            models.Index(fields=["organization", "year_from"], name="unitmodel_org_year"),
            models.Index(fields=["year_from", "id"], name="unitmodel_year_id"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(year_to__isnull=True)
                | models.Q(year_to__gte=models.F("year_from")),
                name="unitmodel_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title = nfc(self.title)
        self.search_key = search_key(self.title)[:500]
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def audit_organization_path(self) -> str:
        return self.organization.path

    def covers(self, year: int) -> bool:
        return self.year_from <= year and (self.year_to is None or year <= self.year_to)


class CommitmentStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    SELF_ASSESSED = "self_assessed", _("Self-assessed")
    ASSESSED = "assessed", _("Assessed by the cell")


class CommitmentResult(models.TextChoices):
    EXCELLENT = "excellent", _("Carried out excellently")
    GOOD = "good", _("Carried out well")
    DONE = "done", _("Carried out")
    NOT_DONE = "not_done", _("Not carried out")


class Commitment(models.Model):
    """A member's commitment for a year (bản đăng ký làm theo): the items they will follow,
    their own assessment at year end and the cell's assessment."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="commitments"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization when registered"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.REGISTERED,
    )
    submitted_at = models.DateTimeField(_("registered at"))
    self_assessment = models.TextField(_("self-assessment"), blank=True)
    self_result = models.CharField(
        _("self-assessed result"), max_length=20, choices=CommitmentResult.choices, blank=True
    )
    self_assessed_at = models.DateTimeField(_("self-assessed at"), null=True, blank=True)
    cell_assessment = models.TextField(_("the cell's assessment"), blank=True)
    cell_result = models.CharField(
        _("the cell's result"), max_length=20, choices=CommitmentResult.choices, blank=True
    )
    cell_assessed_at = models.DateTimeField(_("assessed by the cell at"), null=True, blank=True)
    cell_assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assessed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("personal commitment")
        verbose_name_plural = _("personal commitments")
        ordering = ["-year", "id"]
        indexes = [models.Index(fields=["organization", "year"], name="commitment_org_year")]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], name="commitment_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.year}"

    def audit_organization_path(self) -> str:
        return self.organization.path


class CommitmentItem(models.Model):
    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="items"
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("item"))

    class Meta:
        verbose_name = _("commitment item")
        verbose_name_plural = _("commitment items")
        ordering = ["commitment", "order"]
        constraints = [
            models.UniqueConstraint(fields=["commitment", "order"], name="commitmentitem_order"),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def audit_organization_path(self) -> str:
        return self.commitment.audit_organization_path()


class CommitmentDeadline(models.Model):
    """The last day members may register or change their commitment for a year.

    Set by a cell, or on an organization above it: a cell without its own deadline
    takes the one of its nearest ancestor that has one.
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="commitment_deadlines",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    deadline = models.DateField(_("registration deadline"))
    assessment_deadline = models.DateField(
        _("self-assessment deadline"),
        null=True,
        blank=True,
        help_text=_("Last day members may write their self-assessment (empty: no limit)."),
    )

    class Meta:
        verbose_name = _("commitment deadline")
        verbose_name_plural = _("commitment deadlines")
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="deadline_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.year}: {self.deadline:%d/%m/%Y}"

    def audit_organization_path(self) -> str:
        return self.organization.path
