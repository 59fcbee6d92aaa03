"""Study pages: the permission table, query-count guards, the session form and the
attendance page with its export."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lantoa.orgs.models import OrganizationKind, Role
from lantoa.programs.models import Attendance, StudySession, Theme, ThemeLevel
from lantoa.programs.queries.study import Rate
from tests.factories import UserFactory, grant, make_org
from tests.programs.test_study_services import members, record

ROLES = [
    Role.SYSTEM_ADMIN,
    Role.COMMITTEE_STAFF,
    Role.ORGANIZATION_STAFF,
    Role.COUNCIL_MEMBER,
    Role.MEMBER,
    Role.READ_ONLY,
]
A, C, S, V, M, R = ROLES
EVERYONE = set(ROLES)
OWN_NAME, OTHER_NAME = "Bích Nội", "Văn Ngoại"
OTHER_ORG = "Viễn thông"

ALLOWED = {
    "theme_list": EVERYONE,
    "theme_search": EVERYONE,
    "theme_create": {A, C},
    "theme_edit": {A, C},
    "session_list": EVERYONE,
    "session_list_in_org": EVERYONE,
    "session_choose_cell": {A, C, S},
    "session_new": {A, C, S},
    "session_detail": EVERYONE,
    "attendance": EVERYONE,
    "attendance_in_org": EVERYONE,
    "attendance_export": {A, C, S, R},
}
PER_OBJECT = {
    "theme_edit",
    "session_list_in_org",
    "session_new",
    "session_detail",
    "attendance_in_org",
    "attendance_export",
}


def url_for(page, side):
    org, cell, theme, session = side
    urls = {
        "theme_list": lambda: reverse("programs:theme_list"),
        "theme_search": lambda: reverse("programs:theme_list") + "?q=chuyen+de",
        "theme_create": lambda: reverse("programs:theme_create"),
        "theme_edit": lambda: reverse("programs:theme_edit", args=[theme.pk]),
        "session_list": lambda: reverse("programs:session_list"),
        "session_list_in_org": lambda: reverse("programs:session_list") + f"?org={org.pk}",
        "session_choose_cell": lambda: reverse("programs:session_create"),
        "session_new": lambda: reverse("programs:session_create") + f"?org={cell.pk}",
        "session_detail": lambda: reverse("programs:session_detail", args=[session.pk]),
        "attendance": lambda: reverse("programs:attendance"),
        "attendance_in_org": lambda: reverse("programs:attendance") + f"?org={org.pk}",
        "attendance_export": lambda: reverse("programs:attendance_export") + f"?org={org.pk}",
    }
    return urls[page]()


def text_of(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return "\n".join(
            " ".join(str(value) for value in row if value is not None)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    return response.content.decode()


@pytest.fixture
def sides(tree, committee_staff):
    """For each side: its base organization, cell, a topic it keeps and a session."""
    result = {}
    for name, org, cell, given in (
        ("own", tree.own, tree.own_cell, OWN_NAME),
        ("other", tree.other, tree.other_cell, OTHER_NAME),
    ):
        (person,) = members(cell, 1)
        person.given_name = given
        person.save()
        theme = Theme.objects.create(
            year=2024,
            level=ThemeLevel.COMMITTEE,
            issuer=org.name,
            title=f"Chuyên đề {given}",
            organization=org,
        )
        session = record(committee_staff, cell, [person], day=timezone.localdate())
        result[name] = (org, cell, theme, session)
    return result


CASES = [
    (role, page, side)
    for role in ROLES
    for page in ALLOWED
    for side in (("own", "other") if page in PER_OBJECT else ("own",))
]


@pytest.mark.parametrize(("role", "page", "side"), CASES)
def test_permission_table(client, tree, sides, role, page, side):
    user = UserFactory(username=f"u-{role}")
    grant(user, role, tree.own)
    client.force_login(user)

    response = client.get(url_for(page, sides[side]))

    allowed = role in ALLOWED[page] and side == "own"
    assert response.status_code == (200 if allowed else 404), (role, page, side)
    body = text_of(response)
    assert OTHER_NAME not in body
    assert OTHER_ORG not in body


@pytest.mark.parametrize("page", ALLOWED)
def test_an_outsider_sees_no_study_page(client, tree, sides, outsider, page):
    client.force_login(outsider)
    assert client.get(url_for(page, sides["own"])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, tree, sides):
    for page in ALLOWED:
        response = client.get(url_for(page, sides["own"]))
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("login"))


def test_organization_staff_cannot_post_a_session_for_another_subtree(client, tree, base_secretary):
    (person,) = members(tree.other_cell, 1)
    client.force_login(base_secretary)
    url = reverse("programs:session_create") + f"?org={tree.other_cell.pk}"
    response = client.post(url, {"date": "01/03/2024", "title": "x", f"present_{person.pk}": "on"})
    assert response.status_code == 404
    assert StudySession.objects.count() == 0


# --- the session form --------------------------------------------------------------------


def session_url(cell):
    return reverse("programs:session_create") + f"?org={cell.pk}"


def test_the_form_lists_the_current_members_of_the_cell(client, tree, base_secretary):
    a, b = members(tree.own_cell, 2)
    gone = members(tree.own_cell, 1)[0]
    gone.archived = True
    gone.save()
    (elsewhere,) = members(tree.other_cell, 1)
    client.force_login(base_secretary)

    body = client.get(session_url(tree.own_cell)).content.decode()

    assert f'name="present_{a.pk}"' in body
    assert f'name="present_{b.pk}"' in body
    assert f'name="present_{gone.pk}"' not in body
    assert f'name="present_{elsewhere.pk}"' not in body


def test_an_absentee_without_a_reason_gets_a_field_error(client, tree, base_secretary):
    a, b = members(tree.own_cell, 2)
    client.force_login(base_secretary)

    response = client.post(
        session_url(tree.own_cell),
        {"date": "01/03/2024", "title": "Sinh hoạt", f"present_{a.pk}": "on"},
    )

    assert response.status_code == 200
    assert f'id="id_reason_{b.pk}_error"' in response.content.decode()
    assert StudySession.objects.count() == 0


def test_a_session_is_recorded_through_the_form(client, tree, base_secretary):
    a, b = members(tree.own_cell, 2)
    client.force_login(base_secretary)

    response = client.post(
        session_url(tree.own_cell),
        {
            "date": "01/03/2024",
            "title": "Sinh hoạt chuyên đề",
            f"present_{a.pk}": "on",
            f"reason_{b.pk}": "Ốm",
        },
    )

    session = StudySession.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:session_detail", args=[session.pk])
    assert session.date.isoformat() == "2024-03-01"
    assert dict(Attendance.objects.values_list("person_id", "absence_reason")) == {
        a.pk: "",
        b.pk: "Ốm",
    }


def test_a_service_refusal_is_shown_on_the_form(client, tree, base_secretary):
    (a,) = members(tree.own_cell, 1)
    client.force_login(base_secretary)

    response = client.post(
        session_url(tree.own_cell), {"date": "01/03/2019", "title": "x", f"present_{a.pk}": "on"}
    )

    assert response.status_code == 200
    assert a.full_name in response.content.decode()
    assert StudySession.objects.count() == 0


# --- the attendance page -----------------------------------------------------------------


def test_the_attendance_page_shows_the_rate_of_the_subtree(client, tree, committee_staff):
    a, b, c = members(tree.own_cell, 3)
    today = timezone.localdate()
    record(committee_staff, tree.own_cell, [a, b], {c: "Ốm"}, day=today)
    client.force_login(committee_staff)

    response = client.get(reverse("programs:attendance") + f"?org={tree.root.pk}")

    body = response.content.decode()
    assert 'data-present="2" data-expected="3"' in body
    assert 'value="66.7"' in body
    assert "style=" not in body
    assert f'id="cell-{tree.own_cell.pk}"' in body
    assert f'id="cell-{tree.other_cell.pk}"' in body


def test_the_attendance_page_shows_each_sub_units_rate(client, tree, committee_staff):
    a, b, c = members(tree.own_cell, 3)
    (d,) = members(tree.other_cell, 1)
    today = timezone.localdate()
    record(committee_staff, tree.own_cell, [a, b], {c: "Ốm"}, day=today)
    record(committee_staff, tree.other_cell, [], {d: "Ốm"}, day=today)
    client.force_login(committee_staff)

    response = client.get(reverse("programs:attendance") + f"?org={tree.root.pk}")

    assert [(unit.pk, unit.rate) for unit in response.context["sub_units"]] == [
        (tree.own.pk, Rate(2, 3)),
        (tree.other.pk, Rate(0, 1)),
    ]
    assert response.context["rate"] == Rate(2, 4)


def test_the_attendance_table_and_export_search_cells_without_diacritics(
    client, tree, committee_staff
):
    client.force_login(committee_staff)
    query = f"?org={tree.root.pk}&q=chi+bo+2"

    page = client.get(reverse("programs:attendance") + query)
    export = text_of(client.get(reverse("programs:attendance_export") + query))

    assert [cell.pk for cell in page.context["page"]] == [tree.other_cell.pk]
    assert "Chi bộ 1" not in export
    assert "Chi bộ 2" in export


def test_the_attendance_export_has_the_same_figures(client, tree, committee_staff):
    a, b, c = members(tree.own_cell, 3)
    today = timezone.localdate()
    record(committee_staff, tree.own_cell, [a, b], {c: "Ốm"}, day=today)
    client.force_login(committee_staff)

    response = client.get(
        reverse("programs:attendance_export") + f"?org={tree.root.pk}&year={today.year}"
    )

    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[1:] == [
        ("BDV-CB1", "Chi bộ 1", 1, 2, 3, 66.7),
        ("VNPT-CB2", "Chi bộ 2", 0, 0, 0, None),
        (None, rows[-1][1], None, 2, 3, 66.7),
    ]


# --- query-count guards ------------------------------------------------------------------


def add_themes(tree, count):
    for i in range(count):
        Theme.objects.create(
            year=2024,
            level=ThemeLevel.COMMITTEE,
            issuer="Đảng ủy",
            title=f"Chuyên đề {i}",
            organization=tree.own,
        )


def add_sessions(tree, count):
    (person,) = members(tree.own_cell, 1)
    for _ in range(count):
        session = StudySession.objects.create(
            organization=tree.own_cell, date=timezone.localdate(), title="Sinh hoạt chuyên đề"
        )
        Attendance.objects.create(session=session, person=person, present=True)


def add_cells(tree, count):
    start = tree.own.numchild
    for i in range(count):
        cell = make_org(tree.own, code=f"CB-{start + i}", name=f"Chi bộ {start + i}")
        (person,) = members(cell, 1)
        session = StudySession.objects.create(
            organization=cell, date=timezone.localdate(), title="Sinh hoạt"
        )
        Attendance.objects.create(session=session, person=person, present=True)
        tree.own.refresh_from_db()


def add_base_organizations(tree, count):
    start = tree.root.numchild
    for i in range(count):
        base = make_org(
            tree.root,
            code=f"CS-{start + i}",
            name=f"Đảng bộ {start + i}",
            kind=OrganizationKind.BASE_COMMITTEE,
        )
        cell = make_org(base, code=f"CS-{start + i}-1", name=f"Chi bộ {start + i}")
        (person,) = members(cell, 1)
        session = StudySession.objects.create(
            organization=cell, date=timezone.localdate(), title="Sinh hoạt"
        )
        Attendance.objects.create(session=session, person=person, present=True)
        tree.root.refresh_from_db()


def add_members(tree, count):
    members(tree.own_cell, count)


LISTS = {
    "themes": (lambda tree: reverse("programs:theme_list") + "?q=chuyen+de", add_themes),
    "sessions": (lambda tree: reverse("programs:session_list") + "?q=sinh+hoat", add_sessions),
    "attendance": (lambda tree: reverse("programs:attendance") + f"?org={tree.own.pk}", add_cells),
    "attendance_by_unit": (
        lambda tree: reverse("programs:attendance") + f"?org={tree.root.pk}",
        add_base_organizations,
    ),
    "session_form": (lambda tree: session_url(tree.own_cell), add_members),
}


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("name", LISTS)
def test_list_page_query_count_does_not_grow_with_rows(client, tree, committee_staff, name):
    url_of, add = LISTS[name]
    client.force_login(committee_staff)
    add(tree, 1)
    one = queries_for(client, url_of(tree))
    add(tree, 49)
    assert queries_for(client, url_of(tree)) == one


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/study/attendance/?org=abc", 404),
        ("/study/attendance/?org=999999", 404),
        ("/study/attendance/?year=abc", 200),
        ("/study/attendance/?year=99999999", 200),
        ("/study/attendance/export.xlsx?year=-1", 200),
        ("/study/sessions/?year=99999999&q=%00", 200),
        ("/study/sessions/?org=1%27", 404),
        ("/study/sessions/new/?org=abc", 404),
    ],
)
def test_malformed_parameters_do_not_break_the_pages(client, tree, committee_staff, url, status):
    client.force_login(committee_staff)
    assert client.get(url).status_code == status


def test_a_base_organization_is_not_a_cell_that_records_sessions(client, tree, committee_staff):
    client.force_login(committee_staff)
    url = reverse("programs:session_create") + f"?org={tree.own.pk}"
    assert client.get(url).status_code == 404
