"""The ratings kind through the engine: lists, levels from scores, the cap, frozen lists."""

import pytest
from django.utils import timezone, translation

from lantoa.core.models import AuditEntry
from lantoa.imports.models import ImportJob
from lantoa.imports.services import import_path
from lantoa.programs.models import Rating, RatingList, RatingListStatus
from tests.factories import MemberFactory
from tests.imports.helpers import write_xlsx

pytestmark = pytest.mark.django_db
Status = ImportJob.Status
HEADERS = ["Personal code", "Year", "Score", "A disqualifying condition applies", "Level", "Note"]
YEAR = timezone.localdate().year


@pytest.fixture
def members(tree):
    people = [MemberFactory(code=f"DV-{n:03d}", organization=tree.own_cell) for n in range(6)]
    MemberFactory(code="DV-900", organization=tree.other_cell)
    return people


def _run(tmp_path, rows, user, org, name="r.xlsx") -> ImportJob:
    path = write_xlsx(tmp_path / name, HEADERS, rows)
    with translation.override("en"):
        return import_path(path, kind="ratings", by=user, organization=org)


def _errors(job) -> list[tuple[int, str, str]]:
    return list(job.row_errors.order_by("line", "id").values_list("line", "column", "message"))


def _rows(excellent: int = 1) -> list[list]:
    rows = [[f"DV-{n:03d}", YEAR, 92, "", "", ""] for n in range(excellent)]
    rows += [[f"DV-{n:03d}", YEAR, "75,5", "", "", ""] for n in range(excellent, 6)]
    return rows


def test_import_makes_the_list_then_reimport_then_update(tmp_path, tree, members, base_secretary):
    job = _run(tmp_path, _rows(), base_secretary, tree.own)
    assert job.status == Status.DONE, _errors(job)
    assert (job.created, job.updated, job.unchanged) == (6, 0, 0)
    rating_list = RatingList.objects.get()
    assert (rating_list.organization, rating_list.year) == (tree.own, YEAR)  # the base org
    assert rating_list.status == RatingListStatus.DRAFT
    levels = sorted(Rating.objects.values_list("level", flat=True))
    assert levels == ["excellent"] + ["good"] * 5
    entries = AuditEntry.objects.filter(verb="imports.created").count()
    assert entries == 7  # the list and six ratings

    again = _run(tmp_path, _rows(), base_secretary, tree.own, name="again.xlsx")
    assert (again.status, again.created, again.updated, again.unchanged) == (Status.DONE, 0, 0, 6)
    assert AuditEntry.objects.filter(verb__startswith="imports.c").count() == entries

    changed = [["DV-005", YEAR, 88, "", "", "Tiến bộ"]]
    job = _run(tmp_path, changed, base_secretary, tree.own, "c.xlsx")
    assert (job.created, job.updated, job.unchanged) == (0, 1, 0), _errors(job)
    rating = Rating.objects.get(person=members[5])
    assert (str(rating.score), rating.level, rating.note) == ("88.00", "good", "Tiến bộ")
    entry = AuditEntry.objects.get(verb="imports.updated")
    assert entry.changes["score"] == ["75.50", "88.00"]
    assert "level" not in entry.changes

    # one more "fail" leaves 4 rated good: their 20 % allows nobody excellent any more
    job = _run(tmp_path, [["DV-004", YEAR, 40, "", "", ""]], base_secretary, tree.own, "d.xlsx")
    assert job.status == Status.FAILED
    assert "2 rated" not in _errors(job)[0][2] and "at most 0 allowed" in _errors(job)[0][2]


def test_the_cap_on_excellent_refuses_the_file(tmp_path, tree, members, base_secretary):
    job = _run(tmp_path, _rows(excellent=2), base_secretary, tree.own)
    assert job.status == Status.FAILED
    errors = _errors(job)
    assert [line for line, _c, _m in errors] == [2, 3]  # the excellent rows
    assert errors[0][1] == "Score"
    assert (
        "would exceed the cap on excellent ratings: 2 rated excellent, at most 0 allowed"
        in (errors[0][2])
    )
    assert not RatingList.objects.exists() and not Rating.objects.exists()


def test_rules_and_scope(tmp_path, tree, members, base_secretary):
    rows = [
        ["DV-000", YEAR, 75, "", "Completed tasks excellently", ""],  # level disagrees
        ["DV-001", YEAR, 105, "", "", ""],  # not a score
        ["DV-900", YEAR, 80, "", "", ""],  # outside the subtree
        ["DV-002", YEAR, 95, "Có", "Did not complete tasks", ""],  # disqualified: agrees
    ]
    job = _run(tmp_path, rows, base_secretary, tree.own)
    errors = _errors(job)
    assert [line for line, _c, _m in errors] == [2, 3, 4]
    assert errors[0][2].startswith("A score of 75 gives “Completed tasks well”")
    assert errors[1][2] == "Enter a score from 0 to 100."
    assert "DV-900" in errors[2][2]
    assert not Rating.objects.exists()


def test_a_confirmed_list_is_frozen(tmp_path, tree, members, base_secretary):
    RatingList.objects.create(
        organization=tree.own,
        year=YEAR,
        rated_on=timezone.localdate(),
        status=RatingListStatus.CONFIRMED,
    )
    job = _run(tmp_path, _rows()[:1], base_secretary, tree.own)
    assert job.status == Status.FAILED
    assert "is confirmed and can no longer be changed" in _errors(job)[0][2]
    assert not Rating.objects.exists()
