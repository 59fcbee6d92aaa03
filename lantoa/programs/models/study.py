"""Thematic topics (chuyên đề) and the study sessions of cells, with their attendance.

Attendance rates are computed from the attendance rows (`lantoa.programs.queries.study`),
never stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lantoa.core.text import nfc, search_key
from lantoa.orgs.models import Organization, Person

__all__ = ["Attendance", "StudySession", "Theme", "ThemeLevel"]


class ThemeLevel(models.TextChoices):
    CENTRAL = "central", _("Central")
    PROVINCIAL = "provincial", _("Provincial")
    COMMITTEE = "committee", _("Committee")


class Theme(models.Model):
    """A thematic topic, for a year or for a whole term (exactly one of the two)."""

    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    term = models.ForeignKey(
        "programs.Term",
        verbose_name=_("term"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="themes",
    )
    level = models.CharField(_("level"), max_length=20, choices=ThemeLevel.choices)
    issuer = models.CharField(_("issuing body"), max_length=255)
    title = models.CharField(_("title"), max_length=500)
    note = models.TextField(_("note"), blank=True, default="")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="themes",
        help_text=_("The organization whose staff keep this topic; its subtree may use it."),
    )
    search_key = models.CharField(max_length=800, editable=False, default="")

    class Meta:
        verbose_name = _("thematic topic")
        verbose_name_plural = _("thematic topics")
        ordering = ["-year", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(year__isnull=False) & Q(term__isnull=True))
                | (Q(year__isnull=True) & Q(term__isnull=False)),
                name="theme_year_or_term",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.issuer = nfc(self.issuer)
        self.title = nfc(self.title)
        self.note = nfc(self.note)
        self.search_key = search_key(f"{self.title} {self.issuer}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def audit_organization_path(self) -> str:
        return self.organization.path if self.organization_id else ""


class StudySession(models.Model):
    """A cell's study session (sinh hoạt chuyên đề) on a day, usually on a topic."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("party cell"),
        on_delete=models.PROTECT,
        related_name="study_sessions",
    )
    date = models.DateField(_("date"))
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("thematic topic"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
    )
    title = models.CharField(_("title"), max_length=500, blank=True, default="")
    content = models.TextField(_("content"), blank=True, default="")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    search_key = models.CharField(max_length=800, editable=False, default="")

    class Meta:
        verbose_name = _("study session")
        verbose_name_plural = _("study sessions")
        ordering = ["-date", "-id"]
        indexes = [
            models.Index(fields=["organization", "date"], name="studysession_org_date"),
            models.Index(fields=["date"], name="studysession_date"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.date:%d/%m/%Y}"

    def save(self, *args, **kwargs) -> None:
        self.title = nfc(self.title)
        self.content = nfc(self.content)
        theme = self.theme.title if self.theme_id else ""
        self.search_key = search_key(f"{self.title} {theme}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    @property
    def subject(self) -> str:
        return self.title or (self.theme.title if self.theme_id else "")

    def audit_organization_path(self) -> str:
        return self.organization.path


class Attendance(models.Model):
    """A member expected at a session: present, or absent with a reason."""

    session = models.ForeignKey(
        StudySession,
        verbose_name=_("study session"),
        on_delete=models.CASCADE,
        related_name="attendance",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="attendance"
    )
    present = models.BooleanField(_("present"))
    absence_reason = models.CharField(_("reason for absence"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_unique"),
            models.CheckConstraint(
                condition=Q(present=True) | ~Q(absence_reason=""),
                name="attendance_absence_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["person", "present"], name="attendance_person")]

    def __str__(self) -> str:
        return f"{self.person} — {self.session}"

    def audit_organization_path(self) -> str:
        return self.session.organization.path
