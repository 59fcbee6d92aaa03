"""Shared helpers of the document tests (this module holds no test): a catalog like the
Cà Mau case's, real PDF and DOCX bytes, and short ways to register documents."""

import datetime
import io
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from lantoa.orgs.models import Organization
from lantoa.programs.models import Document, DocumentSystem, DocumentType, Issuer, Term
from lantoa.programs.services import documents as services

D = datetime.date
PARTY, STATE = DocumentSystem.PARTY, DocumentSystem.STATE


@dataclass
class Catalog:
    tw: Issuer  # Trung ương
    tu: Issuer  # Tỉnh ủy Cà Mau
    du: Issuer  # our committee's Đảng ủy (linked to the tree's root)
    ubnd: Issuer
    cp: Issuer
    qh: Issuer
    ct: DocumentType
    kh: DocumentType
    ctr: DocumentType
    qd: DocumentType
    state_qd: DocumentType
    nd: DocumentType
    law: DocumentType
    tw_xi: Term  # 2011–2016
    tw_xii: Term  # 2016–2021
    tu_xv: Term  # 2015–2020
    du_ix: Term  # 2015–2020
    du_x: Term  # 2020–2025


def make_catalog(our_organization: Organization) -> Catalog:
    def issuer(system, code, name, organization=None):
        return Issuer.objects.create(system=system, code=code, name=name, organization=organization)

    def doc_type(system, code, name):
        return DocumentType.objects.create(system=system, code=code, name=name)

    tw = issuer(PARTY, "TW", "Ban Chấp hành Trung ương")
    tu = issuer(PARTY, "TU", "Tỉnh ủy Cà Mau")
    du = issuer(PARTY, "ĐU", "Đảng ủy Dân Chính Đảng tỉnh", our_organization)

    def term(issuer_, code, start, end):
        return Term.objects.create(
            issuer=issuer_, code=code, name=f"{issuer_.code} {code}", start_date=start, end_date=end
        )

    return Catalog(
        tw=tw,
        tu=tu,
        du=du,
        ubnd=issuer(STATE, "UBND", "Ủy ban nhân dân tỉnh Cà Mau"),
        cp=issuer(STATE, "CP", "Chính phủ"),
        qh=issuer(STATE, "QH15", "Quốc hội khóa XV"),
        ct=doc_type(PARTY, "CT", "Chỉ thị"),
        kh=doc_type(PARTY, "KH", "Kế hoạch"),
        ctr=doc_type(PARTY, "CTr", "Chương trình"),
        qd=doc_type(PARTY, "QĐ", "Quyết định"),
        state_qd=doc_type(STATE, "QĐ", "Quyết định"),
        nd=doc_type(STATE, "NĐ", "Nghị định"),
        law=doc_type(STATE, "L", "Luật"),
        tw_xi=term(tw, "XI", D(2011, 1, 19), D(2016, 1, 27)),
        tw_xii=term(tw, "XII", D(2016, 1, 28), D(2021, 1, 31)),
        tu_xv=term(tu, "XV", D(2015, 10, 1), D(2020, 10, 15)),
        du_ix=term(du, "IX", D(2015, 7, 1), D(2020, 7, 15)),
        du_x=term(du, "X", D(2020, 7, 16), D(2025, 6, 30)),
    )


def pdf_bytes(text: bytes = b"Lan Toa") -> bytes:
    """A small, well-formed PDF with one page."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
        b"<< /Title (" + text + b") >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 4 0 R >>\n" % (len(objects) + 1)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
CONTENT_TYPES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels"'
    ' ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="{main}"/>'
    "</Types>"
)
RELS_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Target="word/document.xml" Type="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships/officeDocument"/></Relationships>'
)
DOCUMENT_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    "<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"
)


def docx_bytes(text: str = "Kế hoạch", main: str = WORD_MAIN, extra: int = 0) -> bytes:
    """A minimal Word document, built by hand as python-docx would write it."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:

        def write(name: str, data: str) -> None:
            # A fixed timestamp: the same document gives the same bytes whenever it is built.
            entry = zipfile.ZipInfo(name, date_time=(2016, 5, 15, 0, 0, 0))
            archive.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)

        write("[Content_Types].xml", CONTENT_TYPES_XML.format(main=main))
        write("_rels/.rels", RELS_XML)
        write("word/document.xml", DOCUMENT_XML.format(text=text))
        for index in range(extra):
            write(f"word/media/extra{index}.xml", "<x/>")
    return buffer.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def upload(name: str = "van-ban.pdf", content: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes() if content is None else content)


def register(by, symbol: str, *, title: str = "Văn bản", **fields) -> Document:
    """A document registered from its symbol through the service."""
    fields.setdefault("issued_on", None)
    return services.register_document(by=by, symbol=symbol, title=title, **fields)


def case_chain(by, catalog: Catalog) -> dict[str, Document]:
    """The Cà Mau chain: 05-CT/TW → 03-KH/TW (2016) → 29-KH/TU → our plan and program."""
    ct05 = register(by, "05-CT/TW", issued_on=D(2016, 5, 15), title="Đẩy mạnh học tập và làm theo")
    kh03 = register(
        by, "03-KH/TW", issued_on=D(2016, 6, 20), title="Thực hiện Chỉ thị 05", implements=[ct05]
    )
    kh29 = register(
        by,
        "Số 29-KH/TU",
        issued_on=D(2016, 8, 1),
        title="Học tập, quán triệt",
        implements=[ct05, kh03],
    )
    plan = services.register_own_document(
        by=by,
        organization=catalog.du.organization,
        doc_type=catalog.kh,
        issued_on=D(2016, 9, 1),
        title="Kế hoạch thực hiện",
        implements=[kh29],
    )
    program = services.register_own_document(
        by=by,
        organization=catalog.du.organization,
        doc_type=catalog.ctr,
        issued_on=D(2016, 9, 5),
        title="Chương trình hành động",
        implements=[kh29],
    )
    return {"ct05": ct05, "kh03": kh03, "kh29": kh29, "plan": plan, "program": program}
