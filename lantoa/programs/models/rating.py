"""The year-end quality rating of members (xếp loại chất lượng đảng viên).

The score bands and the cap on "excellent" ratings are data with validity dates
(`RatingRule`, `RatingCapSetting`), because the rules change: QĐ 124-QĐ/TW (2023) was
replaced by QĐ 366-QĐ/TW (30/8/2025).
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.orgs.models import Organization, Person

__all__ = [
    "QD366_DEFAULTS",
    "Rating",
    "RatingCapSetting",
    "RatingLevel",
    "RatingList",
    "RatingListStatus",
    "RatingRule",
]

_score_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
_percent_validators = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


class RatingLevel(models.TextChoices):
    """The four levels of QĐ 366-QĐ/TW, Art. 11."""

    EXCELLENT = "excellent", _("Completed tasks excellently")
    GOOD = "good", _("Completed tasks well")
    PASS = "pass", _("Completed tasks")
    FAIL = "fail", _("Did not complete tasks")


# The bands of QĐ 366-QĐ/TW (30/8/2025), used when no rule is stored for the day.
QD366_DEFAULTS = {
    "name": "QĐ 366-QĐ/TW",
    "valid_from": datetime.date(2025, 8, 30),
    "excellent_min": Decimal("90"),
    "good_min": Decimal("70"),
    "pass_min": Decimal("50"),
    "cap_percent": Decimal("20"),
}


class RatingRuleQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date) -> "RatingRuleQuerySet":
        return self.filter(
            models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )


class RatingRule(models.Model):
    """Score bands of the four levels and the default cap, valid over a date range.

    A score at or above `excellent_min` is "excellent", at or above `good_min` "good", at
    or above `pass_min` "pass", below it "fail".
    """

    name = models.CharField(_("name"), max_length=100, help_text=_("e.g. QĐ 366-QĐ/TW"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    excellent_min = models.DecimalField(
        _("lowest score for excellent"), max_digits=5, decimal_places=2, default=Decimal("90")
    )
    good_min = models.DecimalField(
        _("lowest score for good"), max_digits=5, decimal_places=2, default=Decimal("70")
    )
    pass_min = models.DecimalField(
        _("lowest score for completed"), max_digits=5, decimal_places=2, default=Decimal("50")
    )
    cap_percent = models.DecimalField(
        _("cap on excellent, as a share of those rated good (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=_percent_validators,
    )
    note = models.TextField(_("note"), blank=True)

    objects = RatingRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("rating rule")
        verbose_name_plural = _("rating rules")
        ordering = ["-valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(excellent_min__gt=models.F("good_min"))
                & models.Q(good_min__gt=models.F("pass_min"))
                & models.Q(pass_min__gte=0)
                & models.Q(excellent_min__lte=100),
                name="ratingrule_bands_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def level_for(self, score: Decimal, disqualified: bool = False) -> str:
        if disqualified or score < self.pass_min:
            return RatingLevel.FAIL
        if score >= self.excellent_min:
            return RatingLevel.EXCELLENT
        if score >= self.good_min:
            return RatingLevel.GOOD
        return RatingLevel.PASS


class RatingCapSetting(models.Model):
    """The cap on "excellent" for an organization's ratings of a year, valid over dates.

    Applies to the organization and its subtree; the nearest setting up the tree wins, and
    without one the rule's default applies (e.g. 25 % for an outstanding unit, not 20 %).
    """

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="rating_caps",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    cap_percent = models.DecimalField(
        _("cap on excellent, as a share of those rated good (%)"),
        max_digits=5,
        decimal_places=2,
        validators=_percent_validators,
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("cap on excellent ratings")
        verbose_name_plural = _("caps on excellent ratings")
        ordering = ["-year", "organization", "valid_from"]
        indexes = [models.Index(fields=["organization", "year"], name="ratingcap_org_year")]

    def __str__(self) -> str:
        return f"{self.organization} — {self.year}: {self.cap_percent}%"

    def audit_organization_path(self) -> str:
        return self.organization.path

    def valid_on(self, day: datetime.date) -> bool:
        starts = self.valid_from is None or self.valid_from <= day
        return starts and (self.valid_to is None or day <= self.valid_to)


class RatingListStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CONFIRMED = "confirmed", _("Confirmed")


class RatingList(models.Model):
    """An organization's rating of its members for a year; frozen once confirmed."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        related_name="rating_lists",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    rated_on = models.DateField(
        _("date of the rating"),
        help_text=_("The rules and caps in force on this day apply."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RatingListStatus.choices,
        default=RatingListStatus.DRAFT,
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("rating list")
        verbose_name_plural = _("rating lists")
        ordering = ["-year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="ratinglist_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} — {self.year}"

    def audit_organization_path(self) -> str:
        return self.organization.path

    @property
    def is_confirmed(self) -> bool:
        return self.status == RatingListStatus.CONFIRMED


class Rating(models.Model):
    """One member's score and level in a rating list; the level follows from the score."""

    list = models.ForeignKey(
        RatingList, verbose_name=_("rating list"), on_delete=models.CASCADE, related_name="ratings"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="ratings"
    )
    score = models.DecimalField(
        _("score"), max_digits=5, decimal_places=2, validators=_score_validators
    )
    disqualified = models.BooleanField(
        _("a disqualifying condition applies"),
        default=False,
        help_text=_("e.g. a disciplinary measure in the year: rated as not completed."),
    )
    level = models.CharField(_("level"), max_length=20, choices=RatingLevel.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["list", "person"], name="rating_unique_person"),
            models.CheckConstraint(
                condition=models.Q(score__gte=0) & models.Q(score__lte=100),
                name="rating_score_range",
            ),
        ]
        indexes = [models.Index(fields=["list", "level"], name="rating_list_level")]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_level_display()}"

    def audit_organization_path(self) -> str:
        return self.list.audit_organization_path()
