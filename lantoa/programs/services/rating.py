"""The year-end quality rating of members (QĐ 366-QĐ/TW, Art. 11): scores → levels, the cap
on "excellent", confirmation. Each action runs in one transaction: nothing is half-saved."""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core import audit
from lantoa.core.errors import ValidationError, require
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, can
from lantoa.programs.models import (
    Rating,
    RatingCapSetting,
    RatingLevel,
    RatingList,
    RatingListStatus,
    RatingRule,
)
from lantoa.programs.models.registration import YEAR_MAX, YEAR_MIN
from lantoa.programs.queries.rating import (
    cap_in_force,
    level_counts,
    rated_people,
    rule_in_force,
    unrated_count,
)

HUNDRED = Decimal("100")


def _today() -> datetime.date:
    return timezone.localdate()


def percent_text(value: Decimal) -> str:
    """20.00 → "20", 12.50 → "12.5"."""
    text = f"{value.normalize():f}"
    return text


def level_for_score(
    score: Decimal | float | int | str,
    *,
    on: datetime.date | None = None,
    disqualified: bool = False,
) -> str:
    """The level of a score by the rule in force on the day (today if None).

    Under QĐ 366-QĐ/TW: ≥90 excellent, 70–<90 good, 50–<70 completed, <50 (or a
    disqualifying condition) not completed.
    """
    return rule_in_force(on or _today()).level_for(Decimal(str(score)), disqualified)


@dataclass(frozen=True)
class CapCheck:
    """The cap on "excellent" applied to a list's counts.

    QĐ 366-QĐ/TW: the number rated "hoàn thành xuất sắc nhiệm vụ" may not exceed 20 % of
    the number rated "hoàn thành tốt nhiệm vụ" in the same comparable group:

        excellent ≤ allowed = ⌊ cap_percent × good / 100 ⌋

    e.g. with 10 rated good and a 20 % cap, at most 2 may be rated excellent; with nobody
    rated good, nobody may be rated excellent.
    """

    excellent: int
    good: int
    cap_percent: Decimal
    source: str

    @property
    def allowed(self) -> int:
        return int(self.cap_percent * self.good // HUNDRED)

    @property
    def over(self) -> bool:
        return self.excellent > self.allowed

    def message(self) -> str:
        return _(
            "%(excellent)s rated excellent, at most %(allowed)s allowed "
            "(%(cap)s%% of %(good)s rated good)."
        ) % {
            "excellent": self.excellent,
            "allowed": self.allowed,
            "cap": percent_text(self.cap_percent),
            "good": self.good,
        }


def cap_check(rating_list: RatingList, counts: dict[str, int] | None = None) -> CapCheck:
    """The list's counts against the cap in force on the day of the rating."""
    counts = level_counts(rating_list) if counts is None else counts
    cap, source = cap_in_force(rating_list.organization, rating_list.year, rating_list.rated_on)
    return CapCheck(
        excellent=counts.get(RatingLevel.EXCELLENT, 0),
        good=counts.get(RatingLevel.GOOD, 0),
        cap_percent=cap,
        source=source,
    )


# --- lists -------------------------------------------------------------------------------


def _check_rated_on(year: int, rated_on: datetime.date) -> None:
    if not (YEAR_MIN <= year <= YEAR_MAX):
        raise ValidationError(
            {
                "year": _("Enter a year between %(min)s and %(max)s.")
                % {"min": YEAR_MIN, "max": YEAR_MAX}
            }
        )
    if rated_on.year not in (year, year + 1):
        raise ValidationError(
            {
                "rated_on": _(
                    "The rating of %(year)s takes place in %(year)s or early the next year."
                )
                % {"year": year}
            }
        )


def _frozen(rating_list: RatingList) -> None:
    if rating_list.is_confirmed:
        raise ValidationError(_("This rating list is confirmed and can no longer be changed."))


def _locked(rating_list: RatingList) -> RatingList:
    return (
        RatingList.objects.select_for_update().select_related("organization").get(pk=rating_list.pk)
    )


@transaction.atomic
def create_rating_list(
    *, by, organization: Organization, year: int, rated_on: datetime.date | None = None
) -> RatingList:
    require(can(by, Perm.RATE_MEMBERS, organization))
    rated_on = rated_on or _today()
    _check_rated_on(year, rated_on)
    if organization.archived:
        raise ValidationError({"organization": _("This organization is archived.")})
    if RatingList.objects.filter(organization=organization, year=year).exists():
        raise ValidationError(
            {
                "year": _("This organization already has a rating list for %(year)s.")
                % {"year": year}
            }
        )
    return RatingList.objects.create(organization=organization, year=year, rated_on=rated_on)


def _relevel(ratings: Iterable[Rating], rule: RatingRule) -> list[Rating]:
    """Set each rating's level from its score by the rule; return those that changed, with
    their previous level in `old_level`."""
    changed = []
    for rating in ratings:
        level = rule.level_for(rating.score, rating.disqualified)
        if level != rating.level:
            rating.old_level, rating.level = rating.level, level
            changed.append(rating)
    return changed


def _write_levels(changed: list[Rating]) -> None:
    """Save re-derived levels in bulk; audit one entry per rating, grouped by change."""
    Rating.objects.bulk_update(changed, ["level"], batch_size=500)
    groups: dict[tuple[str, str], list[Rating]] = defaultdict(list)
    for rating in changed:
        groups[(rating.old_level, rating.level)].append(rating)
    for (old, new), ratings in groups.items():
        audit.record_many(ratings, "programs.rating.level_derived", changes={"level": [old, new]})


@transaction.atomic
def update_rating_list(rating_list: RatingList, *, by, rated_on: datetime.date) -> RatingList:
    """Change the day of the rating; levels follow the rule in force on the new day."""
    require(can(by, Perm.RATE_MEMBERS, rating_list.organization))
    rating_list = _locked(rating_list)
    _frozen(rating_list)
    _check_rated_on(rating_list.year, rated_on)
    rating_list.rated_on = rated_on
    rating_list.save(update_fields=["rated_on"])
    ratings = Rating.objects.filter(list=rating_list).select_related("list__organization")
    _write_levels(_relevel(ratings, rule_in_force(rated_on)))
    return rating_list


@dataclass(frozen=True)
class ScoreEntry:
    """A score typed for one person (None: no score, any previous one is removed)."""

    person_id: int
    score: Decimal | None
    disqualified: bool = False
    note: str = ""


def _check_entries(rating_list: RatingList, entries: list[ScoreEntry]) -> None:
    allowed = set(
        rated_people(rating_list)
        .filter(pk__in=[e.person_id for e in entries])
        .values_list("pk", flat=True)
    )
    errors = {}
    for entry in entries:
        field = f"score_{entry.person_id}"
        if entry.person_id not in allowed:
            errors[field] = _("This person is not on the list.")
        elif entry.score is not None and not (0 <= entry.score <= HUNDRED):
            errors[field] = _("Enter a score from 0 to 100.")
    if errors:
        raise ValidationError(errors)


def _apply_entry(
    rating_list: RatingList, entry: ScoreEntry, existing: Rating | None, rule: RatingRule
) -> None:
    if entry.score is None:
        if existing is not None:
            existing.delete()
        return
    level = rule.level_for(entry.score, entry.disqualified)
    rating = existing or Rating(list=rating_list, person_id=entry.person_id)
    values = {
        "score": entry.score,
        "disqualified": entry.disqualified,
        "note": entry.note,
        "level": level,
    }
    if existing is not None and all(getattr(rating, k) == v for k, v in values.items()):
        return
    for name, value in values.items():
        setattr(rating, name, value)
    rating.save()


@transaction.atomic
def save_scores(rating_list: RatingList, entries: list[ScoreEntry], *, by) -> RatingList:
    """Save the scores typed for a page of the list, all or none; each change is audited."""
    require(can(by, Perm.RATE_MEMBERS, rating_list.organization))
    rating_list = _locked(rating_list)
    _frozen(rating_list)
    _check_entries(rating_list, entries)
    rule = rule_in_force(rating_list.rated_on)
    existing = {
        rating.person_id: rating
        for rating in Rating.objects.filter(
            list=rating_list, person_id__in=[e.person_id for e in entries]
        )
    }
    for entry in entries:
        _apply_entry(rating_list, entry, existing.get(entry.person_id), rule)
    return rating_list


@transaction.atomic
def confirm_rating_list(rating_list: RatingList, *, by) -> RatingList:
    """Confirm a list, which freezes it. Refused, with nothing changed, when a member of
    the organization has no score yet or when the list exceeds the cap (see CapCheck):
    levels are re-derived by the rule in force on the day of the rating first."""
    require(can(by, Perm.RATE_MEMBERS, rating_list.organization))
    rating_list = _locked(rating_list)
    _frozen(rating_list)
    missing = unrated_count(rating_list)
    if missing:
        raise ValidationError(
            _("%(count)s member(s) of the organization have no score yet.") % {"count": missing}
        )
    ratings = list(Rating.objects.filter(list=rating_list).select_related("list__organization"))
    changed = _relevel(ratings, rule_in_force(rating_list.rated_on))
    counts: dict[str, int] = defaultdict(int)
    for rating in ratings:
        counts[rating.level] += 1
    check = cap_check(rating_list, counts)
    if check.over:
        raise ValidationError(
            _("The list exceeds the cap on excellent ratings: %(detail)s")
            % {"detail": check.message()}
        )
    if changed:
        _write_levels(changed)
    rating_list.status = RatingListStatus.CONFIRMED
    rating_list.confirmed_at, rating_list.confirmed_by = timezone.now(), by
    rating_list.save(update_fields=["status", "confirmed_at", "confirmed_by"])
    return rating_list


# --- cap settings ------------------------------------------------------------------------


def can_set_caps(user, organization: Organization | None = None) -> bool:
    """Caps are policy of the committee: its staff set them (organization staff, who rate
    their own members, do not)."""
    return can(user, Perm.MANAGE_PLANS, organization) and can(user, Perm.RATE_MEMBERS, organization)


@transaction.atomic
def save_cap_setting(
    *,
    by,
    organization: Organization,
    year: int,
    cap_percent: Decimal,
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
    note: str = "",
    instance: RatingCapSetting | None = None,
) -> RatingCapSetting:
    """Create or change a cap setting for an organization and year."""
    require(can_set_caps(by, organization))
    if instance is not None:
        require(can_set_caps(by, instance.organization))
    errors = {}
    if not (YEAR_MIN <= year <= YEAR_MAX):
        errors["year"] = _("Enter a year between %(min)s and %(max)s.") % {
            "min": YEAR_MIN,
            "max": YEAR_MAX,
        }
    try:
        cap_ok = Decimal(0) <= Decimal(cap_percent) <= HUNDRED
    except (InvalidOperation, TypeError):
        cap_ok = False
    if not cap_ok:
        errors["cap_percent"] = _("Enter a percentage from 0 to 100.")
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = _("The end of validity cannot be before its start.")
    if errors:
        raise ValidationError(errors)
    setting = instance or RatingCapSetting()
    setting.organization, setting.year, setting.cap_percent = organization, year, cap_percent
    setting.valid_from, setting.valid_to, setting.note = valid_from, valid_to, note
    setting.save()
    return setting
