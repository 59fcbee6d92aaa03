"""Initiatives and applied projects (sáng kiến, đề tài): authors, recognition, effect."""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.core.text import nfc, search_key
from lantoa.movements.models.proposals import PutForward
from lantoa.orgs.models import Organization, Person

__all__ = [
    "Initiative",
    "InitiativeAttachment",
    "InitiativeAuthor",
    "InitiativeKind",
    "RecognitionLevel",
    "attachment_upload_to",
]


class InitiativeKind(models.TextChoices):
    INITIATIVE = "initiative", _("Initiative")
    PROJECT = "project", _("Applied science and technology project")


class RecognitionLevel(models.TextChoices):
    """The level at which an initiative was recognized (công nhận)."""

    NONE = "none", _("Not yet recognized")
    BASE = "base", _("Base level")
    SECTOR = "sector", _("Sector or bloc level")
    PROVINCE = "province", _("Provincial level")
    NATIONAL = "national", _("National level")


class Initiative(PutForward):
    kind = models.CharField(
        pgettext_lazy("record", "kind"),
        max_length=20,
        choices=InitiativeKind.choices,
        default=InitiativeKind.INITIATIVE,
    )
    title = models.CharField(pgettext_lazy("record", "title"), max_length=500)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="initiatives",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    field = models.CharField(_("field"), max_length=200, blank=True, default="")
    level = models.CharField(
        _("recognized at"),
        max_length=20,
        choices=RecognitionLevel.choices,
        default=RecognitionLevel.NONE,
    )
    recognized_on = models.DateField(_("date recognized"), null=True, blank=True)
    effect = models.TextField(_("effect"), blank=True, default="")
    benefit = models.BigIntegerField(_("estimated benefit (đồng)"), default=0)
    authors = models.ManyToManyField(
        Person,
        verbose_name=_("authors"),
        through="InitiativeAuthor",
        related_name="initiatives",
    )
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
    search_key = models.CharField(max_length=800, editable=False, default="")

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-year", "title", "id"]
        indexes = [models.Index(fields=["organization", "year"], name="initiative_org_year")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(benefit__gte=0), name="initiative_benefit_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title = nfc(self.title)
        self.field = nfc(self.field)
        self.effect = nfc(self.effect)
        self.search_key = search_key(f"{self.title} {self.field}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def audit_organization_path(self) -> str:
        return self.organization.path


class InitiativeAuthor(models.Model):
    initiative = models.ForeignKey(
        Initiative, verbose_name=_("initiative"), on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("author"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "person"], name="initiative_author_once")
        ]

    def __str__(self) -> str:
        return str(self.person)

    def audit_organization_path(self) -> str:
        return self.initiative.organization.path


def attachment_upload_to(instance: "InitiativeAttachment", filename: str) -> str:
    return f"initiatives/{timezone.localdate().year}/{uuid.uuid4().hex}.{instance.file_type}"


class InitiativeAttachment(models.Model):
    """A PDF or DOCX attached to an initiative (the write-up, the recognition)."""

    initiative = models.ForeignKey(
        Initiative,
        verbose_name=_("initiative"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("file"), upload_to=attachment_upload_to, max_length=200)
    file_type = models.CharField(_("file type"), max_length=10)
    file_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
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
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name

    def audit_organization_path(self) -> str:
        return self.initiative.organization.path
