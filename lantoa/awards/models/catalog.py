"""Catalogs kept as data: forms of commendation and emulation titles, the rules that say
who is eligible for them, the vote rules of councils, and discipline on record."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.orgs.models import Person

__all__ = [
    "AwardForm",
    "AwardFormKind",
    "CriterionKind",
    "Discipline",
    "EligibilityRule",
    "NomineeKind",
    "VoteRule",
    "valid_on_q",
]


def valid_on_q(day: datetime.date) -> Q:
    """Rows whose validity (valid_from..valid_to, either open) contains the day."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


class NomineeKind(models.TextChoices):
    PERSON = "person", _("Individual")
    COLLECTIVE = "collective", _("Collective")


class AwardFormKind(models.TextChoices):
    FORM = "form", _("Form of commendation")  # biểu dương, giấy khen, bằng khen
    TITLE = "title", _("Emulation title")  # chiến sĩ thi đua cơ sở, lao động tiên tiến


class AwardForm(models.Model):
    """A form of commendation or an emulation title, as the catalog of the day has it."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(
        pgettext_lazy("record", "kind"), max_length=10, choices=AwardFormKind.choices
    )
    for_people = models.BooleanField(_("for individuals"), default=True)
    for_collectives = models.BooleanField(_("for collectives"), default=True)
    rank = models.PositiveSmallIntegerField(
        _("rank"), default=0, help_text=_("Higher forms have a higher rank.")
    )
    valid_from = models.DateField(pgettext_lazy("validity", "valid from"), null=True, blank=True)
    valid_to = models.DateField(pgettext_lazy("validity", "valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("form of commendation")
        verbose_name_plural = _("forms of commendation")
        ordering = ["rank", "id"]

    def __str__(self) -> str:
        return self.name

    def allows(self, kind: str) -> bool:
        return self.for_people if kind == NomineeKind.PERSON else self.for_collectives


class CriterionKind(models.TextChoices):
    """What an eligibility rule checks; each names a function in `lantoa.awards.rules`."""

    RATING_STREAK = "rating_streak", _("Rated at a level for consecutive years")
    AWARD_STREAK = "award_streak", _("Received a form for consecutive years")
    INITIATIVE = "initiative", _("Author of a recognized initiative")
    NO_DISCIPLINE = "no_discipline", _("No discipline in force")
    GOOD_DEED = "good_deed", _("A good deed on record")
    # collectives: a share (or a number) of the members with a title or a rating in the year
    MEMBERS_SHARE = "members_share", _("Share of members with a title or rating")


class EligibilityRule(models.Model):
    """One criterion of a form, as a rule in force for a period.

    `params` holds the criterion's figures, e.g. {"level": "excellent", "years": 5} for
    HD 06-HD/TW's "hoàn thành xuất sắc nhiệm vụ 5 năm liền". Rules of a form with the same
    `group` are alternatives: meeting any one of the group is enough (Law 06/2022, Art. 23:
    LĐTT + one of ...); rules with an empty group are all required.
    """

    award_form = models.ForeignKey(
        AwardForm, verbose_name=_("form"), on_delete=models.CASCADE, related_name="rules"
    )
    applies_to = models.CharField(_("applies to"), max_length=12, choices=NomineeKind.choices)
    criterion = models.CharField(_("criterion"), max_length=20, choices=CriterionKind.choices)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    group = models.CharField(_("alternative group"), max_length=40, blank=True, default="")
    description = models.CharField(pgettext_lazy("rule", "wording"), max_length=500)
    source = models.CharField(_("legal basis"), max_length=200, blank=True, default="")
    valid_from = models.DateField(pgettext_lazy("validity", "valid from"), null=True, blank=True)
    valid_to = models.DateField(pgettext_lazy("validity", "valid until"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)

    class Meta:
        verbose_name = _("eligibility rule")
        verbose_name_plural = _("eligibility rules")
        ordering = ["award_form", "position", "id"]

    def __str__(self) -> str:
        return self.description


class VoteRule(models.Model):
    """How a council decides, as a rule in force for a period.

    Quorum: at least `quorum_percent` of the council's members voted. Selected: agreeing
    votes are more than `approval_percent` of the base — all council members by default,
    or the votes cast.
    """

    class Base(models.TextChoices):
        MEMBERS = "members", _("of all council members")
        CAST = "cast", _("of the votes cast")

    name = models.CharField(_("name"), max_length=200)
    quorum_percent = models.PositiveSmallIntegerField(_("quorum (%)"), default=50)
    approval_percent = models.PositiveSmallIntegerField(_("share in favour (%)"), default=50)
    strictly_more = models.BooleanField(
        _("strictly more than the share"),
        default=True,
        help_text=_("More than half, not half or more."),
    )
    base = models.CharField(_("base"), max_length=10, choices=Base.choices, default=Base.MEMBERS)
    valid_from = models.DateField(pgettext_lazy("validity", "valid from"), null=True, blank=True)
    valid_to = models.DateField(pgettext_lazy("validity", "valid until"), null=True, blank=True)

    class Meta:
        verbose_name = _("vote rule")
        verbose_name_plural = _("vote rules")
        ordering = ["-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quorum_percent__lte=100, approval_percent__lte=100),
                name="voterule_percents",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Discipline(models.Model):
    """A disciplinary measure on a person's record (khiển trách, cảnh cáo...), which bars
    commendation while in force (NĐ 152/2025, Art. 4)."""

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="disciplines"
    )
    measure = models.CharField(_("measure"), max_length=200)
    decided_on = models.DateField(_("decided on"))
    in_force_until = models.DateField(_("in force until"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True, default="")

    class Meta:
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")
        ordering = ["-decided_on", "id"]

    def __str__(self) -> str:
        return f"{self.measure} ({self.decided_on:%d/%m/%Y})"

    def audit_organization_path(self) -> str:
        return self.person.organization.path if self.person.organization_id else ""
