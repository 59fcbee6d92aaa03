"""Ceremonies (hội nghị tuyên dương): where the awards of issued decisions are honored.

A ceremony is planned by an organization for a day and a place, for one or more of the
rounds of its subtree; it honors awards of the issued decisions of those rounds (by
default all those not honored at another ceremony), not revoked ones. Holding it moves the
nomination of each award honored to "honored" through the workflow, in one transaction.
Ceremonies are counted per term of the organization's issuer (programs `Term`).
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantoa.awards import workflow
from lantoa.awards.models import Award, Ceremony, DecisionStatus, NominationStatus, Round
from lantoa.awards.workflow import Action
from lantoa.core.errors import ValidationError, require
from lantoa.core.text import nfc
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, User, can
from lantoa.programs.models import Term
from lantoa.programs.services.documents import own_issuer

__all__ = [
    "TermCount",
    "ceremonies_per_term",
    "create_ceremony",
    "hold_ceremony",
    "honorable_awards",
    "terms_of",
    "update_ceremony",
]

FIRST_YEAR = 1930
MAX_ROUNDS = 20


def honorable_awards(rounds: Iterable[Round]) -> QuerySet[Award]:
    """Awards a ceremony of these rounds may honor: made by their issued decisions, not
    revoked."""
    return Award.objects.filter(
        decision__round__in=list(rounds),
        decision__status=DecisionStatus.ISSUED,
        revoked_by__isnull=True,
    )


def _not_elsewhere(awards: QuerySet[Award], ceremony: Ceremony | None) -> QuerySet[Award]:
    """The awards not honored (nor planned to be) at another ceremony."""
    others = Ceremony.objects.all()
    if ceremony is not None:
        others = others.exclude(pk=ceremony.pk)
    return awards.exclude(ceremonies__in=others)


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _check(
    errors: _Errors,
    *,
    organization: Organization,
    title: str,
    date: datetime.date | None,
    place: str,
    rounds: list[Round],
) -> None:
    if not title:
        errors.add("title", _("Enter the title of the ceremony."))
    if date is None:
        errors.add("date", _("Enter the date of the ceremony."))
    elif date.year < FIRST_YEAR:
        errors.add("date", _("Enter a date from %(first)s on.") % {"first": FIRST_YEAR})
    if not place:
        errors.add("place", _("Enter the place of the ceremony."))
    if not rounds:
        errors.add("rounds", _("Choose the round (or rounds) whose awards are honored."))
    if len(rounds) > MAX_ROUNDS:
        errors.add("rounds", _("At most %(count)s rounds.") % {"count": MAX_ROUNDS})
    for round_ in rounds:
        if not round_.organization.path.startswith(organization.path):
            errors.add(
                "rounds",
                _("The round “%(round)s” is not one of %(organization)s or its organizations.")
                % {"round": round_.title, "organization": organization.name},
            )


def _honored(
    errors: _Errors,
    rounds: list[Round],
    honored: Iterable[Award] | None,
    ceremony: Ceremony | None,
) -> list[Award]:
    """The awards to honor: those chosen, each of an issued decision of the rounds and not
    revoked; by default every such award not honored at another ceremony."""
    allowed = honorable_awards(rounds)
    if honored is None:
        return list(_not_elsewhere(allowed, ceremony))
    chosen = list(honored)
    valid = set(allowed.filter(pk__in=[a.pk for a in chosen]).values_list("pk", flat=True))
    for award in chosen:
        if award.pk not in valid:
            errors.add(
                "honored",
                _(
                    "“%(name)s” is not commended by an issued decision of the chosen rounds "
                    "(or the award was revoked)."
                )
                % {"name": award.recipient},
            )
    return chosen


def _clean(value: str) -> str:
    return nfc(value or "")


@transaction.atomic
def create_ceremony(
    *,
    by: User,
    organization: Organization,
    title: str,
    date: datetime.date | None,
    place: str,
    rounds: Iterable[Round],
    program: str = "",
    honored: Iterable[Award] | None = None,
) -> Ceremony:
    """Plan a ceremony; `honored=None` honors every award of the rounds' issued decisions
    not honored elsewhere."""
    require(can(by, Perm.MANAGE_ROUNDS, organization))
    title, place, program = _clean(title), _clean(place), _clean(program)
    rounds = list(rounds)
    errors = _Errors()
    if organization.archived:
        errors.add("organization", _("This organization is archived."))
    _check(errors, organization=organization, title=title, date=date, place=place, rounds=rounds)
    chosen = _honored(errors, rounds, honored, None)
    errors.raise_any()
    ceremony = Ceremony.objects.create(
        organization=organization,
        title=title,
        date=date,
        place=place,
        program=program,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    ceremony.rounds.set(rounds)
    ceremony.honored.set(chosen)
    return ceremony


def _planned(ceremony: Ceremony) -> Ceremony:
    locked = Ceremony.objects.select_for_update().select_related("organization").get(pk=ceremony.pk)
    if locked.held:
        raise ValidationError(
            _("This ceremony has been held: what happened there cannot be changed.")
        )
    return locked


@transaction.atomic
def update_ceremony(
    ceremony: Ceremony,
    *,
    by: User,
    title: str,
    date: datetime.date | None,
    place: str,
    rounds: Iterable[Round],
    program: str = "",
    honored: Iterable[Award] | None = None,
) -> Ceremony:
    """Change a ceremony not yet held."""
    require(can(by, Perm.MANAGE_ROUNDS, ceremony.organization))
    ceremony = _planned(ceremony)
    title, place, program = _clean(title), _clean(place), _clean(program)
    rounds = list(rounds)
    errors = _Errors()
    _check(
        errors,
        organization=ceremony.organization,
        title=title,
        date=date,
        place=place,
        rounds=rounds,
    )
    chosen = _honored(errors, rounds, honored, ceremony)
    errors.raise_any()
    ceremony.title, ceremony.date, ceremony.place, ceremony.program = title, date, place, program
    ceremony.save()
    ceremony.rounds.set(rounds)
    ceremony.honored.set(chosen)
    return ceremony


@transaction.atomic
def hold_ceremony(ceremony: Ceremony, *, by: User, today: datetime.date | None = None) -> Ceremony:
    """Record that the ceremony was held: the nomination of each award honored (still
    "commended") becomes "honored"; awards made without a nomination are only listed."""
    require(can(by, Perm.MANAGE_ROUNDS, ceremony.organization))
    ceremony = _planned(ceremony)
    today = today or timezone.localdate()
    if ceremony.date > today:
        raise ValidationError(
            _("The ceremony is planned for %(day)s: it can be marked held from that day.")
            % {"day": date_format(ceremony.date, "SHORT_DATE_FORMAT")}
        )
    awards = list(ceremony.honored.filter(revoked_by__isnull=True).select_related("nomination"))
    ceremony.held = True
    ceremony.save(update_fields=["held"])
    for award in awards:
        nomination = award.nomination
        if nomination is not None and nomination.status == NominationStatus.COMMENDED:
            workflow.transition(nomination, Action.HONOR, by=by, today=today)
    return ceremony


# --- counted per term ---------------------------------------------------------------------


@dataclass(frozen=True)
class TermCount:
    term: Term
    held: int
    planned: int


def terms_of(organization: Organization) -> list[Term]:
    """The terms of the organization's party issuer, or the terms of no issuer."""
    issuer = own_issuer(organization)
    terms = list(Term.objects.filter(issuer=issuer)) if issuer is not None else []
    return terms or list(Term.objects.filter(issuer__isnull=True))


def ceremonies_per_term(organization: Organization) -> list[TermCount]:
    """How many ceremonies the organization held (and plans) in each of its terms, in one
    query over the ceremonies."""
    terms = terms_of(organization)
    if not terms:
        return []
    counts = {}
    for term in terms:
        within = Q(date__gte=term.start_date)
        if term.end_date is not None:
            within &= Q(date__lte=term.end_date)
        counts[f"held_{term.pk}"] = Count("id", filter=within & Q(held=True))
        counts[f"planned_{term.pk}"] = Count("id", filter=within & Q(held=False))
    figures = Ceremony.objects.filter(organization=organization).aggregate(**counts)
    return [
        TermCount(term, figures[f"held_{term.pk}"], figures[f"planned_{term.pk}"])
        for term in sorted(terms, key=lambda term: term.start_date, reverse=True)
    ]
