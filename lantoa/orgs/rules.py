"""Who may do what, and where: one table of roles × permissions, applied to subtrees.

A grant of a role on an organization reaches that organization and its whole subtree.
Pages, exports and (later) the API all ask these functions; none decides on its own.
"""

from enum import StrEnum

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q

from lantoa.orgs.models import Organization, Person, Role


class Perm(StrEnum):
    VIEW_ORGS = "orgs.view"
    MANAGE_ORGS = "orgs.manage"  # create, rename, move, archive, merge
    VIEW_PEOPLE = "people.view"
    MANAGE_PEOPLE = "people.manage"  # add, edit, transfer, archive
    VIEW_PRIVATE = "people.view_private"
    EXPORT = "data.export"
    VIEW_AUDIT = "audit.view"
    MANAGE_ACCOUNTS = "accounts.manage"
    # direction and registration (lantoa.programs)
    VIEW_PROGRAMS = "programs.view"  # documents, plans, themes, sessions, models, coverage
    MANAGE_DOCUMENTS = "programs.documents.manage"  # register documents, number our own
    MANAGE_PLANS = "programs.plans.manage"  # plans, targets, pilots, themes
    RECORD_STUDY = "programs.study.record"  # study sessions and attendance
    MANAGE_REGISTRATIONS = "programs.registrations.manage"  # unit models, assess commitments
    RATE_MEMBERS = "programs.ratings.manage"  # year-end quality rating lists
    # movements and good deeds (lantoa.movements); seeing them needs VIEW_PROGRAMS
    MANAGE_MOVEMENTS = "movements.manage"  # launch movements and set their targets
    RECORD_ACTIVITIES = "movements.record"  # activities, initiatives, good deeds, put forward
    # commendation (lantoa.awards); seeing rounds and nominations needs VIEW_PROGRAMS
    NOMINATE = "awards.nominate"  # draft, submit, withdraw the nominations of an organization
    REVIEW_NOMINATIONS = "awards.review"  # review, return, reject, send to the council, tally
    VOTE = "awards.vote"  # vote, when also seated on the round's council
    MANAGE_ROUNDS = "awards.rounds"  # rounds, quotas, councils, ceremonies, certificates
    ISSUE_DECISIONS = "awards.decisions"  # draft and issue numbered decisions


ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    Role.SYSTEM_ADMIN: frozenset(Perm),
    Role.COMMITTEE_STAFF: frozenset(
        {
            Perm.VIEW_ORGS,
            Perm.MANAGE_ORGS,
            Perm.VIEW_PEOPLE,
            Perm.MANAGE_PEOPLE,
            Perm.VIEW_PRIVATE,
            Perm.EXPORT,
            Perm.VIEW_AUDIT,
            Perm.VIEW_PROGRAMS,
            Perm.MANAGE_DOCUMENTS,
            Perm.MANAGE_PLANS,
            Perm.RECORD_STUDY,
            Perm.MANAGE_REGISTRATIONS,
            Perm.RATE_MEMBERS,
            Perm.MANAGE_MOVEMENTS,
            Perm.RECORD_ACTIVITIES,
            Perm.NOMINATE,
            Perm.REVIEW_NOMINATIONS,
            Perm.MANAGE_ROUNDS,
            Perm.ISSUE_DECISIONS,
        }
    ),
    Role.ORGANIZATION_STAFF: frozenset(
        {
            Perm.VIEW_ORGS,
            Perm.VIEW_PEOPLE,
            Perm.MANAGE_PEOPLE,
            Perm.VIEW_PRIVATE,
            Perm.EXPORT,
            Perm.VIEW_PROGRAMS,
            Perm.RECORD_STUDY,
            Perm.MANAGE_REGISTRATIONS,
            Perm.RATE_MEMBERS,
            Perm.RECORD_ACTIVITIES,
            Perm.NOMINATE,
        }
    ),
    Role.COUNCIL_MEMBER: frozenset(
        {Perm.VIEW_ORGS, Perm.VIEW_PEOPLE, Perm.VIEW_PROGRAMS, Perm.VOTE}
    ),
    Role.MEMBER: frozenset({Perm.VIEW_ORGS, Perm.VIEW_PROGRAMS}),
    Role.READ_ONLY: frozenset({Perm.VIEW_ORGS, Perm.VIEW_PEOPLE, Perm.EXPORT, Perm.VIEW_PROGRAMS}),
}

User = AbstractBaseUser | AnonymousUser


def granted_paths(user: User, perm: Perm) -> list[str]:
    """Tree paths of the subtrees where the user holds the permission (outermost only)."""
    if not user.is_authenticated or not user.is_active:
        return []
    if user.is_superuser:
        return [""]
    cache = user.__dict__.setdefault("_lantoa_grants", None)
    if cache is None:
        cache = list(user.role_grants.values_list("role", "organization__path"))
        user.__dict__["_lantoa_grants"] = cache
    paths = sorted({path for role, path in cache if perm in ROLE_PERMISSIONS.get(role, ())})
    outermost: list[str] = []
    for path in paths:
        if not any(path.startswith(outer) for outer in outermost):
            outermost.append(path)
    return outermost


def scope_q(user: User, perm: Perm, path_field: str = "path") -> Q:
    """A filter for rows whose organization path lies in the user's reach."""
    paths = granted_paths(user, perm)
    if not paths:
        return Q(pk__in=[])
    query = Q()
    for path in paths:
        query |= Q(**{f"{path_field}__startswith": path})
    return query


def can(user: User, perm: Perm, org: Organization | None = None) -> bool:
    """Whether the user holds the permission on the organization (or anywhere, if None)."""
    paths = granted_paths(user, perm)
    if org is None:
        return bool(paths)
    return any(org.path.startswith(path) for path in paths)


def visible_organizations(user: User, perm: Perm = Perm.VIEW_ORGS):
    return Organization.objects.filter(scope_q(user, perm))


def visible_people(user: User, perm: Perm = Perm.VIEW_PEOPLE):
    """People in the user's reach; a member always sees their own record."""
    query = scope_q(user, perm, "organization__path")
    if user.is_authenticated:
        query |= Q(account=user)
    return Person.objects.filter(query)


def can_view_person(user: User, person: Person, perm: Perm = Perm.VIEW_PEOPLE) -> bool:
    if user.is_authenticated and person.account_id == user.pk and perm == Perm.VIEW_PEOPLE:
        return True
    return person.organization is not None and can(user, perm, person.organization)
