"""Catalogs kept as data: terms (nhiệm kỳ / khóa), document types and issuers."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.orgs.models import Organization

__all__ = ["DocumentSystem", "DocumentType", "Issuer", "Term"]


class DocumentSystem(models.TextChoices):
    PARTY = "party", _("Party document")
    STATE = "state", _("State document")


class Term(models.Model):
    """A term of a committee (nhiệm kỳ, khóa), as a date range.

    Party document numbers restart every term, so a term is part of a document's identity.
    `issuer` is the body whose congress opens and closes the term (None: applies to all).
    """

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=20)
    issuer = models.ForeignKey(
        "programs.Issuer",
        verbose_name=_("issuer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="terms",
    )
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["start_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "code"], name="term_unique_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def contains(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class DocumentType(models.Model):
    """A kind of document and its abbreviation in numbers: KH = Kế hoạch, QĐ, CT, NQ..."""

    system = models.CharField(_("system"), max_length=10, choices=DocumentSystem.choices)
    code = models.CharField(_("abbreviation"), max_length=10)
    name = models.CharField(_("name"), max_length=100)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("document type")
        verbose_name_plural = _("document types")
        ordering = ["system", "code"]
        constraints = [
            models.UniqueConstraint(fields=["system", "code"], name="doctype_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class Issuer(models.Model):
    """A body that issues documents and its abbreviation: TW, TU, ĐU, UBND, BTCTW..."""

    system = models.CharField(_("system"), max_length=10, choices=DocumentSystem.choices)
    code = models.CharField(_("abbreviation"), max_length=20)
    name = models.CharField(_("name"), max_length=255)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization in Lan Tỏa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issuers",
        help_text=_("Set when the issuer is one of the organizations managed here."),
    )

    class Meta:
        verbose_name = _("issuer")
        verbose_name_plural = _("issuers")
        ordering = ["system", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["system", "code", "organization"], name="issuer_unique_code"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"
