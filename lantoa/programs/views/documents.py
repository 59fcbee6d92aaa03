"""Pages of documents: the searchable list and its export, details with the implements
chain both ways, registration (a higher document by its symbol, or ours numbered by the
counter), correction and the file download."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lantoa.core.exports import export_response
from lantoa.core.forms import submit_once
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.orgs.rules import Perm, can, granted_paths, visible_organizations
from lantoa.orgs.scope import current_scope
from lantoa.programs.forms.documents import (
    EditDocumentForm,
    HigherDocumentForm,
    OwnDocumentForm,
    edit_initial,
)
from lantoa.programs.models import Document, DocumentSystem, DocumentType, Issuer, Term
from lantoa.programs.models.documents import reach_q
from lantoa.programs.numbering import SymbolError, format_symbol, parse_symbol
from lantoa.programs.services import documents as services
from lantoa.programs.uploads import CONTENT_TYPES

FILTERS = ("system", "type", "issuer", "term", "year")


def documents_in_view(request: HttpRequest) -> QuerySet[Document]:
    """Documents the user may see, narrowed to the scope chosen in the scope bar."""
    documents = Document.objects.visible_to(request.user)
    scope = current_scope(request)
    if scope is not None:
        documents = documents.filter(reach_q([scope.path]))
    return documents


def _reach(request: HttpRequest, field: str) -> Q:
    paths = granted_paths(request.user, Perm.VIEW_PROGRAMS)
    return reach_q(paths, field) if paths else Q(pk__in=[])


def issuers_in_view(request: HttpRequest) -> QuerySet[Issuer]:
    """Issuers outside Lan Tỏa, and ours within the user's reach (names of units aside
    are not shown)."""
    return Issuer.objects.filter(_reach(request, "organization__path")).order_by(
        "system", "code", "name"
    )


def terms_in_view(request: HttpRequest) -> QuerySet[Term]:
    return Term.objects.filter(_reach(request, "issuer__organization__path")).order_by(
        "-start_date", "name"
    )


def get_document(request: HttpRequest, pk: int, manage: bool = False) -> Document:
    """A document the user may see (or manage); others answer 404."""
    document = get_object_or_404(
        Document.objects.visible_to(request.user).select_related(
            "doc_type", "issuer", "term", "organization"
        ),
        pk=pk,
    )
    if manage and not services.can_manage_document(request.user, document):
        raise Http404
    return document


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def filtered_documents(request: HttpRequest) -> tuple[QuerySet[Document], dict[str, Any]]:
    """The list's search and filters, shared by the page and its export."""
    documents = documents_in_view(request)
    q = request.GET.get("q", "").strip()[:200]
    if q:
        documents = _search(documents, q)
    values = {name: _int_param(request, name) for name in FILTERS if name != "system"}
    system = request.GET.get("system", "")
    if system in DocumentSystem.values:
        documents = documents.filter(system=system)
    if values["type"] is not None:
        documents = documents.filter(doc_type_id=values["type"])
    if values["issuer"] is not None:
        documents = documents.filter(issuer_id=values["issuer"])
    if values["term"] is not None:
        documents = documents.filter(term_id=values["term"])
    year = values["year"]
    if year is not None and 1 <= year <= 9999:
        start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        documents = documents.filter(Q(year=year) | Q(issued_on__range=(start, end)))
    filters = {"q": q, "system": system if system in DocumentSystem.values else "", **values}
    return documents.order_by("-issued_on", "-id"), filters


def _search(documents: QuerySet[Document], text: str) -> QuerySet[Document]:
    """Symbol or title containing the text without diacritics; a whole symbol typed as
    printed ("Số 29-KH/TU") also finds the document by its normal form."""
    try:
        symbol = format_symbol(parse_symbol(text))
    except SymbolError:
        return documents.matching(text)
    return documents.filter(Q(symbol=symbol) | Q(search_key__contains=search_key(text)))


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    documents, filters = filtered_documents(request)
    page = paginate(request, documents.select_related("doc_type", "issuer", "term"))
    context = {
        "page": page,
        "filters": filters,
        "systems": DocumentSystem.choices,
        "types": DocumentType.objects.order_by("system", "code"),
        "issuers": issuers_in_view(request),
        "terms": terms_in_view(request),
        "query": query_without_page(request),
        "can_manage": can(request.user, Perm.MANAGE_DOCUMENTS),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "programs/documents/list.html", context)


@login_required
def document_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    documents, _filters = filtered_documents(request)
    documents = documents.select_related("doc_type", "issuer", "term", "organization")
    documents = documents.prefetch_related("implements")
    headers = [
        _("Number and symbol"),
        _("System"),
        _("Document type"),
        _("Issuer"),
        _("Term"),
        _("Year"),
        _("Date issued"),
        _("Title"),
        _("Owner organization"),
        _("Implements"),
    ]
    rows = (
        (
            d.symbol,
            d.get_system_display(),
            d.doc_type.name,
            d.issuer.name,
            str(d.term) if d.term else "",
            d.year,
            d.issued_on,
            d.title,
            d.organization.name if d.organization else "",
            ", ".join(sorted(target.symbol for target in d.implements.all())),
        )
        for d in documents.iterator(chunk_size=2000)
    )
    return export_response(
        request, filename_stem="van-ban", title=_("Documents"), headers=headers, rows=rows, fmt=fmt
    )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document(request, pk)
    up, down = services.implements_chain(document, request.user)
    context = {
        "document": document,
        "up": up,
        "down": down,
        "can_manage": services.can_manage_document(request.user, document),
    }
    return render(request, "programs/documents/detail.html", context)


def _choices(request: HttpRequest, exclude: Document | None = None) -> dict[str, QuerySet]:
    documents = documents_in_view(request)
    if exclude is not None:
        documents = documents.exclude(pk=exclude.pk)
    return {
        "documents": documents,
        "issuers": issuers_in_view(request),
        "terms": terms_in_view(request),
    }


def _render_form(request: HttpRequest, form, title: str, **extra: Any) -> HttpResponse:
    context = {"form": form, "title": title, **extra}
    return render(request, "programs/documents/form.html", context)


def _saved(request: HttpRequest, form, action) -> HttpResponse | None:
    response = submit_once(
        form, action, lambda document: reverse("programs:document_detail", args=[document.pk])
    )
    if response:
        messages.success(request, _("The document was saved."))
    return response


@login_required
def document_create(request: HttpRequest) -> HttpResponse:
    """Register a document by its number and symbol (a higher body's, usually)."""
    if not can(request.user, Perm.MANAGE_DOCUMENTS):
        raise Http404
    form = HigherDocumentForm(request.POST or None, request.FILES or None, **_choices(request))
    if form.is_valid():
        data = form.document_data()
        response = _saved(
            request, form, lambda: services.register_document(by=request.user, **data)
        )
        if response:
            return response
    return _render_form(request, form, _("Register a document"))


@login_required
def document_create_own(request: HttpRequest) -> HttpResponse:
    """A document of one of our organizations, numbered by the counter."""
    if not can(request.user, Perm.MANAGE_DOCUMENTS):
        raise Http404
    form = OwnDocumentForm(
        request.POST or None,
        request.FILES or None,
        organizations=visible_organizations(request.user, Perm.MANAGE_DOCUMENTS),
        **_choices(request),
    )
    if form.is_valid():
        data = form.document_data()
        response = _saved(
            request, form, lambda: services.register_own_document(by=request.user, **data)
        )
        if response:
            return response
    return _render_form(request, form, _("New document of ours, numbered automatically"))


@login_required
def document_edit(request: HttpRequest, pk: int) -> HttpResponse:
    document = get_document(request, pk, manage=True)
    form = EditDocumentForm(
        request.POST or None,
        request.FILES or None,
        initial=edit_initial(document),
        document=document,
        **_choices(request, exclude=document),
    )
    if form.is_valid():
        data = form.document_data()
        response = _saved(
            request, form, lambda: services.update_document(document, by=request.user, **data)
        )
        if response:
            return response
    return _render_form(request, form, _("Edit"), document=document)


@login_required
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    """The document's file, as an attachment, for those who may see the document."""
    document = get_document(request, pk)
    if not document.file:
        raise Http404
    try:
        handle = document.file.storage.open(document.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.download_name,
        content_type=CONTENT_TYPES.get(document.file_type, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
