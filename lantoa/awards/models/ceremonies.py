"""Ceremonies (hội nghị tuyên dương): where those commended are honored."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.awards.models.decisions import Award
from lantoa.awards.models.rounds import Round
from lantoa.core.text import nfc, search_key
from lantoa.orgs.models import Organization

__all__ = ["Ceremony", "CertificateBatch"]


class Ceremony(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("held by"),
        on_delete=models.PROTECT,
        related_name="ceremonies",
    )
    title = models.CharField(pgettext_lazy("record", "title"), max_length=500)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=300)
    rounds = models.ManyToManyField(
        Round, verbose_name=_("rounds"), blank=True, related_name="ceremonies"
    )
    honored = models.ManyToManyField(
        Award, verbose_name=_("honored"), blank=True, related_name="ceremonies"
    )
    program = models.TextField(_("program"), blank=True, default="")
    held = models.BooleanField(_("held"), default=False)
    search_key = models.CharField(max_length=900, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ceremony")
        verbose_name_plural = _("ceremonies")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title = nfc(self.title)
        self.place = nfc(self.place)
        self.search_key = search_key(f"{self.title} {self.place}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def audit_organization_path(self) -> str:
        return self.organization.path


class CertificateBatch(models.Model):
    """The background job that prints a decision's certificates, and how far it is."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    decision = models.ForeignKey(
        "awards.Decision",
        verbose_name=_("decision"),
        on_delete=models.CASCADE,
        related_name="certificate_batches",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(_("certificates to make"), default=0)
    done = models.PositiveIntegerField(_("certificates made"), default=0)
    error = models.TextField(_("error"), blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate batch")
        verbose_name_plural = _("certificate batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.decision}: {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)
