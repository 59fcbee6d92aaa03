"""Nominations: a person or an organization put up in a round, and everything that
happens to it. Its status changes only through `lantoa.awards.workflow.transition`."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.awards.models.catalog import AwardForm
from lantoa.awards.models.rounds import Round
from lantoa.core.text import search_key
from lantoa.orgs.models import Organization, Person

__all__ = [
    "Evidence",
    "Nomination",
    "NominationEvent",
    "NominationStatus",
    "Review",
    "evidence_upload_to",
]


class NominationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for changes")
    IN_REVIEW = "in_review", _("In review")
    VOTING = "voting", _("Council voting")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")
    COMMENDED = "commended", _("Commended (decision issued)")
    HONORED = "honored", _("Honored at a ceremony")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REJECTED = "rejected", _("Rejected")


class Nomination(models.Model):
    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="nominations"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("individual"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations",
    )
    collective = models.ForeignKey(
        Organization,
        verbose_name=_("collective"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="nominations_received",
    )
    nominating_organization = models.ForeignKey(
        Organization,
        verbose_name=_("nominated by"),
        on_delete=models.PROTECT,
        related_name="nominations_made",
    )
    proposed_form = models.ForeignKey(
        AwardForm, verbose_name=_("proposed form"), on_delete=models.PROTECT, related_name="+"
    )
    achievements = models.TextField(_("achievements"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=NominationStatus.choices,
        default=NominationStatus.DRAFT,
    )
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("possibly the same nominee as"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # the nominee's name without diacritics, and birth date, to find the same nominee twice
    nominee_key = models.CharField(max_length=300, editable=False, default="")
    good_deeds = models.ManyToManyField(
        "movements.GoodDeed", verbose_name=_("good deeds"), blank=True, related_name="nominations"
    )
    initiatives = models.ManyToManyField(
        "movements.Initiative",
        verbose_name=_("initiatives"),
        blank=True,
        related_name="nominations",
    )
    activities = models.ManyToManyField(
        "movements.Activity", verbose_name=_("activities"), blank=True, related_name="nominations"
    )
    unit_models = models.ManyToManyField(
        "programs.UnitModel",
        verbose_name=_("unit models"),
        blank=True,
        related_name="nominations",
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

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["round", "id"]
        indexes = [
            models.Index(fields=["round", "status"], name="nomination_round_status"),
            models.Index(fields=["round", "nominee_key"], name="nomination_nominee"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(person__isnull=False) & Q(collective__isnull=True))
                | (Q(person__isnull=True) & Q(collective__isnull=False)),
                name="nomination_one_nominee",
            ),
        ]

    def __str__(self) -> str:
        return str(self.nominee)

    def save(self, *args, **kwargs) -> None:
        self.nominee_key = nominee_key(self.person, self.collective)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "nominee_key"}
        super().save(*args, **kwargs)

    @property
    def nominee(self) -> Person | Organization:
        return self.person if self.person_id else self.collective

    @property
    def is_person(self) -> bool:
        return self.person_id is not None

    def audit_organization_path(self) -> str:
        return self.nominating_organization.path


def nominee_key(person: Person | None, collective: Organization | None) -> str:
    """How the same nominee is recognized twice: a person by the name without diacritics
    and the birth date (two Nguyễn Văn An are not the same person, and one person may have
    two records), an organization by its identity."""
    if person is not None:
        born = person.birth_date.isoformat() if getattr(person, "birth_date", None) else ""
        return f"p:{search_key(person.full_name)}:{born}"
    if collective is not None:  # the same organization: many cells share a name
        return f"o:{collective.pk}"
    return ""


class NominationEvent(models.Model):
    """One change of a nomination's status: who, when, from what to what, and why."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField(
        pgettext_lazy("status", "from"), max_length=20, choices=NominationStatus.choices
    )
    to_status = models.CharField(
        pgettext_lazy("status", "to"), max_length=20, choices=NominationStatus.choices
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True, default="")

    class Meta:
        verbose_name = _("nomination event")
        verbose_name_plural = _("nomination events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"

    def audit_organization_path(self) -> str:
        return self.nomination.nominating_organization.path


def evidence_upload_to(instance: "Evidence", filename: str) -> str:
    return f"evidence/{timezone.localdate().year}/{uuid.uuid4().hex}.{instance.file_type}"


class Evidence(models.Model):
    """A file that backs a nomination (report of achievements, certificates, photos)."""

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(_("file"), upload_to=evidence_upload_to, max_length=200)
    file_type = models.CharField(_("file type"), max_length=10)
    file_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    description = models.CharField(_("description"), max_length=300, blank=True, default="")
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
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.file_name

    def audit_organization_path(self) -> str:
        return self.nomination.nominating_organization.path


class Review(models.Model):
    """The staff's review of a nomination: their opinion for the council."""

    class Opinion(models.TextChoices):
        SUPPORT = "support", _("Recommended")
        RESERVATIONS = "reservations", _("Recommended with reservations")
        AGAINST = "against", _("Not recommended")

    nomination = models.ForeignKey(
        Nomination, verbose_name=_("nomination"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    opinion = models.CharField(_("opinion"), max_length=20, choices=Opinion.choices)
    text = models.TextField(_("comments"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.get_opinion_display()

    def audit_organization_path(self) -> str:
        return self.nomination.nominating_organization.path
