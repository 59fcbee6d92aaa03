"""Emulation movements (phong trào thi đua): launched by an organization for a period, with
targets, and sent down to its whole subtree. Progress is computed from the activities."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.core.text import nfc, search_key
from lantoa.movements.models.catalog import ActivityType
from lantoa.orgs.models import Organization

__all__ = ["Movement", "MovementKind", "MovementTarget"]


class MovementKind(models.TextChoices):
    REGULAR = "regular", _("Regular")
    THEMATIC = "thematic", _("By topic")


class Movement(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("launched by"),
        on_delete=models.PROTECT,
        related_name="movements",
    )
    title = models.CharField(pgettext_lazy("record", "title"), max_length=500)
    kind = models.CharField(
        pgettext_lazy("record", "kind"),
        max_length=20,
        choices=MovementKind.choices,
        default=MovementKind.REGULAR,
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    description = models.TextField(_("content"), blank=True, default="")
    document = models.ForeignKey(
        "programs.Document",
        verbose_name=_("launching document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="movements",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_key = models.CharField(max_length=600, editable=False, default="")

    class Meta:
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        ordering = ["-start_date", "id"]
        indexes = [models.Index(fields=["organization", "start_date"], name="movement_org_start")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="movement_period_order",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title = nfc(self.title)
        self.description = nfc(self.description)
        self.search_key = search_key(self.title)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def audit_organization_path(self) -> str:
        return self.organization.path


class MovementTarget(models.Model):
    """What a movement asks for one type of activity: a quantity for the whole subtree,
    and optionally a quantity each base organization is asked to reach."""

    movement = models.ForeignKey(
        Movement, verbose_name=_("movement"), on_delete=models.CASCADE, related_name="targets"
    )
    activity_type = models.ForeignKey(
        ActivityType, verbose_name=_("activity type"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.PositiveIntegerField(_("quantity for the whole subtree"))
    per_base_organization = models.PositiveIntegerField(
        _("quantity for each base organization"), null=True, blank=True
    )
    note = models.CharField(_("note"), max_length=500, blank=True, default="")

    class Meta:
        verbose_name = _("movement target")
        verbose_name_plural = _("movement targets")
        ordering = ["activity_type__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["movement", "activity_type"], name="movement_target_unique_type"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_type}: {self.quantity}"

    def audit_organization_path(self) -> str:
        return self.movement.organization.path
