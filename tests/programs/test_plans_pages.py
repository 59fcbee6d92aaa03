"""Plan pages: the permission table, query-count guards and what the pages show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.orgs.models import Role
from lantoa.programs.models import Pilot, PilotNote, PilotStatus, Plan, Target, TargetKind
from tests.factories import UserFactory, grant, make_org
from tests.programs.test_study_services import YEAR, D, members, record

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
OTHER_ORG = "Viễn thông"

# page -> roles that may open it for their own subtree (all pages name an object but two)
ALLOWED = {
    "plan_list": EVERYONE,
    "plan_search": EVERYONE,
    "plan_create": {A, C},
    "plan_detail": EVERYONE,
    "plan_edit": {A, C},
    "target_create": {A, C},
    "target_edit": {A, C},
    "pilot_create": {A, C},
    "pilot_note_create": {A, C},
    "pilot_evaluate": {A, C},
}
WITHOUT_OBJECT = {"plan_list", "plan_search", "plan_create"}


def make_plan(org, title):
    plan = Plan.objects.create(issuer=org, symbol="1-KH/ĐU", title=title)
    Target.objects.create(
        plan=plan, kind=TargetKind.STUDY_COVERAGE, label="100%", target_percent=100, year=YEAR
    )
    Pilot.objects.create(plan=plan, organization=make_org(org, name=f"Chi bộ điểm {title}"))
    return plan


def url_for(page, plan):
    target = plan.targets.first() if plan else None
    pilot = plan.pilots.first() if plan else None
    urls = {
        "plan_list": lambda: reverse("programs:plan_list"),
        "plan_search": lambda: reverse("programs:plan_list") + "?q=ke+hoach",
        "plan_create": lambda: reverse("programs:plan_create"),
        "plan_detail": lambda: reverse("programs:plan_detail", args=[plan.pk]),
        "plan_edit": lambda: reverse("programs:plan_edit", args=[plan.pk]),
        "target_create": lambda: reverse("programs:target_create", args=[plan.pk]),
        "target_edit": lambda: reverse("programs:target_edit", args=[target.pk]),
        "pilot_create": lambda: reverse("programs:pilot_create", args=[plan.pk]),
        "pilot_note_create": lambda: reverse("programs:pilot_note_create", args=[pilot.pk]),
        "pilot_evaluate": lambda: reverse("programs:pilot_evaluate", args=[pilot.pk]),
    }
    return urls[page]()


@pytest.fixture
def plans(tree):
    return make_plan(tree.own, "Kế hoạch nội bộ"), make_plan(tree.other, "Kế hoạch ngoại")


CASES = [
    (role, page, side)
    for role in ROLES
    for page in ALLOWED
    for side in (("own",) if page in WITHOUT_OBJECT else ("own", "other"))
]


@pytest.mark.parametrize(("role", "page", "side"), CASES)
def test_permission_table(client, tree, plans, role, page, side):
    user = UserFactory(username=f"u-{role}")
    grant(user, role, tree.own)
    client.force_login(user)

    response = client.get(url_for(page, plans[0] if side == "own" else plans[1]))

    allowed = role in ALLOWED[page] and side == "own"
    assert response.status_code == (200 if allowed else 404), (role, page, side)
    body = response.content.decode()
    assert "Kế hoạch ngoại" not in body
    assert OTHER_ORG not in body


@pytest.mark.parametrize("page", ALLOWED)
def test_an_outsider_sees_no_plan_page(client, tree, plans, outsider, page):
    client.force_login(outsider)
    assert client.get(url_for(page, plans[0])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, tree, plans):
    for page in ALLOWED:
        response = client.get(url_for(page, plans[0]))
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("login"))


def test_a_base_organization_sees_the_plans_from_above_with_its_own_pilots_only(
    client, tree, base_secretary
):
    plan = Plan.objects.create(issuer=tree.root, symbol="45-KH/ĐU", title="Kế hoạch của Đảng ủy")
    Pilot.objects.create(plan=plan, organization=tree.own)
    Pilot.objects.create(plan=plan, organization=tree.other)
    client.force_login(base_secretary)

    listed = client.get(reverse("programs:plan_list")).content.decode()
    detail = client.get(reverse("programs:plan_detail", args=[plan.pk])).content.decode()

    assert "Kế hoạch của Đảng ủy" in listed
    assert tree.own.name in detail
    assert OTHER_ORG not in detail


# --- what the pages show -----------------------------------------------------------------


def test_the_detail_shows_progress_computed_from_the_records(client, tree, committee_staff):
    plan = Plan.objects.create(issuer=tree.root, title="Kế hoạch")
    target = Target.objects.create(
        plan=plan,
        kind=TargetKind.STUDY_COVERAGE,
        label="100% tổ chức cơ sở sinh hoạt chuyên đề",
        target_percent=100,
        year=YEAR,
    )
    (a,) = members(tree.own_cell, 1)
    record(committee_staff, tree.own_cell, [a])
    client.force_login(committee_staff)

    body = client.get(reverse("programs:plan_detail", args=[plan.pk])).content.decode()

    assert f'id="target-{target.pk}"' in body
    assert 'data-done="1" data-total="2"' in body
    assert '<progress max="100" value="50.0">' in body
    assert "style=" not in body


def test_a_pilot_is_evaluated_through_its_form(client, tree, committee_staff):
    plan = Plan.objects.create(issuer=tree.root, title="Kế hoạch")
    pilot = Pilot.objects.create(plan=plan, organization=tree.own)
    client.force_login(committee_staff)
    url = reverse("programs:pilot_evaluate", args=[pilot.pk])

    response = client.post(
        url, {"evaluation": "Tốt", "lesson": "Nhân rộng", "evaluated_on": "05/06/2020"}
    )

    assert response.status_code == 302
    pilot.refresh_from_db()
    assert (pilot.status, pilot.evaluated_on) == (PilotStatus.EVALUATED, D(2020, 6, 5))


def test_a_follow_up_note_is_added_through_its_form(client, tree, committee_staff):
    plan = Plan.objects.create(issuer=tree.root, title="Kế hoạch")
    pilot = Pilot.objects.create(plan=plan, organization=tree.own)
    client.force_login(committee_staff)

    response = client.post(
        reverse("programs:pilot_note_create", args=[pilot.pk]),
        {"date": "01/03/2017", "text": "Đã triển khai"},
    )

    assert response.status_code == 302
    assert PilotNote.objects.get().date == D(2017, 3, 1)
    body = client.get(reverse("programs:plan_detail", args=[plan.pk])).content.decode()
    assert "Đã triển khai" in body


def test_a_duplicate_target_is_shown_as_a_field_error(client, tree, committee_staff):
    plan = Plan.objects.create(issuer=tree.root, title="Kế hoạch")
    data = {"kind": TargetKind.STUDY_COVERAGE, "label": "100%", "target_percent": 100, "year": YEAR}
    client.force_login(committee_staff)
    url = reverse("programs:target_create", args=[plan.pk])
    assert client.post(url, data).status_code == 302

    response = client.post(url, data)

    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert plan.targets.count() == 1


# --- query-count guards ------------------------------------------------------------------


def add_plans(tree, count):
    for i in range(count):
        plan = Plan.objects.create(issuer=tree.root, title=f"Kế hoạch {i}")
        Pilot.objects.create(plan=plan, organization=tree.own)


def add_pilots(tree, count, plan):
    start = plan.pilots.count()
    for i in range(count):
        org = make_org(tree.own, code=f"P{start + i}", name=f"Chi bộ điểm {start + i}")
        pilot = Pilot.objects.create(plan=plan, organization=org)
        PilotNote.objects.create(pilot=pilot, date=D(2017, 1, 1), text="Ghi chép")


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_plan_list_query_count_does_not_grow_with_rows(client, tree, committee_staff):
    client.force_login(committee_staff)
    url = reverse("programs:plan_list") + "?q=ke+hoach"
    add_plans(tree, 1)
    one = queries_for(client, url)
    add_plans(tree, 49)
    assert queries_for(client, url) == one


def test_plan_detail_query_count_does_not_grow_with_pilots(client, tree, committee_staff):
    plan = Plan.objects.create(issuer=tree.root, title="Kế hoạch")
    client.force_login(committee_staff)
    url = reverse("programs:plan_detail", args=[plan.pk])
    add_pilots(tree, 1, plan)
    one = queries_for(client, url)
    add_pilots(tree, 49, plan)
    assert queries_for(client, url) == one
