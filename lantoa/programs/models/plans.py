"""Plans of the committee and their pilot organizations (làm điểm).

The foundation keeps only what the demo needs to mark the pilots; documents, targets,
themes and registrations arrive with the direction issue.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.orgs.models import Organization

__all__ = ["Pilot", "Plan"]


class Plan(models.Model):
    issuer = models.ForeignKey(
        Organization, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="plans"
    )
    symbol = models.CharField(_("number and symbol"), max_length=50, blank=True)
    title = models.CharField(_("title"), max_length=500)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}".strip()

    def audit_organization_path(self) -> str:
        return self.issuer.path


class Pilot(models.Model):
    """An organization chosen to carry out a plan first (làm điểm)."""

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
