"""The Cà Mau demo's direction and registration (lantoa/programs/demo.py), checked against
case-camau.md: loaded once for the module by `manage.py load_demo`, rolled back at the end."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.test import override_settings

from lantoa.core.models import AuditEntry
from lantoa.orgs.models import Membership, Organization
from lantoa.programs.models import (
    Attendance,
    Commitment,
    CommitmentDeadline,
    Document,
    DocumentType,
    Issuer,
    PilotStatus,
    Plan,
    Rating,
    RatingList,
    RatingListStatus,
    StudySession,
    Term,
    Theme,
    ThemeLevel,
    UnitModel,
)
from lantoa.programs.queries.rating import rule_in_force
from lantoa.programs.queries.registration import commitment_coverage, not_registered
from lantoa.programs.queries.study import attendance_coverage, attendance_rate, study_coverage
from lantoa.programs.services.documents import implements_chain
from lantoa.programs.services.rating import cap_check

YEARS = range(2016, 2021)
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
NAMED_MODELS = {
    "Ban Dân vận Tỉnh ủy Cà Mau": "Xây dựng ý thức tôn trọng nhân dân, phát huy dân chủ, chăm "
    "lo đời sống nhân dân theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "Trường Cao đẳng Y tế Cà Mau": "Rèn luyện đạo đức, lối sống, nêu cao tinh thần trách nhiệm "
    "của cán bộ, đảng viên, người đứng đầu, góp phần thực hiện hiệu quả nhiệm vụ chính trị và "
    "công tác xây dựng Đảng",
    "Công ty Điện lực Cà Mau": "Nêu cao tinh thần trách nhiệm, gương mẫu, ý thức thực hành tiết "
    "kiệm, chống tham ô, lãng phí, quan liêu, góp phần thực hiện hiệu quả nhiệm vụ chính trị, "
    "chăm lo đời sống cho cán bộ, nhân viên và người lao động trong đơn vị",
    "Viễn thông Cà Mau": "Trung thực, trách nhiệm, đoàn kết, nâng cao hiệu quả sản xuất kinh "
    "doanh, góp phần xây dựng Đảng bộ trong sạch vững mạnh",
}
THEME_2017 = (
    "Xây dựng ý thức tôn trọng Nhân dân, phát huy dân chủ, chăm lo đời sống Nhân dân theo tư "
    "tưởng, đạo đức, phong cách Hồ Chí Minh"
)
THEME_2018 = (
    "Xây dựng phong cách, tác phong công tác của người đứng đầu, của cán bộ, đảng viên theo tư "
    "tưởng, đạo đức, phong cách Hồ Chí Minh"
)


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo once for the module, inside a transaction rolled back at the end (the
    scans of higher documents go to a temporary media folder)."""
    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=FAST_HASHERS, MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")
        ),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db) -> str:
    return demo_output


@pytest.fixture
def admin(demo):
    return get_user_model().objects.get(username="admin")


@pytest.fixture
def committee(demo) -> Organization:
    return Organization.objects.get(code="DCD")


def _programs_models():
    return list(apps.get_app_config("programs").get_models())


def _doc(symbol: str, term: str | None = None) -> Document:
    documents = Document.objects.filter(symbol=symbol)
    return documents.get(term__code=term) if term else documents.get()


def _symbols(nodes) -> set[str]:
    """Every symbol in a chain tree (ChainNode lists)."""
    found = set()
    for node in nodes:
        found.add(node.document.symbol)
        found |= _symbols(node.children)
    return found


def test_the_command_reports_what_the_programs_demo_added(demo):
    assert "Số đảng viên" in demo
    assert "Văn bản chỉ đạo: 14" in demo
    assert "Đơn vị làm điểm của Kế hoạch số 45-KH/ĐU: 5" in demo


# --- catalogs and the chain of direction ---------------------------------------------------


def test_the_catalogs_hold_the_case_issuers_types_and_terms(demo, committee):
    assert {"CT", "KH", "CTr", "QĐ", "NQ", "HD", "BC"} <= set(
        DocumentType.objects.values_list("code", flat=True)
    )
    issuers = {issuer.code: issuer for issuer in Issuer.objects.all()}
    assert {"TW", "TU", "ĐU"} <= issuers.keys()
    assert issuers["ĐU"].organization == committee
    assert issuers["TW"].organization is None and issuers["TU"].organization is None
    terms = set(Term.objects.values_list("issuer__code", "code", "start_date__year"))
    assert {
        ("TW", "XI", 2011),
        ("TW", "XII", 2016),
        ("TU", "XV", 2015),
        ("TU", "XVI", 2020),
        ("ĐU", "IX", 2015),
        ("ĐU", "X", 2020),
    } <= terms


def test_two_documents_03_kh_tw_exist_in_different_terms(demo):
    xi, xii = _doc("03-KH/TW", "XI"), _doc("03-KH/TW", "XII")
    assert xi.pk != xii.pk and xi.issued_on.year == 2011 and xii.issued_on.year == 2016
    assert set(xi.implements.values_list("symbol", flat=True)) == {"03-CT/TW"}
    assert set(xii.implements.values_list("symbol", flat=True)) == {"05-CT/TW"}


def test_the_chain_05_ct_to_the_committee_plan_exists_both_ways(demo, admin, committee):
    ct05, kh03, kh29 = _doc("05-CT/TW"), _doc("03-KH/TW", "XII"), _doc("29-KH/TU")
    plan = _doc("45-KH/ĐU")
    assert ct05.issued_on.isoformat() == "2016-05-15"
    assert "phong cách Hồ Chí Minh" in ct05.title
    assert kh03 in ct05.implemented_by.all()
    assert {ct05, kh03} <= set(kh29.implements.all())
    assert kh29 in plan.implements.all() and plan in kh29.implemented_by.all()
    up, _down = implements_chain(plan, admin)
    assert {"29-KH/TU", "03-KH/TW", "05-CT/TW"} <= _symbols(up)
    _up, down = implements_chain(ct05, admin)
    assert {"03-KH/TW", "29-KH/TU", "45-KH/ĐU"} <= _symbols(down)
    # The committee's program and plan were numbered here, by the counter of term IX.
    program = Document.objects.get(doc_type__code="CTr", organization=committee)
    for own in (program, plan):
        assert own.numbered_here and own.term.code == "IX" and own.issued_on.year == 2016
        assert kh29 in own.implements.all()


def test_higher_documents_carry_a_scan(demo):
    for symbol in ("05-CT/TW", "29-KH/TU"):
        document = _doc(symbol)
        assert document.is_higher and document.file_type == "pdf" and document.file_size > 0
        with document.file.open("rb") as scan:
            content = scan.read()
        assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")


# --- the plan ------------------------------------------------------------------------------


def test_the_plan_bears_the_numbered_documents_symbol_and_has_five_pilots(demo, committee):
    plan = Plan.objects.get(issuer=committee)
    document = _doc(plan.symbol)
    assert plan.symbol == "45-KH/ĐU"
    assert (plan.title, plan.issued_on) == (document.title, document.issued_on)
    pilots = plan.pilots.select_related("organization")
    assert pilots.count() == 5
    hosts = {pilot.organization.host_name for pilot in pilots}
    assert {"Ban Dân vận Tỉnh ủy Cà Mau", "Trường Cao đẳng Y tế Cà Mau"} <= hosts
    for pilot in pilots:
        assert pilot.status == PilotStatus.EVALUATED and pilot.evaluation and pilot.lesson
        assert pilot.notes.count() >= 2
    kinds = set(plan.targets.values_list("kind", flat=True))
    assert len(kinds) == 4 and plan.targets.filter(year=2020).count() == 4


# --- topics and study sessions -------------------------------------------------------------


def test_the_topics_of_2017_and_2018_have_the_case_titles(demo):
    assert Theme.objects.get(year=2017).title == THEME_2017
    assert Theme.objects.get(year=2018).title == THEME_2018
    assert set(Theme.objects.values_list("year", flat=True)) == set(YEARS)
    assert {Theme.objects.get(year=y).level for y in (2017, 2018)} == {ThemeLevel.CENTRAL}
    for theme in Theme.objects.exclude(year__in=[2017, 2018]):
        assert theme.note  # unverified topics say so


def test_every_cell_studies_each_year_with_most_members_present(demo, committee):
    for year in YEARS:
        held, bases = study_coverage(committee, year)
        assert held == bases > 0
        rate = attendance_rate(committee, year)
        assert 0.85 < rate.done / rate.total < 0.99
        attended, members = attendance_coverage(committee, year)
        assert 0.9 < attended / members < 1
    absent = Attendance.objects.filter(present=False)
    assert absent.exists() and not absent.filter(absence_reason="").exists()
    assert {"Đi công tác", "Nghỉ ốm", "Nghỉ phép"} <= set(
        absent.values_list("absence_reason", flat=True)
    )


def test_attendance_lists_only_members_of_the_cell_on_the_day(demo):
    member_then = Membership.objects.filter(
        person=OuterRef("person"),
        organization=OuterRef("session__organization"),
        start_date__lte=OuterRef("session__date"),
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=OuterRef("session__date")))
    assert Attendance.objects.count() > 10_000
    assert not Attendance.objects.filter(~Exists(member_then)).exists()
    assert StudySession.objects.filter(theme__isnull=True).count() == 0


# --- unit models and commitments -----------------------------------------------------------


def test_the_named_units_registered_the_case_models(demo):
    for host, title in NAMED_MODELS.items():
        model = UnitModel.objects.get(title=title)
        assert model.organization.host_name == host
    others = UnitModel.objects.exclude(title__in=NAMED_MODELS.values())
    assert others.values("organization").distinct().count() >= 20
    assert set(UnitModel.objects.values_list("status", flat=True)) == {
        "registered",
        "in_progress",
        "evaluated",
    }


def test_most_members_register_and_a_few_do_not(demo, committee):
    for year in YEARS:
        committed, members = commitment_coverage(committee, year)
        assert 0.5 < committed / members < 1
        assert not_registered(committee, year).exists()
    commitments = Commitment.objects.all()
    assert not commitments.exclude(status="assessed").exists()
    counts = {c.pk: c.items.count() for c in commitments.prefetch_related("items")[:500]}
    assert set(counts.values()) == {2, 3, 4}
    assert CommitmentDeadline.objects.filter(year=2018).count() >= 80


def test_commitments_are_registered_where_the_member_was_that_year(demo):
    member_then = Membership.objects.filter(
        person=OuterRef("person"), organization=OuterRef("organization")
    ).filter(
        Q(start_date__year__lte=OuterRef("year")),
        Q(end_date__isnull=True) | Q(end_date__year__gte=OuterRef("year")),
    )
    assert not Commitment.objects.filter(~Exists(member_then)).exists()


# --- ratings -------------------------------------------------------------------------------


def test_rating_lists_are_confirmed_within_the_cap(demo):
    lists = RatingList.objects.select_related("organization")
    assert lists.count() >= 30 * len(YEARS)
    assert not lists.exclude(status=RatingListStatus.CONFIRMED).exists()
    for rating_list in lists:
        assert not cap_check(rating_list).over, rating_list
    rule = rule_in_force(lists.first().rated_on)
    for rating in Rating.objects.all()[:2000]:
        assert rating.level == rule.level_for(rating.score, rating.disqualified)
    assert Rating.objects.filter(level="excellent").exists()


# --- audit and idempotence -----------------------------------------------------------------


def test_every_record_created_has_an_audit_entry(demo):
    for model in _programs_models():
        content_type = ContentType.objects.get_for_model(model)
        audited = set(
            AuditEntry.objects.filter(content_type=content_type).values_list("object_pk", flat=True)
        )
        created = {str(pk) for pk in model.objects.values_list("pk", flat=True)}
        assert created <= audited, model.__name__


def test_a_second_run_creates_nothing(demo):
    models = [*_programs_models(), *apps.get_app_config("orgs").get_models(), AuditEntry]
    before = {model.__name__: model.objects.count() for model in models}
    call_command("load_demo", stdout=StringIO())
    assert {model.__name__: model.objects.count() for model in models} == before
