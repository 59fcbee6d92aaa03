"""Documents of direction and what units and members register (unit models, personal
commitments), as the pages list them."""

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router
from ninja.pagination import paginate

from lantoa.api.pagination import Listing, Pages
from lantoa.api.routers.common import answers, org_or_none, text
from lantoa.api.schemas import CommitmentOut, DocumentOut, UnitModelOut
from lantoa.core.text import search_key
from lantoa.orgs.queries import subtree_q
from lantoa.orgs.rules import Perm, scope_q
from lantoa.programs.models import (
    Commitment,
    CommitmentStatus,
    DocumentSystem,
    UnitModel,
    UnitModelStatus,
)
from lantoa.programs.models.registration import YEAR_MAX, YEAR_MIN
from lantoa.programs.queries import registration as registration_queries
from lantoa.programs.views.documents import filtered_documents

router = Router(tags=["documents"])
registrations = Router(tags=["registrations"])


def document_out(d) -> DocumentOut:
    return DocumentOut(
        id=d.pk,
        system=d.system,
        symbol=d.symbol,
        number=d.number,
        doc_type=d.doc_type.code,
        doc_type_name=d.doc_type.name,
        issuer=d.issuer.code,
        issuer_name=d.issuer.name,
        term=d.term.code if d.term_id else None,
        year=d.year,
        issued_on=d.issued_on,
        title=d.title,
        summary=d.summary,
        organization_code=d.organization.code if d.organization_id else None,
        has_file=bool(d.file),
    )


@router.get("/documents", response=answers(list[DocumentOut]))
@paginate(Pages)
def documents(
    request: HttpRequest,
    q: str | None = None,
    system: DocumentSystem | None = None,
    doc_type: int | None = Query(None, alias="type", ge=1, le=2**31 - 1),
    issuer: int | None = Query(None, ge=1, le=2**31 - 1),
    term: int | None = Query(None, ge=1, le=2**31 - 1),
    year: int | None = Query(None, ge=1, le=9999),
):
    """Documents reaching the account's subtrees (higher documents, their own, and those
    of the committees above), latest first; the documents page's search and filters
    (`q` finds a symbol as printed, or words of the title without diacritics)."""
    found, _filters = filtered_documents(request)  # reads the same query string
    rows = found.select_related("doc_type", "issuer", "term", "organization")
    return Listing(rows, lambda page: [document_out(d) for d in page])


def unit_model_out(m: UnitModel) -> UnitModelOut:
    return UnitModelOut(
        id=m.pk,
        organization_code=m.organization.code,
        organization_name=m.organization.name,
        year_from=m.year_from,
        year_to=m.year_to,
        title=m.title,
        content=m.content,
        responsible=m.responsible.full_name if m.responsible_id else None,
        status=m.status,
        result=m.result,
        comments=m.comments,
        evaluated_at=m.evaluated_at,
    )


@registrations.get("/registrations/unit-models", response=answers(list[UnitModelOut]))
@paginate(Pages)
def unit_models(
    request: HttpRequest,
    org: str | None = None,
    q: str | None = None,
    year: int | None = Query(None, ge=YEAR_MIN, le=YEAR_MAX),
    status: UnitModelStatus | None = None,
):
    """Unit models (mô hình) of organizations in reach: `org` (a code) keeps its subtree,
    `year` those carried out that year, `q` searches titles without diacritics."""
    unit = org_or_none(request, org, Perm.VIEW_PROGRAMS)
    found = UnitModel.objects.filter(
        scope_q(request.user, Perm.VIEW_PROGRAMS, "organization__path")
    )
    found = registration_queries.unit_models_filtered(
        found, text=text(q), year=year, status=status or "", org=unit
    )
    rows = found.order_by("-year_from", "organization__path", "id")
    return Listing(rows, lambda page: [unit_model_out(m) for m in page])


def commitments_in_reach(user) -> Q:
    """The commitment page's rule as a filter: the member's own; those of organizations
    whose programs and people the user may see; those the user may assess."""
    readable = scope_q(user, Perm.VIEW_PROGRAMS, "organization__path") & scope_q(
        user, Perm.VIEW_PEOPLE, "organization__path"
    )
    assessable = scope_q(user, Perm.MANAGE_REGISTRATIONS, "organization__path") | scope_q(
        user, Perm.MANAGE_REGISTRATIONS, "person__organization__path"
    )
    own = Q(person__account_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    return readable | assessable | own


def commitment_out(c: Commitment) -> CommitmentOut:
    return CommitmentOut(
        id=c.pk,
        year=c.year,
        person_id=c.person_id,
        person_code=c.person.code,
        person_name=c.person.full_name,
        organization_code=c.organization.code,
        status=c.status,
        submitted_at=c.submitted_at,
        items=[item.text for item in c.items.all()],
        self_result=c.self_result,
        self_assessment=c.self_assessment,
        cell_result=c.cell_result,
        cell_assessment=c.cell_assessment,
    )


@registrations.get("/registrations/commitments", response=answers(list[CommitmentOut]))
@paginate(Pages)
def commitments(
    request: HttpRequest,
    org: str | None = None,
    q: str | None = None,
    year: int | None = Query(None, ge=YEAR_MIN, le=YEAR_MAX),
    status: CommitmentStatus | None = None,
):
    """Members' personal commitments (bản đăng ký làm theo), latest year first: `org` (a
    code) keeps those registered in its subtree, `q` searches the member's name."""
    unit = org_or_none(request, org, Perm.VIEW_PROGRAMS)
    found = Commitment.objects.filter(commitments_in_reach(request.user))
    if unit is not None:
        found = found.filter(subtree_q(unit.path, "organization__path"))
    if year is not None:
        found = found.filter(year=year)
    if status:
        found = found.filter(status=status)
    key = search_key(text(q))
    if key:
        found = found.filter(person__search_key__contains=key)
    rows = (
        found.select_related("person", "organization")
        .prefetch_related("items")
        .order_by("-year", "organization__path", "person__sort_key", "id")
    )
    return Listing(rows, lambda page: [commitment_out(c) for c in page])
