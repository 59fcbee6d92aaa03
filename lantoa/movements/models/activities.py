"""The activity ledger: what an organization did, with its figures and photos.

An activity counts once, under its organization (the one that held it); partner
organizations are shown but do not count it again, so a subtree's totals are the sum of
its parts. Money is in whole đồng.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.core.text import nfc, search_key
from lantoa.movements.models.catalog import ActivityType, BeneficiaryCategory
from lantoa.movements.models.movements import Movement
from lantoa.movements.models.proposals import PutForward
from lantoa.orgs.models import Organization

__all__ = ["Activity", "ActivityPhoto", "photo_upload_to", "thumbnail_upload_to"]


class Activity(PutForward):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    partners = models.ManyToManyField(
        Organization, verbose_name=_("partner organizations"), blank=True, related_name="+"
    )
    activity_type = models.ForeignKey(
        ActivityType,
        verbose_name=_("activity type"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    movement = models.ForeignKey(
        Movement,
        verbose_name=_("movement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField(pgettext_lazy("record", "title"), max_length=500)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300, blank=True, default="")
    description = models.TextField(_("description"), blank=True, default="")
    participants = models.PositiveIntegerField(_("participants"), default=0)
    beneficiary_category = models.ForeignKey(
        BeneficiaryCategory,
        verbose_name=_("beneficiaries' category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    beneficiaries = models.PositiveIntegerField(_("beneficiaries"), default=0)
    quantity = models.PositiveIntegerField(_("quantity"), default=0)
    money = models.BigIntegerField(_("value (đồng)"), default=0)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    search_key = models.CharField(max_length=900, editable=False, default="")

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["organization", "date"], name="activity_org_date"),
            models.Index(fields=["activity_type", "date"], name="activity_type_date"),
            models.Index(fields=["movement", "date"], name="activity_movement_date"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(money__gte=0), name="activity_money_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title = nfc(self.title)
        self.place = nfc(self.place)
        self.description = nfc(self.description)
        self.search_key = search_key(f"{self.title} {self.place}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def audit_organization_path(self) -> str:
        return self.organization.path


def photo_upload_to(instance: "ActivityPhoto", filename: str) -> str:
    """A random name: the name the user gave is kept apart and never used on disk."""
    return f"activities/{timezone.localdate().year}/{uuid.uuid4().hex}.{instance.extension}"


def thumbnail_upload_to(instance: "ActivityPhoto", filename: str) -> str:
    return f"activities/{timezone.localdate().year}/{uuid.uuid4().hex}-thumb.jpg"


class ActivityPhoto(models.Model):
    """A photo of an activity, re-encoded without its metadata (place, camera), with a
    thumbnail. Served only through a view that checks who asks."""

    class Format(models.TextChoices):
        JPEG = "jpeg", "JPEG"
        PNG = "png", "PNG"

    activity = models.ForeignKey(
        Activity, verbose_name=_("activity"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=photo_upload_to, max_length=200)
    thumbnail = models.FileField(_("thumbnail"), upload_to=thumbnail_upload_to, max_length=200)
    format = models.CharField(_("format"), max_length=10, choices=Format.choices)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    size = models.PositiveIntegerField(_("size (bytes)"))
    original_name = models.CharField(_("file name"), max_length=255, blank=True, default="")
    caption = models.CharField(_("caption"), max_length=300, blank=True, default="")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("activity photo")
        verbose_name_plural = _("activity photos")
        ordering = ["activity", "id"]

    def __str__(self) -> str:
        return self.caption or self.original_name or f"#{self.pk}"

    @property
    def extension(self) -> str:
        return "png" if self.format == self.Format.PNG else "jpg"

    def audit_organization_path(self) -> str:
        return self.activity.organization.path
