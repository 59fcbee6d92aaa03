"""Decisions (quyết định khen thưởng) and the awards they make.

A decision is numbered from the issuer's counter for its type and term (through a
`programs.Document`, e.g. 15-QĐ/ĐU) when it is issued; from then on it is frozen: the
database row refuses any change (`save` raises), and a correction or a revocation is a new
decision that refers to it.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from lantoa.awards.models.catalog import AwardForm
from lantoa.awards.models.nominations import Nomination
from lantoa.awards.models.rounds import Round
from lantoa.core.text import nfc, search_key
from lantoa.orgs.models import Organization, Person

__all__ = ["Award", "Decision", "DecisionKind", "DecisionStatus", "new_verification_code"]

# 32 letters and digits without 0/O, 1/I/L: easy to read and type from paper
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10


def new_verification_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class DecisionKind(models.TextChoices):
    COMMENDATION = "commendation", _("Commendation")
    CORRECTION = "correction", _("Correction")
    REVOCATION = "revocation", _("Revocation")


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class Decision(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("issued by"),
        on_delete=models.PROTECT,
        related_name="award_decisions",
    )
    round = models.ForeignKey(
        Round,
        verbose_name=_("round"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
    )
    kind = models.CharField(
        pgettext_lazy("record", "kind"),
        max_length=20,
        choices=DecisionKind.choices,
        default=DecisionKind.COMMENDATION,
    )
    refers_to = models.ForeignKey(
        "self",
        verbose_name=_("corrects or revokes"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="amendments",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT
    )
    subject = models.CharField(_("subject (trích yếu)"), max_length=500)
    body = models.TextField(_("text"), blank=True, default="")
    document = models.OneToOneField(
        "programs.Document",
        verbose_name=_("numbered document"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award_decision",
    )
    symbol = models.CharField(_("number and symbol"), max_length=50, blank=True, default="")
    date = models.DateField(_("date"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=100, blank=True, default="")
    signer_name = models.CharField(_("signed by"), max_length=200, blank=True, default="")
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    search_key = models.CharField(max_length=700, editable=False, default="")

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(date__isnull=False) & ~Q(symbol="")),
                name="decision_issued_has_number",
            ),
            models.CheckConstraint(
                condition=Q(kind="commendation") | Q(refers_to__isnull=False),
                name="decision_amendment_refers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.subject}".strip()

    def save(self, *args, **kwargs) -> None:
        issuing = kwargs.pop("issuing", False)
        if self.pk is not None and not issuing:
            stored = Decision.objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored == DecisionStatus.ISSUED:
                raise ValidationError(
                    gettext("An issued decision cannot be changed: issue a correcting one.")
                )
        self.subject = nfc(self.subject)
        self.search_key = search_key(f"{self.symbol} {self.subject}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status == DecisionStatus.ISSUED:
            raise ValidationError(
                gettext("An issued decision cannot be deleted: issue a revoking one.")
            )
        return super().delete(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.status == DecisionStatus.ISSUED

    def audit_organization_path(self) -> str:
        return self.organization.path


class Award(models.Model):
    """One commendation made by a decision: a nominee, a form, a verification code."""

    decision = models.ForeignKey(
        Decision, verbose_name=_("decision"), on_delete=models.PROTECT, related_name="awards"
    )
    nomination = models.OneToOneField(
        Nomination,
        verbose_name=_("nomination"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="award",
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("individual"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    collective = models.ForeignKey(
        Organization,
        verbose_name=_("collective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards_received",
    )
    form = models.ForeignKey(
        AwardForm, verbose_name=_("form"), on_delete=models.PROTECT, related_name="awards"
    )
    position = models.PositiveIntegerField(_("position in the annex"), default=0)
    verification_code = models.CharField(
        _("verification code"), max_length=16, unique=True, default=new_verification_code
    )
    revoked_by = models.ForeignKey(
        Decision,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="revoked_awards",
    )
    certificate = models.FileField(_("certificate"), blank=True, max_length=200)

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["decision", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(collective__isnull=True))
                | (Q(person__isnull=True) & Q(collective__isnull=False)),
                name="award_one_recipient",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.form}: {self.recipient}"

    @property
    def recipient(self) -> Person | Organization:
        return self.person if self.person_id else self.collective

    def audit_organization_path(self) -> str:
        return self.decision.organization.path
