"""Which movements reach whom, and what an organization has been asked to do.

A movement is sent down the launcher's whole subtree: an organization is reached by the
movements launched at it and by its ancestors. A user sees the movements launched in their
subtrees and those launched above them.
"""

import datetime
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantoa.movements.models import Movement, MovementTarget
from lantoa.movements.queries.totals import ZERO, Figures, Period
from lantoa.orgs.models import Organization, OrganizationKind
from lantoa.orgs.rules import Perm, User, can, granted_paths
from lantoa.programs.models.documents import reach_q

__all__ = [
    "BASE_KINDS",
    "TargetProgress",
    "asked_of",
    "can_view_movement",
    "movement_period",
    "movement_period_error",
    "movements_for",
    "reaches",
    "target_progress",
    "visible_movements",
]

BASE_KINDS = (OrganizationKind.BASE_COMMITTEE, OrganizationKind.BASE_CELL)


def _ancestor_paths(path: str) -> list[str]:
    """The paths of the organization at `path` and of all its ancestors."""
    step = Organization.steplen
    return [path[:i] for i in range(step, len(path) + 1, step)]


def visible_movements(user: User) -> QuerySet[Movement]:
    """Movements launched above, at or under the subtrees the user may view."""
    paths = granted_paths(user, Perm.VIEW_PROGRAMS)
    if not paths:
        return Movement.objects.none()
    return Movement.objects.filter(reach_q(paths, "organization__path"))


def can_view_movement(user: User, movement: Movement) -> bool:
    if can(user, Perm.VIEW_PROGRAMS, movement.organization):
        return True
    launcher = movement.organization.path
    return any(path.startswith(launcher) for path in granted_paths(user, Perm.VIEW_PROGRAMS))


def reaches(movement: Movement, org: Organization) -> bool:
    """Whether the movement was sent down to the organization (launched at it or above)."""
    return org.path.startswith(movement.organization.path)


def movements_for(org: Organization, day: datetime.date | None = None) -> QuerySet[Movement]:
    """Movements reaching the organization (launched at it or by an ancestor); with a day,
    only those whose period contains it. Activities of the organization may report against
    them."""
    movements = Movement.objects.filter(organization__path__in=_ancestor_paths(org.path))
    if day is not None:
        movements = movements.filter(start_date__lte=day, end_date__gte=day)
    return movements


def movement_period(movement: Movement) -> Period:
    return Period(movement.start_date, movement.end_date)


def movement_period_error(movement: Movement, day: datetime.date) -> str | None:
    """Why an activity of that day cannot report against the movement, or None."""
    if movement.start_date <= day <= movement.end_date:
        return None
    return _("The date is outside the movement's period (%(start)s – %(end)s).") % {
        "start": date_format(movement.start_date, "SHORT_DATE_FORMAT"),
        "end": date_format(movement.end_date, "SHORT_DATE_FORMAT"),
    }


def asked_of(target: MovementTarget, movement: Movement, org: Organization) -> int | None:
    """What the target asks of the organization: the whole quantity of the launcher, the
    per-base quantity of a base organization, nothing stated for the others."""
    if org.pk == movement.organization_id:
        return target.quantity
    if org.kind in BASE_KINDS:
        return target.per_base_organization
    return None


@dataclass(frozen=True)
class TargetProgress:
    """One target seen from one organization: what was asked of it, what it did."""

    target: MovementTarget
    asked: int | None
    figures: Figures

    @property
    def done(self) -> int:
        return self.figures.quantity

    @property
    def percent(self) -> float | None:
        if not self.asked:
            return None
        return 100 * self.done / self.asked

    @property
    def met(self) -> bool:
        return bool(self.asked) and self.done >= self.asked


def target_progress(
    movement: Movement,
    org: Organization,
    targets: list[MovementTarget],
    by_type: dict[int, Figures],
) -> list[TargetProgress]:
    """Each target with what it asks of `org` and the subtree's figures for its type."""
    return [
        TargetProgress(t, asked_of(t, movement, org), by_type.get(t.activity_type_id, ZERO))
        for t in targets
    ]
