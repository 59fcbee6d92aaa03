"""The nominations kind through the engine: drafts through the page's service, re-import,
update, the round's rules."""

import datetime

import pytest
from django.utils import translation

from lantoa.awards.models import Nomination, NominationStatus
from lantoa.core.models import AuditEntry
from lantoa.imports.models import ImportJob
from lantoa.imports.services import import_path
from tests.awards.factories import award_form, make_nomination, make_round, quota
from tests.factories import MemberFactory
from tests.imports.helpers import write_xlsx

pytestmark = pytest.mark.django_db
Status = ImportJob.Status
HEADERS = ["Round", "Nominee's code", "Nominating organization", "Proposed form", "Achievements"]


@pytest.fixture
def round_(tree):
    award_form()  # "Giấy khen"
    return make_round(
        tree.root,
        year=2030,
        submissions_close=datetime.date(2030, 11, 30),
        voting_opens=datetime.date(2030, 12, 1),
        voting_closes=datetime.date(2030, 12, 10),
    )


@pytest.fixture
def members(tree):
    return [
        MemberFactory(code="DV-001", organization=tree.own_cell),
        MemberFactory(code="DV-002", organization=tree.own_cell),
        MemberFactory(code="DV-900", organization=tree.other_cell),
    ]


def _run(tmp_path, rows, user, org, name="n.xlsx") -> ImportJob:
    path = write_xlsx(tmp_path / name, HEADERS, rows)
    with translation.override("en"):
        return import_path(path, kind="nominations", by=user, organization=org)


def _errors(job) -> list[tuple[int, str, str]]:
    return list(job.row_errors.order_by("line", "id").values_list("line", "column", "message"))


def _rows(round_) -> list[list]:
    return [
        [round_.pk, "DV-001", "BDV", "Giấy khen", "Tiêu biểu trong học tập và làm theo."],
        [round_.title, "BDV-CB1", "BDV", "giay-khen", "Chi bộ trong sạch, vững mạnh."],
    ]


def test_import_drafts_then_reimport_then_update(tmp_path, tree, members, round_, base_secretary):
    job = _run(tmp_path, _rows(round_), base_secretary, tree.own)
    assert job.status == Status.DONE, (job.error, _errors(job))
    assert (job.created, job.updated, job.unchanged) == (2, 0, 0)
    person = Nomination.objects.get(person=members[0])
    assert (person.status, person.nominating_organization) == (NominationStatus.DRAFT, tree.own)
    assert person.created_by == base_secretary
    assert Nomination.objects.get(collective=tree.own_cell).status == NominationStatus.DRAFT
    entries = AuditEntry.objects.filter(verb="imports.created").count()
    assert entries == 2

    again = _run(tmp_path, _rows(round_), base_secretary, tree.own, name="again.xlsx")
    assert (again.status, again.created, again.updated, again.unchanged) == (Status.DONE, 0, 0, 2)
    assert AuditEntry.objects.filter(verb__startswith="imports.c").count() == entries

    changed = [[round_.pk, "DV-001", "BDV", "Giấy khen", "Thành tích mới."]]
    job = _run(tmp_path, changed, base_secretary, tree.own, name="changed.xlsx")
    assert (job.created, job.updated, job.unchanged) == (0, 1, 0)
    person.refresh_from_db()
    assert person.achievements == "Thành tích mới."
    assert AuditEntry.objects.get(verb="imports.updated").changes["achievements"] == [
        "Tiêu biểu trong học tập và làm theo.",
        "Thành tích mới.",
    ]


def test_round_rules_and_scope_refuse_the_whole_file(
    tmp_path, tree, members, round_, base_secretary
):
    quota(round_, tree.own, people=1, collectives=1)
    make_nomination(round_, tree.own, person=members[1], status=NominationStatus.SUBMITTED)
    rows = [
        [round_.pk, "BDV-CB1", "BDV", "Giấy khen", "Hợp lệ."],
        [round_.pk, "DV-900", "BDV", "Giấy khen", "Ngoài phạm vi."],
        [round_.pk, "DV-002", "BDV", "Giấy khen", "Đã nộp."],
        [round_.pk, "DV-001", "BDV", "Giấy khen", "Vượt chỉ tiêu."],
        [round_.pk, "BDV", "VNPT", "Giấy khen", "Đơn vị ngoài phạm vi."],
        [99999, "BDV", "BDV", "Không có", "Đợt không có."],
    ]
    job = _run(tmp_path, rows, base_secretary, tree.own)
    assert job.status == Status.FAILED
    errors = _errors(job)
    assert [line for line, _c, _m in errors] == [3, 4, 5, 6, 7]
    assert errors[0][1] == "Nominee's code" and "DV-900" in errors[0][2]
    assert "“Submitted”: it can no longer be changed" in errors[1][2]
    assert errors[2][1] == "Nominating organization"
    assert errors[2][2].endswith(
        "has already nominated 1/1 individuals in this round: its quota is full."
    )
    assert errors[3][1] == "Nominating organization" and "VNPT" in errors[3][2]
    assert errors[4][1] == "Round"
    assert Nomination.objects.count() == 1  # only the one made before
