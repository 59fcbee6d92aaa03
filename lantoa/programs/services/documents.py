"""What users do with documents: number our own, register higher ones from their symbol,
edit them and link them ("implements"); and the read side of the implements chain.

Every write checks the permission, validates everything (collecting all the errors),
then writes inside one transaction: a refused input leaves nothing behind, not even a file.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from lantoa.core.errors import ValidationError, require
from lantoa.core.text import nfc
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, User, can
from lantoa.programs.models import (
    Document,
    DocumentSystem,
    DocumentType,
    Issuer,
    NumberCounter,
    Term,
)
from lantoa.programs.numbering import ParsedSymbol, SymbolError, format_symbol, parse_symbol
from lantoa.programs.uploads import CheckedFile, check_document_file

__all__ = [
    "ChainNode",
    "can_manage_document",
    "can_view_document",
    "implements_chain",
    "next_number",
    "own_issuer",
    "register_document",
    "register_own_document",
    "term_for",
    "update_document",
]

MAX_CHAIN_EDGES = 1000
MAX_CHAIN_DEPTH = 20


# --- who may ------------------------------------------------------------------------------


def can_view_document(user: User, document: Document) -> bool:
    return Document.objects.visible_to(user).filter(pk=document.pk).exists()


def can_manage_document(user: User, document: Document) -> bool:
    """Higher documents: anyone who manages documents; ours: on the owner organization."""
    return can(user, Perm.MANAGE_DOCUMENTS, document.organization)


# --- numbers ------------------------------------------------------------------------------


def next_number(issuer: Issuer, doc_type: DocumentType, term: Term) -> int:
    """The next number of our documents of this type, by this issuer, in this term.

    Safe under concurrent requests: the counter row is locked until the caller's
    transaction ends (SELECT … FOR UPDATE on PostgreSQL; on SQLite every transaction takes
    the write lock first, `transaction_mode = IMMEDIATE`). A number given in a transaction
    that rolls back is given again, since nothing used it.
    """
    key = {"issuer": issuer, "doc_type": doc_type, "term": term}
    with transaction.atomic():
        _ensure_counter(key)
        counter = NumberCounter.objects.select_for_update().get(**key)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        return counter.last_number


def _ensure_counter(key: dict[str, Any]) -> None:
    """Create the counter row if missing, starting after the numbers already registered."""
    if NumberCounter.objects.filter(**key).exists():
        return
    used = Document.objects.filter(system=DocumentSystem.PARTY, **key).aggregate(n=Max("number"))
    try:
        with transaction.atomic():
            NumberCounter.objects.create(last_number=used["n"] or 0, **key)
    except IntegrityError:
        pass  # created by a concurrent request in the meantime: use theirs


def _advance_counter(key: dict[str, Any], number: int) -> None:
    """After one of our documents is registered with a number typed in, the counter must
    not give that number again."""
    _ensure_counter(key)
    counter = NumberCounter.objects.select_for_update().get(**key)
    if counter.last_number < number:
        counter.last_number = number
        counter.save(update_fields=["last_number"])


# --- catalogs -----------------------------------------------------------------------------


def own_issuer(organization: Organization) -> Issuer | None:
    """The issuer code of an organization managed here (its party committee: ĐU...)."""
    return (
        Issuer.objects.filter(organization=organization, system=DocumentSystem.PARTY)
        .order_by("pk")
        .first()
    )


def term_for(issuer: Issuer, day: datetime.date | None) -> Term | None:
    """The issuer's term containing the day; a term of no issuer if it has none."""
    if day is None:
        return None
    terms = Term.objects.filter(Q(issuer=issuer) | Q(issuer__isnull=True)).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=day), start_date__lte=day
    )
    return min(
        terms, key=lambda term: (term.issuer_id is None, -term.start_date.toordinal()), default=None
    )


# --- validation ---------------------------------------------------------------------------


class _Errors:
    """Field errors collected before raising them together."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, name: str, message: str | Iterable[str]) -> None:
        messages = [message] if isinstance(message, str) else list(message)
        self.by_field.setdefault(name, []).extend(messages)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


@dataclass
class _Identity:
    """What identifies a document, and its symbol written from it."""

    system: str
    number: int
    doc_type: DocumentType
    issuer: Issuer
    term: Term | None
    year: int | None
    symbol: str
    organization: Organization | None = None

    def q(self) -> Q:
        common = {"issuer": self.issuer, "doc_type": self.doc_type, "number": self.number}
        if self.system == DocumentSystem.PARTY:
            return Q(system=self.system, term=self.term, **common)
        return Q(system=self.system, year=self.year, **common)


def _check_title(title: str, errors: _Errors) -> None:
    if not nfc(title or ""):
        errors.add("title", _("Enter the title of the document."))


def _check_file(file: UploadedFile | None, errors: _Errors) -> CheckedFile | None:
    if not file:
        return None
    try:
        return check_document_file(file)
    except ValidationError as error:
        errors.add("file", error.messages)
        return None


def _check_type_valid(doc_type: DocumentType, day: datetime.date | None, errors: _Errors) -> None:
    if day is None:
        return
    if (doc_type.valid_from and day < doc_type.valid_from) or (
        doc_type.valid_to and day > doc_type.valid_to
    ):
        errors.add(
            "doc_type",
            _("The document type %(type)s is not in use on the date issued.")
            % {"type": doc_type.code},
        )


def _check_term(
    term: Term | None, issuer: Issuer, day: datetime.date | None, errors: _Errors
) -> Term | None:
    """The term of a party document: the one chosen, or the issuer's term of the date."""
    term = term or term_for(issuer, day)
    if term is None:
        errors.add(
            "term",
            _(
                "Choose the term: party document numbers restart every term, and no term of "
                "%(issuer)s covers the date issued."
            )
            % {"issuer": issuer.code},
        )
        return None
    if term.issuer_id not in (None, issuer.pk):
        errors.add(
            "term",
            _("The term %(term)s is a term of another issuer.") % {"term": term},
        )
    elif day is not None and not term.contains(day):
        errors.add(
            "issued_on",
            _("The date issued is outside the term %(term)s.") % {"term": term},
        )
    return term


def _state_year(parsed: ParsedSymbol, day: datetime.date | None, errors: _Errors) -> int | None:
    if parsed.year is not None and day is not None and day.year != parsed.year:
        errors.add(
            "issued_on",
            _("The date issued is not in %(year)d, the year written in the symbol.")
            % {"year": parsed.year},
        )
    year = parsed.year or (day.year if day else None)
    if year is None:
        errors.add(
            "issued_on",
            _("Enter the date issued: state document numbers restart every year."),
        )
    return year


def _symbol_issuer(parsed: ParsedSymbol, chosen: Issuer | None, errors: _Errors) -> Issuer | None:
    system = DocumentSystem(parsed.system).label
    candidates = list(Issuer.objects.filter(system=parsed.system, code=parsed.issuer_code))
    if not candidates:
        errors.add(
            "symbol",
            _("The issuer “%(code)s” is not in the catalog of issuers (%(system)s).")
            % {"code": parsed.issuer_code, "system": system},
        )
        return None
    if chosen is not None:
        if chosen.pk in {issuer.pk for issuer in candidates}:
            return chosen
        errors.add(
            "issuer",
            _("The issuer chosen does not use the code “%(code)s” of the symbol.")
            % {"code": parsed.issuer_code},
        )
        return None
    if len(candidates) > 1:
        errors.add(
            "issuer",
            _("Several issuers use the code “%(code)s”: choose one.")
            % {"code": parsed.issuer_code},
        )
        return None
    return candidates[0]


def _symbol_type(
    parsed: ParsedSymbol, chosen: DocumentType | None, errors: _Errors
) -> DocumentType | None:
    system = DocumentSystem(parsed.system).label
    if not parsed.type_code:
        if chosen is None or chosen.system != parsed.system:
            errors.add(
                "doc_type",
                _("This symbol has no document type (a law, for example): choose the type."),
            )
            return None
        return chosen
    found = DocumentType.objects.filter(system=parsed.system, code=parsed.type_code).first()
    if found is None:
        errors.add(
            "symbol",
            _("The document type “%(code)s” is not in the catalog of document types (%(system)s).")
            % {"code": parsed.type_code, "system": system},
        )
        return None
    if chosen is not None and chosen.pk != found.pk:
        errors.add(
            "doc_type",
            _("The type chosen differs from the type “%(code)s” of the symbol.")
            % {"code": parsed.type_code},
        )
    return found


def _identity_from_symbol(
    by: User,
    symbol: str,
    *,
    issuer: Issuer | None,
    doc_type: DocumentType | None,
    term: Term | None,
    issued_on: datetime.date | None,
    errors: _Errors,
) -> _Identity | None:
    try:
        parsed = parse_symbol(symbol)
    except SymbolError as error:
        errors.add("symbol", error.message)
        return None
    found_issuer = _symbol_issuer(parsed, issuer, errors)
    found_type = _symbol_type(parsed, doc_type, errors)
    if found_issuer is None or found_type is None:
        return None
    _check_type_valid(found_type, issued_on, errors)
    owner = found_issuer.organization
    if owner is not None and not can(by, Perm.MANAGE_DOCUMENTS, owner):
        errors.add("symbol", _("You may not register documents of this issuer."))
    if parsed.system == DocumentSystem.PARTY:
        found_term, year = _check_term(term, found_issuer, issued_on, errors), None
    else:
        found_term, year = term, _state_year(parsed, issued_on, errors)
    return _Identity(
        system=parsed.system,
        number=parsed.number,
        doc_type=found_type,
        issuer=found_issuer,
        term=found_term,
        year=year,
        symbol=format_symbol(parsed),
        organization=owner,
    )


def _check_unique(identity: _Identity, document: Document | None, errors: _Errors) -> None:
    clash = Document.objects.filter(identity.q())
    if document is not None and document.pk:
        clash = clash.exclude(pk=document.pk)
    if not clash.exists():
        return
    if identity.system == DocumentSystem.PARTY:
        message = _("%(symbol)s is already registered in the term %(term)s.") % {
            "symbol": identity.symbol,
            "term": identity.term,
        }
    else:
        message = _("%(symbol)s of %(year)d is already registered.") % {
            "symbol": identity.symbol,
            "year": identity.year,
        }
    errors.add("symbol", message)


def _check_implements(
    document: Document | None, targets: Iterable[Document], errors: _Errors
) -> list[Document]:
    targets = list(targets)
    if document is None or document.pk is None:
        return targets
    ids = {target.pk for target in targets}
    if document.pk in ids:
        errors.add("implements", _("A document cannot implement itself."))
    below = {dst for _src, dst in _walk(document.pk, down=True)}
    for target in targets:
        if target.pk in below:
            errors.add(
                "implements",
                _("%(symbol)s already implements this document, directly or through others.")
                % {"symbol": target.symbol},
            )
    return targets


# --- writing ------------------------------------------------------------------------------


def _insert_or_update(document: Document) -> None:
    """Save the row; a clash with a document saved at the same time becomes a field error."""
    try:
        with transaction.atomic():
            document.save()
    except IntegrityError as error:
        raise ValidationError(
            {"symbol": _("%(symbol)s is already registered.") % {"symbol": document.symbol}}
        ) from error


def _store_file(document: Document, file: UploadedFile, checked: CheckedFile) -> None:
    """Write the file and record it: the last step of a write, so that an error before it
    leaves no file behind; the file replaced is deleted once the transaction commits."""
    previous = document.file.name
    document.file_type = checked.kind
    document.file_size = checked.size
    document.file_name = nfc((file.name or "").replace("\\", "/").rsplit("/", 1)[-1])[:255]
    document.file = file
    try:
        with transaction.atomic():
            document.save(update_fields=["file", "file_type", "file_size", "file_name"])
    except Exception:
        if document.file.name and document.file.name != previous and document.file._committed:
            document.file.storage.delete(document.file.name)
        raise
    if previous:
        storage = document.file.storage
        transaction.on_commit(lambda: storage.delete(previous))


def _apply_identity(document: Document, identity: _Identity) -> None:
    for name in ("system", "number", "doc_type", "issuer", "term", "year", "symbol"):
        setattr(document, name, getattr(identity, name))
    document.organization = identity.organization


@transaction.atomic
def register_own_document(
    *,
    by: User,
    organization: Organization,
    doc_type: DocumentType,
    title: str,
    issued_on: datetime.date,
    summary: str = "",
    term: Term | None = None,
    file: UploadedFile | None = None,
    implements: Iterable[Document] = (),
) -> Document:
    """A document of one of our organizations, numbered by the counter of its type."""
    require(can(by, Perm.MANAGE_DOCUMENTS, organization))
    errors = _Errors()
    if organization.archived:
        errors.add("organization", _("This organization is archived."))
    issuer = own_issuer(organization)
    if issuer is None:
        errors.add(
            "organization",
            _("This organization has no issuer code in the catalog: ask an administrator."),
        )
    if doc_type.system != DocumentSystem.PARTY:
        errors.add("doc_type", _("Choose a party document type."))
    _check_type_valid(doc_type, issued_on, errors)
    if issuer is not None:
        term = _check_term(term, issuer, issued_on, errors)
    _check_title(title, errors)
    checked = _check_file(file, errors)
    targets = _check_implements(None, implements, errors)
    errors.raise_any()
    number = next_number(issuer, doc_type, term)
    parsed = ParsedSymbol(DocumentSystem.PARTY.value, number, doc_type.code, issuer.code)
    document = Document(
        system=DocumentSystem.PARTY,
        number=number,
        doc_type=doc_type,
        issuer=issuer,
        term=term,
        symbol=format_symbol(parsed),
        issued_on=issued_on,
        title=title,
        summary=summary,
        organization=organization,
        numbered_here=True,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _insert_or_update(document)
    document.implements.set(targets)
    if checked is not None:
        _store_file(document, file, checked)
    return document


@transaction.atomic
def register_document(
    *,
    by: User,
    symbol: str,
    title: str,
    issued_on: datetime.date | None = None,
    summary: str = "",
    term: Term | None = None,
    issuer: Issuer | None = None,
    doc_type: DocumentType | None = None,
    file: UploadedFile | None = None,
    implements: Iterable[Document] = (),
) -> Document:
    """A document known by its number and symbol (a higher body's, or one of ours issued
    before Lan Tỏa): the symbol is parsed and its type and issuer found in the catalogs."""
    require(can(by, Perm.MANAGE_DOCUMENTS))
    errors = _Errors()
    identity = _identity_from_symbol(
        by,
        symbol,
        issuer=issuer,
        doc_type=doc_type,
        term=term,
        issued_on=issued_on,
        errors=errors,
    )
    if identity is not None:
        _check_unique(identity, None, errors)
    _check_title(title, errors)
    checked = _check_file(file, errors)
    targets = _check_implements(None, implements, errors)
    errors.raise_any()
    document = Document(
        issued_on=issued_on,
        title=title,
        summary=summary,
        created_by=by if getattr(by, "is_authenticated", False) else None,
    )
    _apply_identity(document, identity)
    _insert_or_update(document)
    _follow_counter(identity)
    document.implements.set(targets)
    if checked is not None:
        _store_file(document, file, checked)
    return document


def _follow_counter(identity: _Identity) -> None:
    if identity.organization is not None and identity.system == DocumentSystem.PARTY:
        key = {"issuer": identity.issuer, "doc_type": identity.doc_type, "term": identity.term}
        _advance_counter(key, identity.number)


@transaction.atomic
def update_document(
    document: Document,
    *,
    by: User,
    title: str,
    issued_on: datetime.date | None,
    summary: str = "",
    file: UploadedFile | None = None,
    implements: Iterable[Document] | None = None,
    symbol: str | None = None,
    term: Term | None = None,
    issuer: Issuer | None = None,
    doc_type: DocumentType | None = None,
) -> Document:
    """Correct a document. The number of one numbered here stays; a document registered
    from its symbol may have the symbol (and term) corrected."""
    require(can_manage_document(by, document))
    document = Document.objects.select_for_update().get(pk=document.pk)
    errors = _Errors()
    identity = None
    if document.numbered_here:
        _check_type_valid(document.doc_type, issued_on, errors)
        if issued_on is not None and document.term and not document.term.contains(issued_on):
            errors.add(
                "issued_on",
                _("The date issued is outside the term %(term)s.") % {"term": document.term},
            )
    elif symbol is not None:
        identity = _identity_from_symbol(
            by,
            symbol,
            issuer=issuer,
            doc_type=doc_type,
            term=term,
            issued_on=issued_on,
            errors=errors,
        )
        if identity is not None:
            _check_unique(identity, document, errors)
    _check_title(title, errors)
    checked = _check_file(file, errors)
    targets = _check_implements(document, implements, errors) if implements is not None else None
    errors.raise_any()
    if identity is not None:
        _apply_identity(document, identity)
    document.title, document.summary, document.issued_on = title, summary, issued_on
    _insert_or_update(document)
    if identity is not None:
        _follow_counter(identity)
    if targets is not None:
        document.implements.set(targets)
    if checked is not None:
        _store_file(document, file, checked)
    return document


# --- the implements chain -----------------------------------------------------------------


@dataclass
class ChainNode:
    document: Document
    children: list["ChainNode"] = field(default_factory=list)


def _walk(start: int, *, down: bool) -> list[tuple[int, int]]:
    """Edges (from, to) of "implements" reachable from a document, in one recursive query:
    up (what it implements, and so on to the top) or down (what implements it, and so on).
    UNION drops repeated edges, so a cycle in bad data still ends."""
    table = connection.ops.quote_name(Document.implements.through._meta.db_table)
    near, far = (
        ("to_document_id", "from_document_id")
        if down
        else (
            "from_document_id",
            "to_document_id",
        )
    )
    # Only quoted names of our own table and columns are formatted in; values are parameters.
    sql = (
        f"WITH RECURSIVE walk(near, far) AS ("  # noqa: S608
        f" SELECT {near}, {far} FROM {table} WHERE {near} = %s"
        f" UNION SELECT t.{near}, t.{far} FROM {table} t JOIN walk w ON t.{near} = w.far"
        f") SELECT near, far FROM walk LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, MAX_CHAIN_EDGES])
        return [(near_id, far_id) for near_id, far_id in cursor.fetchall()]


def implements_chain(document: Document, user: User) -> tuple[list[ChainNode], list[ChainNode]]:
    """What the document implements, up to the top, and what implements it, down to the
    bottom, as trees of the documents the user may see: three queries in all."""
    up, down = _walk(document.pk, down=False), _walk(document.pk, down=True)
    ids = {far for _near, far in up} | {far for _near, far in down}
    documents = {}
    if ids:
        documents = (
            Document.objects.visible_to(user)
            .filter(pk__in=ids)
            .select_related("doc_type", "issuer", "term")
            .in_bulk()
        )
    return (
        _tree(document.pk, _adjacency(up), documents),
        _tree(document.pk, _adjacency(down), documents),
    )


def _adjacency(edges: list[tuple[int, int]]) -> dict[int, list[int]]:
    following: dict[int, list[int]] = {}
    for near, far in edges:
        following.setdefault(near, []).append(far)
    return following


def _tree(
    root: int,
    following: dict[int, list[int]],
    documents: dict[int, Document],
    trail: frozenset[int] = frozenset(),
) -> list[ChainNode]:
    """The documents after `root`, each with its own; a document already on the way from
    the top (bad data: a cycle) is not repeated, and the depth is capped."""
    if len(trail) >= MAX_CHAIN_DEPTH:
        return []
    trail = trail | {root}
    nodes = [
        ChainNode(documents[far], _tree(far, following, documents, trail))
        for far in following.get(root, [])
        if far in documents and far not in trail
    ]
    return sorted(
        nodes,
        key=lambda node: (node.document.issued_on or datetime.date.min, node.document.symbol),
    )
