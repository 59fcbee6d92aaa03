"""Helpers shared by the views of this app: scoped lookups and the scope filter."""

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from lantoa.orgs.models import Organization, Person
from lantoa.orgs.queries import in_subtree_q
from lantoa.orgs.rules import Perm, can, can_view_person, granted_paths, scope_q, visible_people
from lantoa.orgs.scope import current_scope


def scoped_org_q(request: HttpRequest, perm: Perm = Perm.VIEW_ORGS, field: str = "path") -> Q:
    """Rows in the user's grants, narrowed to the scope chosen in the scope bar."""
    query = scope_q(request.user, perm, field)
    scope = current_scope(request)
    if scope is not None:
        query &= Q(**{f"{field}__startswith": scope.path})
    return query


def scope_root_paths(request: HttpRequest, perm: Perm = Perm.VIEW_ORGS) -> list[str]:
    """Paths of the top organizations of `scoped_org_q`'s rows ("" stands for every root).

    Read from the grants and the chosen scope rather than from the rows themselves.
    """
    paths = granted_paths(request.user, perm)
    scope = current_scope(request)
    if scope is None:
        return paths
    if any(scope.path.startswith(path) for path in paths):
        return [scope.path]
    return [path for path in paths if path.startswith(scope.path)]


def get_org(request: HttpRequest, pk: int | str, perm: Perm = Perm.VIEW_ORGS) -> Organization:
    """An organization the user may see; others (and malformed ids) answer 404."""
    if not str(pk).isdigit():
        raise Http404
    org = get_object_or_404(Organization, pk=int(pk))
    if not can(request.user, perm, org):
        raise Http404
    return org


def get_person(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW_PEOPLE) -> Person:
    person = get_object_or_404(Person.objects.select_related("organization"), pk=pk)
    if not can_view_person(request.user, person, perm):
        raise Http404
    return person


def people_in_view(request: HttpRequest) -> QuerySet[Person]:
    user = request.user
    if granted_paths(user, Perm.VIEW_PEOPLE) == [""]:
        # A grant on the whole tree: `visible_people`'s rows, without its join to every
        # organization for a `path LIKE '%'` that holds for anyone with an organization.
        return _in_scope(
            request, Person.objects.filter(Q(organization__isnull=False) | Q(account=user))
        )
    return _in_scope(request, visible_people(user))


def people_in_scope(request: HttpRequest) -> QuerySet[Person]:
    """Everyone in the scope chosen in the scope bar, before the user's grants apply: only
    for a filter already within the grants (an organization the user may view)."""
    return _in_scope(request, Person.objects.all())


def _in_scope(request: HttpRequest, query: QuerySet[Person]) -> QuerySet[Person]:
    scope = current_scope(request)
    if scope is not None:
        query = query.filter(in_subtree_q(scope.path))
    return query
