"""Documents through the services: identity by term (or year), catalog lookups, numbering
our own, the implements chain, and nothing half-saved on any error."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from lantoa.core.models import AuditEntry
from lantoa.programs.models import Document, DocumentSystem, Issuer, NumberCounter, Term
from lantoa.programs.services import documents as services
from tests.programs.test_documents_support import (
    D,
    case_chain,
    docx_bytes,
    make_catalog,
    register,
    upload,
)


@pytest.fixture
def catalog(tree):
    return make_catalog(tree.root)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media) -> list:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def field_errors(raised) -> dict[str, list[str]]:
    return {name: [str(m) for m in errors] for name, errors in raised.value.message_dict.items()}


# --- identity -----------------------------------------------------------------------------


def test_the_2011_and_the_2016_03_kh_tw_are_two_documents(catalog, committee_staff):
    old = register(committee_staff, "03-KH/TW", issued_on=D(2011, 7, 1), title="Chỉ thị 03")
    new = register(committee_staff, "03-KH/TW", issued_on=D(2016, 6, 20), title="Chỉ thị 05")

    assert (old.term, new.term) == (catalog.tw_xi, catalog.tw_xii)
    assert old.symbol == new.symbol == "03-KH/TW"
    assert Document.objects.filter(symbol="03-KH/TW").count() == 2


def test_the_same_symbol_in_the_same_term_is_refused_with_a_field_message(catalog, committee_staff):
    register(committee_staff, "03-KH/TW", issued_on=D(2016, 6, 20))

    with pytest.raises(ValidationError) as raised:
        register(committee_staff, "Số 3-KH/TW", issued_on=D(2018, 1, 2))

    assert "03-KH/TW" in field_errors(raised)["symbol"][0]
    assert Document.objects.count() == 1


def test_the_database_refuses_a_duplicate_that_slips_past_the_check(catalog, committee_staff):
    first = register(committee_staff, "29-KH/TU", issued_on=D(2016, 8, 1))
    duplicate = Document(
        system=first.system,
        number=first.number,
        doc_type=first.doc_type,
        issuer=first.issuer,
        term=first.term,
        symbol=first.symbol,
        title="Bản trùng",
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_the_term_is_found_from_the_issuer_and_the_date(catalog, committee_staff):
    document = register(committee_staff, "29-KH/TU", issued_on=D(2016, 8, 1))
    assert document.term == catalog.tu_xv


def test_a_party_document_needs_a_term(catalog, committee_staff):
    with pytest.raises(ValidationError) as raised:
        register(committee_staff, "29-KH/TU", issued_on=D(2010, 1, 1))
    assert "term" in field_errors(raised)


def test_a_term_of_another_issuer_or_a_date_outside_the_term_is_refused(catalog, committee_staff):
    with pytest.raises(ValidationError) as raised:
        register(committee_staff, "29-KH/TU", issued_on=D(2016, 8, 1), term=catalog.tw_xii)
    assert "term" in field_errors(raised)
    with pytest.raises(ValidationError) as raised:
        register(committee_staff, "29-KH/TU", issued_on=D(2021, 8, 1), term=catalog.tu_xv)
    assert "issued_on" in field_errors(raised)


def test_state_numbers_restart_every_year(catalog, committee_staff):
    first = register(committee_staff, "Số: 123/QĐ-UBND", issued_on=D(2024, 3, 1))
    second = register(committee_staff, "123/QĐ-UBND", issued_on=D(2025, 3, 1))
    assert (first.year, second.year) == (2024, 2025)
    assert first.system == DocumentSystem.STATE and first.doc_type == catalog.state_qd

    with pytest.raises(ValidationError) as raised:
        register(committee_staff, "123/QĐ-UBND", issued_on=D(2025, 9, 9))
    assert "symbol" in field_errors(raised)


def test_a_state_symbol_with_its_year_must_agree_with_the_date(catalog, committee_staff):
    decree = register(committee_staff, "152/2025/NĐ-CP", issued_on=D(2025, 6, 26))
    assert (decree.year, decree.symbol) == (2025, "152/2025/NĐ-CP")
    with pytest.raises(ValidationError) as raised:
        register(committee_staff, "153/2025/NĐ-CP", issued_on=D(2024, 6, 26))
    assert "issued_on" in field_errors(raised)


def test_a_law_has_no_type_in_its_symbol_so_the_type_is_chosen(catalog, committee_staff):
    with pytest.raises(ValidationError) as raised:
        register(committee_staff, "06/2022/QH15", issued_on=D(2022, 6, 15))
    assert "doc_type" in field_errors(raised)

    law = register(committee_staff, "06/2022/QH15", issued_on=D(2022, 6, 15), doc_type=catalog.law)
    assert (law.doc_type, law.issuer, law.year) == (catalog.law, catalog.qh, 2022)


# --- the catalogs -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("symbol", "field", "words"),
    [
        ("29-XY/TU", "symbol", "XY"),  # unknown type
        ("29-KH/HU", "symbol", "HU"),  # unknown issuer
        ("29-kh/TU", "symbol", "loại văn bản"),  # unparseable: the parser's message
        ("29.KH/TU", "symbol", "“.”"),
    ],
)
def test_unknown_codes_and_bad_symbols_are_field_errors_naming_the_part(
    catalog, committee_staff, symbol, field, words
):
    with pytest.raises(ValidationError) as raised:
        register(committee_staff, symbol, issued_on=D(2016, 8, 1))
    assert any(words in message for message in field_errors(raised)[field])
    assert Document.objects.count() == 0


def test_a_code_used_by_several_issuers_needs_a_choice(catalog, committee_staff):
    other = Issuer.objects.create(system="party", code="TU", name="Tỉnh ủy Bạc Liêu")
    with pytest.raises(ValidationError) as raised:
        register(committee_staff, "29-KH/TU", issued_on=D(2016, 8, 1), term=catalog.tu_xv)
    assert "issuer" in field_errors(raised)

    Term.objects.create(issuer=other, code="XV", name="Bạc Liêu XV", start_date=D(2015, 10, 1))
    chosen = register(committee_staff, "29-KH/TU", issued_on=D(2016, 8, 1), issuer=other)
    assert chosen.issuer == other and chosen.term.issuer == other


# --- our own documents --------------------------------------------------------------------


SEPTEMBER_2016 = D(2016, 9, 1)


def own(by, catalog, doc_type=None, day=SEPTEMBER_2016, **fields):
    fields.setdefault("title", "Kế hoạch")
    return services.register_own_document(
        by=by,
        organization=catalog.du.organization,
        doc_type=doc_type or catalog.kh,
        issued_on=day,
        **fields,
    )


def test_our_documents_are_numbered_per_type_and_term(catalog, committee_staff):
    first, second = own(committee_staff, catalog), own(committee_staff, catalog)
    program = own(committee_staff, catalog, catalog.ctr)
    next_term = own(committee_staff, catalog, day=D(2021, 1, 5))

    assert [first.symbol, second.symbol] == ["01-KH/ĐU", "02-KH/ĐU"]
    assert program.symbol == "01-CTr/ĐU"
    assert (next_term.symbol, next_term.term) == ("01-KH/ĐU", catalog.du_x)
    assert first.numbered_here and first.organization == catalog.du.organization


def test_one_of_ours_registered_by_its_symbol_moves_the_counter_on(catalog, committee_staff):
    typed = register(committee_staff, "07-KH/ĐU", issued_on=D(2016, 8, 1))
    assert typed.organization == catalog.du.organization and not typed.numbered_here

    assert own(committee_staff, catalog).symbol == "08-KH/ĐU"


def test_a_new_counter_starts_after_the_numbers_already_registered(catalog, committee_staff):
    Document.objects.create(
        system="party",
        number=12,
        doc_type=catalog.kh,
        issuer=catalog.du,
        term=catalog.du_ix,
        symbol="12-KH/ĐU",
        title="Nạp từ dữ liệu cũ",
        organization=catalog.du.organization,
    )
    assert services.next_number(catalog.du, catalog.kh, catalog.du_ix) == 13


def test_next_number_counts_up_from_one(catalog):
    numbers = [services.next_number(catalog.du, catalog.ctr, catalog.du_x) for _ in range(3)]
    assert numbers == [1, 2, 3]
    counter = NumberCounter.objects.get(issuer=catalog.du, doc_type=catalog.ctr, term=catalog.du_x)
    assert counter.last_number == 3


def test_an_organization_without_an_issuer_code_cannot_number(tree, catalog, committee_staff):
    with pytest.raises(ValidationError) as raised:
        services.register_own_document(
            by=committee_staff,
            organization=tree.own,
            doc_type=catalog.kh,
            issued_on=D(2016, 9, 1),
            title="Kế hoạch",
        )
    assert "organization" in field_errors(raised)


def test_a_state_type_cannot_number_a_party_document(catalog, committee_staff):
    with pytest.raises(ValidationError) as raised:
        own(committee_staff, catalog, catalog.nd)
    assert "doc_type" in field_errors(raised)


# --- who may ------------------------------------------------------------------------------


def test_organization_staff_and_council_members_cannot_register(
    catalog, base_secretary, council_member
):
    for user in (base_secretary, council_member):
        with pytest.raises(PermissionDenied):
            register(user, "29-KH/TU", issued_on=D(2016, 8, 1))
        with pytest.raises(PermissionDenied):
            own(user, catalog)
    assert Document.objects.count() == 0


def test_documents_reach_down_the_tree_not_sideways(tree, catalog, committee_staff, base_secretary):
    higher = register(committee_staff, "29-KH/TU", issued_on=D(2016, 8, 1))
    ours = own(committee_staff, catalog)  # owned by the root: reaches every unit below it
    sibling_issuer = Issuer.objects.create(
        system="party", code="ĐU", name="Đảng ủy Viễn thông", organization=tree.other
    )
    Term.objects.create(issuer=sibling_issuer, code="I", name="VNPT I", start_date=D(2015, 1, 1))
    sideways = register(committee_staff, "01-KH/ĐU", issued_on=D(2016, 8, 1), issuer=sibling_issuer)
    assert sideways.organization == tree.other

    seen = set(Document.objects.visible_to(base_secretary))
    assert seen == {higher, ours}
    assert set(Document.objects.visible_to(committee_staff)) == {higher, ours, sideways}
    assert services.can_manage_document(committee_staff, sideways)
    assert not services.can_manage_document(base_secretary, ours)


# --- the implements chain -----------------------------------------------------------------


def symbols(nodes) -> list:
    return [(node.document.symbol, symbols(node.children)) for node in nodes]


def test_the_chain_is_shown_both_ways(catalog, committee_staff, django_assert_max_num_queries):
    chain = case_chain(committee_staff, catalog)

    with django_assert_max_num_queries(4):
        up, down = services.implements_chain(chain["kh29"], committee_staff)
    assert symbols(up) == [("05-CT/TW", []), ("03-KH/TW", [("05-CT/TW", [])])]
    assert symbols(down) == [("01-KH/ĐU", []), ("01-CTr/ĐU", [])]

    up, down = services.implements_chain(chain["ct05"], committee_staff)
    assert up == []
    assert symbols(down) == [
        ("03-KH/TW", [("29-KH/TU", [("01-KH/ĐU", []), ("01-CTr/ĐU", [])])]),
        ("29-KH/TU", [("01-KH/ĐU", []), ("01-CTr/ĐU", [])]),
    ]

    up, _down = services.implements_chain(chain["plan"], committee_staff)
    assert symbols(up) == [("29-KH/TU", [("05-CT/TW", []), ("03-KH/TW", [("05-CT/TW", [])])])]


def test_a_document_cannot_implement_itself_or_what_implements_it(catalog, committee_staff):
    chain = case_chain(committee_staff, catalog)
    ct05 = chain["ct05"]
    for target in (ct05, chain["kh29"], chain["plan"]):
        with pytest.raises(ValidationError) as raised:
            services.update_document(
                ct05,
                by=committee_staff,
                title=ct05.title,
                issued_on=ct05.issued_on,
                implements=[target],
            )
        assert "implements" in field_errors(raised)
    assert list(ct05.implements.all()) == []


# --- nothing half-saved -------------------------------------------------------------------


def test_a_bad_file_leaves_nothing_behind(catalog, committee_staff, media):
    fake = upload("ke-hoach.pdf", b"Day khong phai PDF")
    with pytest.raises(ValidationError) as raised:
        own(committee_staff, catalog, file=fake)
    assert "file" in field_errors(raised)
    with pytest.raises(ValidationError):
        register(committee_staff, "29-KH/TU", issued_on=D(2016, 8, 1), file=fake)

    assert Document.objects.count() == 0
    assert NumberCounter.objects.filter(last_number__gt=0).count() == 0
    assert stored_files(media) == []
    assert own(committee_staff, catalog).symbol == "01-KH/ĐU"  # the number was not used up


def test_a_duplicate_with_a_good_file_stores_no_file(catalog, committee_staff, media):
    register(committee_staff, "29-KH/TU", issued_on=D(2016, 8, 1), file=upload())
    assert len(stored_files(media)) == 1
    with pytest.raises(ValidationError):
        register(committee_staff, "29-KH/TU", issued_on=D(2017, 8, 1), file=upload())
    assert len(stored_files(media)) == 1


def test_all_the_errors_come_together(catalog, committee_staff):
    with pytest.raises(ValidationError) as raised:
        register(
            committee_staff, "29-XY/HU", issued_on=D(2016, 8, 1), file=upload("a.pdf", b"text")
        )
    errors = field_errors(raised)
    assert len(errors["symbol"]) == 2 and "file" in errors


def test_the_file_is_stored_under_its_checked_type_with_a_random_name(
    catalog, committee_staff, media
):
    document = register(
        committee_staff,
        "29-KH/TU",
        issued_on=D(2016, 8, 1),
        file=upload("Kế hoạch.pdf", docx_bytes()),
    )
    assert document.file_type == "docx"
    assert document.file.name.startswith("documents/") and document.file.name.endswith(".docx")
    assert "Kế hoạch" not in document.file.name
    assert document.download_name == "Kế hoạch.docx"


def test_a_replaced_file_is_deleted_once_the_change_is_committed(
    catalog, committee_staff, media, django_capture_on_commit_callbacks
):
    document = register(committee_staff, "29-KH/TU", issued_on=D(2016, 8, 1), file=upload())
    old = media / document.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.update_document(
            document,
            by=committee_staff,
            title="Sửa",
            issued_on=document.issued_on,
            file=upload("moi.docx", docx_bytes()),
        )
    document.refresh_from_db()
    assert not old.exists()
    assert (media / document.file.name).exists() and document.file_type == "docx"


# --- corrections and the audit trail ------------------------------------------------------


def test_a_typed_symbol_can_be_corrected_but_a_number_given_here_cannot(catalog, committee_staff):
    typed = register(committee_staff, "28-KH/TU", issued_on=D(2016, 8, 1))
    fixed = services.update_document(
        typed,
        by=committee_staff,
        title=typed.title,
        issued_on=typed.issued_on,
        symbol="29-KH/TU",
    )
    assert (fixed.number, fixed.symbol) == (29, "29-KH/TU")

    ours = own(committee_staff, catalog)
    services.update_document(
        ours,
        by=committee_staff,
        title="Kế hoạch (sửa)",
        issued_on=ours.issued_on,
        symbol="99-KH/ĐU",
    )
    ours.refresh_from_db()
    assert (ours.symbol, ours.title) == ("01-KH/ĐU", "Kế hoạch (sửa)")


def test_writes_are_in_the_audit_trail(tree, catalog, committee_staff):
    document = own(committee_staff, catalog)
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Document), object_pk=str(document.pk)
    )
    created = entries.get(action=AuditEntry.Action.CREATE)
    assert created.organization_path == tree.root.path

    services.update_document(
        document, by=committee_staff, title="Kế hoạch mới", issued_on=document.issued_on
    )
    changed = entries.get(action=AuditEntry.Action.UPDATE)
    assert changed.changes["title"] == ["Kế hoạch", "Kế hoạch mới"]
