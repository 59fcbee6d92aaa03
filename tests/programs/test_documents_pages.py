"""Document pages: who may open what, registration through the forms, the download's
headers, search and filters (shared by the export), and query-count guards."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.programs.models import Document, Issuer, NumberCounter, Term
from lantoa.programs.services import documents as services
from tests.programs.test_documents_support import (
    D,
    case_chain,
    docx_bytes,
    make_catalog,
    pdf_bytes,
    register,
    upload,
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def catalog(tree):
    return make_catalog(tree.root)


@pytest.fixture
def docs(tree, catalog, committee_staff):
    """The Cà Mau chain (files attached to two of them) and a document of the other unit."""
    chain = case_chain(committee_staff, catalog)
    services.update_document(
        chain["kh29"],
        by=committee_staff,
        title=chain["kh29"].title,
        issued_on=chain["kh29"].issued_on,
        file=upload("KH 29.pdf"),
    )
    services.update_document(
        chain["plan"],
        by=committee_staff,
        title=chain["plan"].title,
        issued_on=chain["plan"].issued_on,
        file=upload("ke-hoach.docx", docx_bytes()),
    )
    vnpt = Issuer.objects.create(
        system="party", code="ĐU", name="Đảng ủy Viễn thông", organization=tree.other
    )
    Term.objects.create(issuer=vnpt, code="I", name="VNPT I", start_date=D(2015, 1, 1))
    chain["other"] = register(
        committee_staff,
        "04-KH/ĐU",
        issuer=vnpt,
        issued_on=D(2017, 1, 1),
        title="Kế hoạch của Viễn thông",
        file=upload("vnpt.pdf", pdf_bytes(b"VNPT")),
    )
    for document in chain.values():
        document.refresh_from_db()
    return chain


def text_of(response) -> str:
    if "spreadsheetml" in response.get("Content-Type", ""):
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return "\n".join(
            " | ".join(str(value) for value in row if value is not None)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("latin-1")
    return response.content.decode()


# --- the permission table -----------------------------------------------------------------

C, S, V, OUT = "committee_staff", "base_secretary", "council_member", "outsider"
PAGES = {
    # page: (url from the documents, users who may open it)
    "list": (lambda d: reverse("programs:document_list"), {C, S, V}),
    "search": (lambda d: reverse("programs:document_list") + "?q=ke+hoach", {C, S, V}),
    "export": (lambda d: reverse("programs:document_export"), {C, S}),
    "higher_detail": (
        lambda d: reverse("programs:document_detail", args=[d["kh29"].pk]),
        {C, S, V},
    ),
    "our_detail": (lambda d: reverse("programs:document_detail", args=[d["plan"].pk]), {C, S, V}),
    "higher_file": (lambda d: reverse("programs:document_file", args=[d["kh29"].pk]), {C, S, V}),
    "our_file": (lambda d: reverse("programs:document_file", args=[d["plan"].pk]), {C, S, V}),
    "other_detail": (lambda d: reverse("programs:document_detail", args=[d["other"].pk]), {C, V}),
    "other_file": (lambda d: reverse("programs:document_file", args=[d["other"].pk]), {C, V}),
    "create": (lambda d: reverse("programs:document_create"), {C}),
    "create_own": (lambda d: reverse("programs:document_create_own"), {C}),
    "edit_higher": (lambda d: reverse("programs:document_edit", args=[d["kh29"].pk]), {C}),
    "edit_ours": (lambda d: reverse("programs:document_edit", args=[d["plan"].pk]), {C}),
}


@pytest.fixture
def users(committee_staff, base_secretary, council_member, outsider):
    return {C: committee_staff, S: base_secretary, V: council_member, OUT: outsider}


@pytest.mark.parametrize("who", [C, S, V, OUT])
@pytest.mark.parametrize("page", PAGES)
def test_permission_table(client, docs, users, who, page):
    url_of, allowed = PAGES[page]
    client.force_login(users[who])

    response = client.get(url_of(docs))

    assert response.status_code == (200 if who in allowed else 404), (who, page)
    if who == S:  # the base organization's staff never sees the sibling unit's document
        body = text_of(response)
        assert "Viễn thông" not in body
        assert "04-KH/ĐU" not in body


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, docs):
    for url_of, _allowed in PAGES.values():
        response = client.get(url_of(docs))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_organization_staff_cannot_post_a_document(client, catalog, base_secretary):
    client.force_login(base_secretary)
    response = client.post(
        reverse("programs:document_create"),
        {"symbol": "29-KH/TU", "issued_on": "01/08/2016", "title": "X", "file": upload()},
    )
    assert response.status_code == 404
    assert Document.objects.count() == 0


# --- registration through the forms -------------------------------------------------------


def test_a_higher_document_is_registered_from_its_symbol(client, catalog, committee_staff):
    client.force_login(committee_staff)
    ct05 = register(committee_staff, "05-CT/TW", issued_on=D(2016, 5, 15))

    response = client.post(
        reverse("programs:document_create"),
        {
            "symbol": "Số 29 - KH/TU",
            "issued_on": "01/08/2016",
            "title": "Học tập và làm theo",
            "file": upload("kh29.pdf"),
            "implements": [ct05.pk],
        },
    )

    document = Document.objects.get(symbol="29-KH/TU")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:document_detail", args=[document.pk])
    assert (document.term, document.issued_on) == (catalog.tu_xv, D(2016, 8, 1))
    assert document.organization is None and document.file_type == "pdf"
    assert list(document.implements.all()) == [ct05]


@pytest.mark.parametrize(
    ("symbol", "words"),
    [
        ("29-KH", "cơ quan ban hành"),
        ("29/kh-TU", "loại văn bản"),
        ("KH/TU", "số văn bản"),
        ("29-XY/TU", "XY"),
    ],
)
def test_a_bad_symbol_is_shown_next_to_the_field(client, catalog, committee_staff, symbol, words):
    client.force_login(committee_staff)
    response = client.post(
        reverse("programs:document_create"),
        {"symbol": symbol, "issued_on": "01/08/2016", "title": "X", "file": upload()},
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["symbol"]
    assert any(words in error for error in errors)
    assert Document.objects.count() == 0


def test_a_fake_file_is_refused_and_nothing_is_saved(client, catalog, committee_staff, media):
    client.force_login(committee_staff)
    response = client.post(
        reverse("programs:document_create_own"),
        {
            "organization": catalog.du.organization.pk,
            "doc_type": catalog.kh.pk,
            "issued_on": "01/09/2016",
            "title": "Kế hoạch",
            "file": upload("ke-hoach.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert Document.objects.count() == 0
    assert not NumberCounter.objects.filter(last_number__gt=0).exists()
    assert not media.exists() or not any(path.is_file() for path in media.rglob("*"))


def test_our_document_is_numbered_by_the_counter(client, catalog, committee_staff):
    client.force_login(committee_staff)
    data = {
        "organization": catalog.du.organization.pk,
        "doc_type": catalog.kh.pk,
        "issued_on": "01/09/2016",
        "title": "Kế hoạch thực hiện",
    }
    first = client.post(reverse("programs:document_create_own"), data)
    second = client.post(reverse("programs:document_create_own"), data)
    assert first.status_code == second.status_code == 302
    assert sorted(Document.objects.values_list("symbol", flat=True)) == ["01-KH/ĐU", "02-KH/ĐU"]


def test_a_double_submit_registers_once(client, catalog, committee_staff):
    client.force_login(committee_staff)
    data = {
        "organization": catalog.du.organization.pk,
        "doc_type": catalog.kh.pk,
        "issued_on": "01/09/2016",
        "title": "Kế hoạch",
        "form_token": "token-1",
    }
    first = client.post(reverse("programs:document_create_own"), data)
    second = client.post(reverse("programs:document_create_own"), data)
    assert first["Location"] == second["Location"]
    assert Document.objects.count() == 1


def test_a_document_is_edited(client, docs, committee_staff):
    client.force_login(committee_staff)
    kh29 = docs["kh29"]
    response = client.post(
        reverse("programs:document_edit", args=[kh29.pk]),
        {
            "symbol": "29-KH/TU",
            "issued_on": "02/08/2016",
            "title": "Học tập, quán triệt (sửa)",
            "implements": [docs["ct05"].pk],
        },
    )
    assert response.status_code == 302
    kh29.refresh_from_db()
    assert kh29.title == "Học tập, quán triệt (sửa)" and kh29.issued_on == D(2016, 8, 2)
    assert [d.symbol for d in kh29.implements.all()] == ["05-CT/TW"]
    assert kh29.file_type == "pdf"  # the file stays when none is sent


def test_the_edit_form_of_our_document_has_no_symbol(client, docs, committee_staff):
    client.force_login(committee_staff)
    form = client.get(reverse("programs:document_edit", args=[docs["plan"].pk])).context["form"]
    assert "symbol" not in form.fields and "title" in form.fields


# --- details and the download -------------------------------------------------------------


def test_the_detail_shows_the_chain_both_ways(client, docs, committee_staff):
    client.force_login(committee_staff)
    response = client.get(reverse("programs:document_detail", args=[docs["kh29"].pk]))
    body = response.content.decode()
    implements = body.split('id="implements"')[1].split('id="implemented-by"')[0]
    implemented_by = body.split('id="implemented-by"')[1]
    assert "05-CT/TW" in implements and "03-KH/TW" in implements
    assert "01-KH/ĐU" in implemented_by and "01-CTr/ĐU" in implemented_by


def test_the_download_is_an_attachment_that_browsers_do_not_sniff(client, docs, base_secretary):
    client.force_login(base_secretary)
    response = client.get(reverse("programs:document_file", args=[docs["plan"].pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert "ke-hoach.docx" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert b"".join(response.streaming_content) == docx_bytes()


def test_a_document_without_a_file_has_no_download(client, docs, committee_staff):
    client.force_login(committee_staff)
    response = client.get(reverse("programs:document_file", args=[docs["ct05"].pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("pk", ["0", "999999"])
def test_unknown_documents_answer_404(client, docs, committee_staff, pk):
    client.force_login(committee_staff)
    assert client.get(f"/documents/{pk}/").status_code == 404


# --- search, filters and export -----------------------------------------------------------


def listed(client, query: str) -> list[str]:
    response = client.get(reverse("programs:document_list") + query)
    assert response.status_code == 200
    return sorted(document.symbol for document in response.context["page"])


def test_search_ignores_diacritics_and_reads_symbols_as_printed(client, docs, committee_staff):
    client.force_login(committee_staff)
    assert listed(client, "?q=hoc+tap") == ["05-CT/TW", "29-KH/TU"]
    assert listed(client, "?q=HỌC TẬP, quán") == ["29-KH/TU"]
    assert listed(client, "?q=Số+29-KH/TU") == ["29-KH/TU"]
    assert listed(client, "?q=kh/tw") == ["03-KH/TW"]
    assert listed(client, "?q=chuong+trinh") == ["01-CTr/ĐU"]


def test_filters(client, docs, catalog, committee_staff):
    client.force_login(committee_staff)
    register(committee_staff, "152/2025/NĐ-CP", issued_on=D(2025, 6, 26), title="Nghị định")
    assert listed(client, "?system=state") == ["152/2025/NĐ-CP"]
    assert listed(client, f"?type={catalog.kh.pk}") == [
        "01-KH/ĐU",
        "03-KH/TW",
        "04-KH/ĐU",
        "29-KH/TU",
    ]
    assert listed(client, f"?issuer={catalog.tw.pk}") == ["03-KH/TW", "05-CT/TW"]
    assert listed(client, f"?term={catalog.du_ix.pk}") == ["01-CTr/ĐU", "01-KH/ĐU"]
    assert listed(client, "?year=2025") == ["152/2025/NĐ-CP"]
    assert listed(client, f"?year=2016&issuer={catalog.tw.pk}&type={catalog.ct.pk}") == ["05-CT/TW"]


@pytest.mark.parametrize("query", ["?type=abc", "?year=-1", "?term=9999999999999", "?system=x"])
def test_malformed_filters_are_ignored(client, docs, committee_staff, query):
    client.force_login(committee_staff)
    assert len(listed(client, query)) == 6


def test_the_export_uses_the_same_filters(client, docs, catalog, committee_staff):
    client.force_login(committee_staff)
    response = client.get(reverse("programs:document_export") + f"?issuer={catalog.tu.pk}")
    assert response["Content-Disposition"].startswith("attachment")
    rows = text_of(response).splitlines()
    assert len(rows) == 2  # the header and 29-KH/TU
    assert "29-KH/TU" in rows[1] and "03-KH/TW, 05-CT/TW" in rows[1]


# --- query-count guards -------------------------------------------------------------------


def add_documents(by, catalog, count, implements=()):
    for _ in range(count):
        services.register_own_document(
            by=by,
            organization=catalog.du.organization,
            doc_type=catalog.kh,
            issued_on=D(2021, 2, 1),
            title="Kế hoạch học tập",
            implements=implements,
        )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if getattr(response, "streaming", False):
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


LISTS = {
    "list": lambda d, c: reverse("programs:document_list"),
    "search": lambda d, c: reverse("programs:document_list") + "?q=ke+hoach",
    "symbol_search": lambda d, c: reverse("programs:document_list") + "?q=01-KH/ĐU",
    "filters": lambda d, c: (
        reverse("programs:document_list")
        + f"?system=party&type={c.kh.pk}&issuer={c.du.pk}&term={c.du_x.pk}&year=2021"
    ),
    "export": lambda d, c: reverse("programs:document_export"),
    # the rows added implement 29-KH/TU: one level below it, three below 05-CT/TW
    "detail_chain": lambda d, c: reverse("programs:document_detail", args=[d["kh29"].pk]),
    "detail_deep_chain": lambda d, c: reverse("programs:document_detail", args=[d["ct05"].pk]),
}


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("who", [C, S])
def test_list_page_query_count_does_not_grow_with_rows(
    client, docs, catalog, users, committee_staff, name, who
):
    client.force_login(users[who])
    url = LISTS[name](docs, catalog)
    add_documents(committee_staff, catalog, 1, implements=[docs["kh29"]])
    one = count_queries(client, url)
    add_documents(committee_staff, catalog, 49, implements=[docs["kh29"]])
    fifty = count_queries(client, url)
    assert one == fifty
