"""Plans a user may see, and the progress of their targets, computed from the records.

A plan's scope is its issuing organization's subtree. Each target kind names a function
`(organization, year) -> (done, total)`; the registration indicators come from
`lantoa.programs.queries.registration` and show "—" until that module provides them.
"""

import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, User, can, granted_paths, scope_q
from lantoa.programs.models import Pilot, Plan, Target, TargetKind
from lantoa.programs.queries import study

Figures = tuple[int, int] | None
REGISTRATION = "lantoa.programs.queries.registration"


@dataclass(frozen=True)
class Progress:
    """How far a target has come: `done` of `total`, against the share aimed at."""

    done: int
    total: int
    target_percent: int

    @property
    def percent(self) -> float | None:
        return None if not self.total else 100 * self.done / self.total

    @property
    def met(self) -> bool:
        return self.total > 0 and self.done * 100 >= self.target_percent * self.total


def _from_registration(name: str) -> Callable[[Organization, int], Figures]:
    """A figure provided by the registration area, or None while it does not exist."""

    def compute(org: Organization, year: int) -> Figures:
        try:
            module = importlib.import_module(REGISTRATION)
        except ModuleNotFoundError as error:
            if error.name != REGISTRATION:
                raise
            return None
        function = getattr(module, name, None)
        return function(org, year) if function is not None else None

    return compute


COMPUTE: dict[str, Callable[[Organization, int], Figures]] = {
    TargetKind.STUDY_COVERAGE: study.study_coverage,
    TargetKind.ATTENDANCE_COVERAGE: study.attendance_coverage,
    TargetKind.MODEL_COVERAGE: _from_registration("model_coverage"),
    TargetKind.COMMITMENT_COVERAGE: _from_registration("commitment_coverage"),
}


def target_progress(target: Target) -> Progress | None:
    """The target's progress over the plan's scope in its year (None: not computable)."""
    figures = COMPUTE[target.kind](target.plan.issuer, target.year)
    if figures is None:
        return None
    done, total = figures
    return Progress(done, total, target.target_percent)


def with_progress(targets: Iterable[Target]) -> list[Target]:
    """The targets, each with `progress`; a figure shared by several is computed once."""
    cache: dict[tuple[str, int, int], Figures] = {}
    result = []
    for target in targets:
        key = (target.kind, target.plan.issuer_id, target.year)
        if key not in cache:
            cache[key] = COMPUTE[target.kind](target.plan.issuer, target.year)
        figures = cache[key]
        target.progress = None if figures is None else Progress(*figures, target.target_percent)
        result.append(target)
    return result


def _strict_ancestors(paths: Iterable[str]) -> set[str]:
    step = Organization.steplen
    return {path[:i] for path in paths for i in range(step, len(path), step)}


def concerning_q(paths: list[str], field: str) -> Q:
    """Rows whose organization (a path at `field`) lies in one of the subtrees at `paths`
    or above them: direction issued higher up concerns the units below."""
    query = Q(pk__in=[])
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query | Q(**{f"{field}__in": _strict_ancestors(paths)})


def visible_plans(user: User, within: Organization | None = None) -> QuerySet[Plan]:
    """Plans issued in the user's reach, or by the committees above it (which it carries out).

    `within` narrows them to the plans that concern that organization's subtree.
    """
    paths = granted_paths(user, Perm.VIEW_PROGRAMS)
    plans = Plan.objects.filter(concerning_q(paths, "issuer__path"))
    if within is not None:
        plans = plans.filter(concerning_q([within.path], "issuer__path"))
    return plans


def can_view_plan(user: User, plan: Plan) -> bool:
    if can(user, Perm.VIEW_PROGRAMS, plan.issuer):
        return True
    paths = granted_paths(user, Perm.VIEW_PROGRAMS)
    return any(path.startswith(plan.issuer.path) for path in paths)


def visible_pilots(user: User, plan: Plan) -> QuerySet[Pilot]:
    """The plan's pilots the user may see: all of them within the issuer's reach, else
    only those in the user's own subtrees."""
    pilots = plan.pilots.select_related("organization").prefetch_related("notes__author")
    if not can(user, Perm.VIEW_PROGRAMS, plan.issuer):
        pilots = pilots.filter(scope_q(user, Perm.VIEW_PROGRAMS, "organization__path"))
    return pilots.order_by("organization__path")
