"""The people kind through the engine: staged, merged set-based, audited, all or nothing."""

import datetime
from pathlib import Path

import pytest
from django.utils import timezone, translation

from lantoa.core.models import AuditEntry
from lantoa.imports.files import open_table
from lantoa.imports.models import ImportJob
from lantoa.imports.services import import_path
from lantoa.orgs import queries
from lantoa.orgs.models import Membership, Organization, Person, PersonPrivate, Role
from lantoa.orgs.rules import ROLE_PERMISSIONS, Perm
from tests.factories import PersonFactory
from tests.imports.helpers import write_csv, write_xlsx

pytestmark = pytest.mark.django_db

Status = ImportJob.Status
D = datetime.date
HEADERS = [
    "Personal code",
    "Family name",
    "Middle name",
    "Given name",
    "Gender",
    "Date of birth",
    "Date of joining the party",
    "Date of full membership",
    "Position",
    "Organization code",
    "Membership start date",
    "Citizen ID",
    "Phone",
    "Email",
]
IMPORT_VERBS = ["imports.created", "imports.updated"]


def rows() -> list[list[str]]:
    return [
        ["DV001", "Nguyễn", "Văn", "Đức", "Nam", "05/06/1980", "03/02/2005", "03/02/2006", "",
         "BDV-CB1", "", "096080001234", "0912345678", "duc@example.com"],
        ["DV002", "Trần", "Thị", "Lan", "Nữ", "12/12/1990", "19/05/2015", "19/05/2016",
         "Bí thư chi bộ", "BDV-CB1", "01/06/2015", "", "", ""],
        ["DV003", "Lê", "", "Hà", "", "", "", "", "", "BDV", "", "", "", ""],
    ]  # fmt: skip


def _import(path, org, user) -> ImportJob:
    with translation.override("en"):  # messages compared in English (their source)
        return import_path(path, kind="people", by=user, organization=org)


def _errors(job: ImportJob) -> list[tuple[int, str, str]]:
    return list(job.row_errors.values_list("line", "column", "message"))


def _done(job: ImportJob) -> ImportJob:
    assert job.status == Status.DONE, (job.error, _errors(job))
    return job


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_creates_people_memberships_private_data_then_reimport_changes_nothing(
    tmp_path, tree, base_secretary, writer
):
    path = writer(tmp_path / f"p.{writer.__name__[-4:]}", HEADERS, rows())

    job = _done(_import(path, tree.own, base_secretary))

    assert (job.created, job.updated, job.unchanged, job.rejected) == (3, 0, 0, 0)
    duc = Person.objects.get(code="DV001")
    assert (duc.full_name, duc.gender, duc.birth_date) == ("Nguyễn Văn Đức", "male", D(1980, 6, 5))
    assert duc.organization == tree.own_cell
    assert duc.search_key == "nguyen van duc"
    assert duc.private.citizen_id == "096080001234"
    assert duc.private.email == "duc@example.com"
    assert not PersonPrivate.objects.filter(person__code="DV002").exists()
    starts = dict(Membership.objects.values_list("person__code", "start_date"))
    assert starts == {"DV001": D(2005, 2, 3), "DV002": D(2015, 6, 1), "DV003": timezone.localdate()}
    assert Person.objects.get(code="DV003").organization == tree.own
    entries = AuditEntry.objects.filter(verb="imports.created")
    assert entries.count() == 3
    entry = entries.get(object_id=duc.pk)
    # The job, the line of its stored file, the code and the organization; never a private
    # value (the file itself is the evidence of the rest).
    assert entry.changes == {
        "import_job": [None, str(job.pk)],
        "line": [None, "2"],
        "code": [None, "DV001"],
        "organization": [None, "BDV-CB1"],
    }
    with open_table(Path(job.file.path), filename=job.filename) as table:
        stored = dict(table.rows())
    assert "096080001234" in [str(cell) for cell in stored[2]]
    assert entry.organization_path == tree.own_cell.path
    assert entry.actor == base_secretary

    again = _done(_import(path, tree.own, base_secretary))

    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert AuditEntry.objects.filter(verb__in=IMPORT_VERBS).count() == 3
    assert Membership.objects.count() == 3


def test_member_counts_and_the_name_search_after_an_import(tmp_path, tree, base_secretary):
    _done(_import(write_csv(tmp_path / "p.csv", HEADERS, rows()), tree.own, base_secretary))

    counts = dict(Organization.objects.values_list("code", "direct_member_count"))
    assert counts["BDV-CB1"] == 2
    assert counts["BDV"] == 1
    assert counts["VNPT-CB2"] == 0
    found = queries.people_matching(Person.objects.all(), "van duc")
    assert [p.code for p in found] == ["DV001"]
    assert [p.code for p in queries.people_matching(Person.objects.all(), "LAN")] == ["DV002"]
    # The triggers are back on after the import: a person added by hand is counted.
    PersonFactory(organization=tree.own_cell)
    assert Organization.objects.get(code="BDV-CB1").direct_member_count == 3


def test_a_changed_name_is_one_update_with_old_and_new(tmp_path, tree, base_secretary):
    _done(_import(write_csv(tmp_path / "a.csv", HEADERS, rows()), tree.own, base_secretary))
    changed = rows()
    changed[1][3] = "Hương"
    changed[1][8] = ""

    job = _done(_import(write_csv(tmp_path / "b.csv", HEADERS, changed), tree.own, base_secretary))

    assert (job.created, job.updated, job.unchanged) == (0, 1, 2)
    lan = Person.objects.get(code="DV002")
    assert (lan.given_name, lan.position, lan.search_key) == ("Hương", "", "tran thi huong")
    entry = AuditEntry.objects.get(verb="imports.updated")
    assert entry.object_id == lan.pk
    assert entry.changes["given_name"] == ["Lan", "Hương"]
    assert entry.changes["position"] == ["Bí thư chi bộ", ""]
    assert "family_name" not in entry.changes
    assert entry.changes["line"] == [None, "3"]
    assert [p.code for p in queries.people_matching(Person.objects.all(), "huong")] == ["DV002"]


def test_a_changed_organization_code_is_a_transfer(tmp_path, tree, committee_staff):
    _done(_import(write_csv(tmp_path / "a.csv", HEADERS, rows()), tree.root, committee_staff))
    moved = rows()
    moved[0][9] = "VNPT-CB2"
    moved[0][10] = "01/03/2024"

    job = _done(_import(write_csv(tmp_path / "b.csv", HEADERS, moved), tree.root, committee_staff))

    assert (job.created, job.updated, job.unchanged) == (0, 1, 2)
    duc = Person.objects.get(code="DV001")
    assert duc.organization == tree.other_cell
    history = list(duc.memberships.values_list("organization__code", "start_date", "end_date"))
    assert history == [
        ("BDV-CB1", D(2005, 2, 3), D(2024, 2, 29)),
        ("VNPT-CB2", D(2024, 3, 1), None),
    ]
    counts = dict(Organization.objects.values_list("code", "direct_member_count"))
    assert (counts["BDV-CB1"], counts["VNPT-CB2"]) == (1, 1)
    entry = AuditEntry.objects.get(verb="imports.updated")
    assert entry.changes["organization"] == ["BDV-CB1", "VNPT-CB2"]


def test_a_transfer_dated_before_the_current_membership_is_refused(tmp_path, tree, committee_staff):
    _done(_import(write_csv(tmp_path / "a.csv", HEADERS, rows()), tree.root, committee_staff))
    moved = rows()
    moved[1][9] = "VNPT-CB2"
    moved[1][10] = "01/01/2010"

    job = _import(write_csv(tmp_path / "b.csv", HEADERS, moved), tree.root, committee_staff)

    assert job.status == Status.FAILED
    assert _errors(job) == [
        (
            3,
            "Membership start date",
            "The transfer date must be after the current membership began.",
        )
    ]
    assert Person.objects.get(code="DV002").organization == tree.own_cell


def test_private_cells_without_the_permission_are_row_errors(
    tmp_path, tree, base_secretary, monkeypatch
):
    staff = ROLE_PERMISSIONS[Role.ORGANIZATION_STAFF]
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.ORGANIZATION_STAFF, staff - {Perm.VIEW_PRIVATE})

    job = _import(write_csv(tmp_path / "p.csv", HEADERS, rows()), tree.own, base_secretary)

    assert job.status == Status.FAILED
    message = "You may not import private data (citizen ID, phone, email)."
    assert _errors(job) == [
        (2, "Citizen ID", message),
        (2, "Phone", message),
        (2, "Email", message),
    ]
    assert Person.objects.count() == 0
    # Without private cells the same user imports the people.
    plain = [row[:11] for row in rows()]
    _done(_import(write_csv(tmp_path / "q.csv", HEADERS[:11], plain), tree.own, base_secretary))
    assert Person.objects.count() == 3
    assert PersonPrivate.objects.count() == 0


def test_an_organization_outside_the_subtree_is_a_row_error(tmp_path, tree, base_secretary):
    bad = rows()
    bad[2][9] = "VNPT-CB2"

    job = _import(write_csv(tmp_path / "p.csv", HEADERS, bad), tree.own, base_secretary)

    assert job.status == Status.FAILED
    [(line, column, message)] = _errors(job)
    assert (line, column) == (4, "Organization code")
    assert "VNPT-CB2" in message
    assert Person.objects.count() == 0
    assert Membership.objects.count() == 0


def test_a_code_used_outside_the_subtree_is_a_row_error(tmp_path, tree, base_secretary):
    stranger = PersonFactory(code="DV003", organization=tree.other_cell, given_name="Khác")

    job = _import(write_csv(tmp_path / "p.csv", HEADERS, rows()), tree.own, base_secretary)

    assert job.status == Status.FAILED
    [(line, column, message)] = _errors(job)
    assert (line, column) == (4, "Personal code")
    assert message.startswith("This code is already used by a person outside")
    assert "Khác" not in message and "VNPT" not in message
    assert Person.objects.count() == 1
    stranger.refresh_from_db()
    assert stranger.organization == tree.other_cell
    assert not AuditEntry.objects.filter(verb__in=IMPORT_VERBS).exists()


def test_any_bad_row_writes_nothing(tmp_path, tree, base_secretary):
    bad = rows()
    bad[1][5] = "12/12/2990"  # born in the future
    bad.append(["DV004", "Phạm", "", "Tú", "", "10/10/2000", "01/01/1999", "", "", "BDV", "",
                "", "", ""])  # fmt: skip

    job = _import(write_csv(tmp_path / "p.csv", HEADERS, bad), tree.own, base_secretary)

    assert job.status == Status.FAILED
    assert [(line, column) for line, column, _m in _errors(job)] == [
        (3, "Date of birth"),
        (3, "Date of joining the party"),  # on or before that birth date
        (5, "Date of joining the party"),
    ]
    assert Person.objects.count() == 0
    assert Membership.objects.count() == 0
    assert not AuditEntry.objects.filter(verb__in=IMPORT_VERBS).exists()


def test_columns_left_out_of_the_file_are_kept(tmp_path, tree, base_secretary):
    _done(_import(write_csv(tmp_path / "a.csv", HEADERS, rows()), tree.own, base_secretary))
    headers = ["Personal code", "Family name", "Given name", "Organization code"]
    short = [["DV001", "Nguyễn", "Đức", "BDV-CB1"], ["DV002", "Trần", "Lan", "BDV-CB1"]]

    job = _done(_import(write_csv(tmp_path / "b.csv", headers, short), tree.own, base_secretary))

    assert (job.created, job.updated, job.unchanged) == (0, 0, 2)
    duc = Person.objects.get(code="DV001")
    assert (duc.middle_name, duc.private.phone) == ("Văn", "0912345678")


def test_a_failure_while_writing_rolls_back_and_leaves_the_triggers_on(
    tmp_path, tree, base_secretary, monkeypatch
):
    from lantoa.imports.kinds import people

    def broken(self):
        raise RuntimeError("disk full")

    monkeypatch.setattr(people.Merge, "_recount", broken)

    job = _import(write_csv(tmp_path / "p.csv", HEADERS, rows()), tree.own, base_secretary)

    assert job.status == Status.FAILED
    assert Person.objects.count() == 0
    assert not AuditEntry.objects.filter(verb__in=IMPORT_VERBS).exists()
    PersonFactory(organization=tree.own_cell, family_name="Quách", given_name="Tĩnh")
    assert Organization.objects.get(code="BDV-CB1").direct_member_count == 1
    assert [p.given_name for p in queries.people_matching(Person.objects.all(), "quach")] == [
        "Tĩnh"
    ]
