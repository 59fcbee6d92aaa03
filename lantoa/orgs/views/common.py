"""Helpers shared by the views of this app: scoped lookups and the scope filter."""

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from lantoa.orgs.models import Organization, Person
from lantoa.orgs.rules import Perm, can, can_view_person, scope_q, visible_people
from lantoa.orgs.scope import current_scope


def scoped_org_q(request: HttpRequest, perm: Perm = Perm.VIEW_ORGS, field: str = "path") -> Q:
    """Rows in the user's grants, narrowed to the scope chosen in the scope bar."""
    query = scope_q(request.user, perm, field)
    scope = current_scope(request)
    if scope is not None:
        query &= Q(**{f"{field}__startswith": scope.path})
    return query


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
    query = visible_people(request.user)
    scope = current_scope(request)
    if scope is not None:
        query = query.filter(organization__path__startswith=scope.path)
    return query
