"""Organizations and people, as the tree and the people list show them."""

from django.db.models import Q
from django.http import Http404, HttpRequest
from ninja import Router
from ninja.pagination import paginate

from lantoa.api.pagination import Listing, Pages
from lantoa.api.routers.common import answers, code_of, org_by_code, org_or_none, text
from lantoa.api.schemas import OrganizationOut, PersonOut
from lantoa.core.text import search_key
from lantoa.orgs import queries
from lantoa.orgs.models import Organization, Person
from lantoa.orgs.rules import (
    Perm,
    can_view_person,
    granted_paths,
    visible_organizations,
    visible_people,
)

router = Router(tags=["organizations"])
people_router = Router(tags=["people"])


def organization_items(nodes: list[Organization]) -> list[OrganizationOut]:
    """The page's organizations with their parents' codes and subtree member counts (two
    queries, whatever the page's size)."""
    step = Organization.steplen
    parents = {node.path[:-step] for node in nodes if node.depth > 1}
    codes = dict(Organization.objects.filter(path__in=parents).values_list("path", "code"))
    counts = queries.subtree_member_counts(nodes)
    return [
        OrganizationOut(
            code=node.code,
            name=node.name,
            short_name=node.short_name,
            kind=node.kind,
            host_name=node.host_name,
            host_kind=node.host_kind,
            parent_code=codes.get(node.path[:-step]) if node.depth > 1 else None,
            depth=node.depth,
            archived=node.archived,
            valid_from=node.valid_from,
            valid_to=node.valid_to,
            member_count=counts.get(node.path, 0),
        )
        for node in nodes
    ]


@router.get("/organizations", response=answers(list[OrganizationOut]))
@paginate(Pages)
def organizations(
    request: HttpRequest,
    org: str | None = None,
    q: str | None = None,
    archived: bool | None = None,
):
    """Organizations in the account's reach, in tree order: `org` (a code) keeps its
    subtree, `q` searches names and codes without diacritics."""
    found = visible_organizations(request.user)
    parent = org_or_none(request, org, Perm.VIEW_ORGS)
    if parent is not None:
        found = found.filter(queries.subtree_q(parent.path))
    key = search_key(text(q))
    if key:
        found = found.filter(search_key__contains=key)
    if archived is not None:
        found = found.filter(archived=archived)
    return Listing(found.order_by("path"), organization_items)


@router.get("/organizations/{code}", response=answers(OrganizationOut))
def organization(request: HttpRequest, code: str):
    return organization_items([org_by_code(request, code)])[0]


def person_out(person: Person) -> PersonOut:
    org = person.organization
    return PersonOut(
        id=person.pk,
        code=person.code,
        family_name=person.family_name,
        middle_name=person.middle_name,
        given_name=person.given_name,
        full_name=person.full_name,
        gender=person.gender,
        birth_date=person.birth_date,
        party_joined_on=person.party_joined_on,
        party_official_on=person.party_official_on,
        position=person.position,
        organization_code=org.code if org is not None else None,
        archived=person.archived,
    )


@people_router.get("/people", response=answers(list[PersonOut]))
@paginate(Pages)
def people(
    request: HttpRequest,
    org: str | None = None,
    q: str | None = None,
    archived: bool = False,
):
    """People in the account's reach sorted by name (Vietnamese order): `org` (a code)
    keeps its subtree, `q` searches names without diacritics, `archived=true` lists the
    archived too. Private data (citizen ID, phone, email) is never answered."""
    user = request.user
    unit = org_or_none(request, org, Perm.VIEW_PEOPLE)
    if unit is not None:
        found = Person.objects.filter(queries.in_subtree_q(unit.path))
    elif granted_paths(user, Perm.VIEW_PEOPLE) == [""]:
        found = Person.objects.filter(Q(organization__isnull=False) | Q(account=user))
    else:
        found = visible_people(user)
    if not archived:
        found = found.filter(archived=False)
    search = text(q)
    if search:
        found = queries.people_matching(found, search)
    rows = queries.LateRows(found.select_related("organization").sorted(), few=bool(search))
    return Listing(rows, lambda page: [person_out(p) for p in page])


@people_router.get("/people/{code}", response=answers(PersonOut))
def person(request: HttpRequest, code: str):
    """One person by personal code (e.g. the party card number)."""
    value = code_of(code)
    found = (
        Person.objects.select_related("organization").filter(code=value).first() if value else None
    )
    if found is None or not can_view_person(request.user, found):
        raise Http404
    return person_out(found)
