"""Data kept by database triggers for speed (migration 0003) always equals a fresh count.

`Organization.direct_member_count` and the search-name dictionary are written by triggers on
the people table, so every writer keeps them: the services, the admin, bulk loads and the
factories. These tests compare them with counts made from the records after each change.
"""

import datetime

import pytest
from django.test import RequestFactory

from lantoa.orgs import queries, services
from lantoa.orgs.models import Organization, Person, Role
from lantoa.orgs.scope import SESSION_KEY
from lantoa.orgs.views.common import scope_root_paths, scoped_org_q
from tests.factories import PersonFactory, UserFactory, grant, make_org

D = datetime.date


def people(count: int, organization, **fields) -> list[Person]:
    """People with explicit names: the factory's name iterators, shared by every test
    module, are left where they are."""
    return [
        PersonFactory(
            family_name="Lê",
            middle_name="Văn",
            given_name=f"Tư {i}",
            organization=organization,
            **fields,
        )
        for i in range(count)
    ]


@pytest.fixture
def admin(db):
    return UserFactory(username="counts-admin", is_superuser=True, is_staff=True)


def assert_counts_fresh() -> None:
    """Stored direct counts and the subtree totals built on them match the records."""
    stored = dict(Organization.objects.values_list("pk", "direct_member_count"))
    fresh = {pk: Person.objects.filter(organization_id=pk, archived=False).count() for pk in stored}
    assert stored == fresh
    nodes = list(Organization.objects.order_by("path"))
    totals = queries.subtree_member_counts(nodes)
    for node in nodes:
        expected = Person.objects.filter(
            organization__path__startswith=node.path, archived=False
        ).count()
        assert totals[node.path] == expected, node.name


def test_counts_follow_create_transfer_archive_merge_and_delete(tree, admin):
    def create(org, given):
        return services.create_person(
            by=admin,
            organization=org,
            family_name="Nguyễn",
            given_name=given,
            joined_on=D(2020, 1, 1),
        )

    created = [create(tree.own_cell, name) for name in ("An", "Bình", "Cường")]
    others = [create(tree.other_cell, name) for name in ("Dũng", "Hà")]
    assert_counts_fresh()
    assert Organization.objects.get(pk=tree.own_cell.pk).direct_member_count == 3

    services.transfer_person(created[0], tree.other_cell, by=admin, on=D(2021, 1, 1))
    assert_counts_fresh()

    services.archive_person(created[1], by=admin, on=D(2022, 1, 1))
    assert_counts_fresh()

    services.merge_organizations(tree.own, tree.other, by=admin, on=D(2023, 1, 1))
    assert_counts_fresh()

    services.delete_person(others[1], by=admin)
    assert_counts_fresh()
    root_total = queries.subtree_member_counts([Organization.objects.get(pk=tree.root.pk)])
    assert root_total == {tree.root.path: 3}


def test_counts_follow_writes_that_bypass_the_services(tree):
    """Factories, bulk loads and the admin save models directly: the triggers still count."""
    people(4, tree.own_cell)
    Person.objects.bulk_create(
        [Person(family_name="Lê", given_name=f"Tư {i}", organization=tree.other) for i in range(3)]
    )
    assert_counts_fresh()
    moved = Person.objects.filter(organization=tree.own_cell).first()
    moved.organization = tree.other_cell
    moved.save()
    Person.objects.filter(organization=tree.other).update(archived=True)
    Person.objects.filter(organization=tree.own_cell).first().delete()
    assert_counts_fresh()
    Person.objects.filter(archived=True).update(archived=False, organization=tree.own)
    assert_counts_fresh()


def test_an_organization_saved_whole_keeps_its_count_when_nobody_moved(tree):
    people(2, tree.own_cell)
    cell = Organization.objects.get(pk=tree.own_cell.pk)
    cell.name = "Chi bộ 1 (đổi tên)"
    cell.save()
    assert_counts_fresh()


@pytest.mark.parametrize(
    "text",
    ["nguyen", "Nguyễn Văn", "văn đức", "VAN DUC", "uc", "d", "ĐỨC", "50%", "a_b", "", "  ", "x"],
)
def test_name_search_matches_the_plain_search(tree, text):
    names = [
        ("Nguyễn", "Văn", "Đức"),
        ("Trần", "Thị", "Đào"),
        ("Lê", "Văn Minh", "Dũng"),
        ("Nguyễn", "Đức", "Anh"),
        ("Phạm", "", "50% a_b"),
        ("Phạm", "", "50x axb"),
    ]
    Person.objects.bulk_create(
        [
            Person(family_name=f, middle_name=m, given_name=g, organization=tree.own_cell)
            for f, m, g in names
        ]
        + [Person(family_name="Đỗ", given_name="Duy", organization=tree.other_cell)]
    )
    for person in Person.objects.all():  # bulk_create skips save(): keys are set here
        person.save()
    expected = set(Person.objects.matching(text).values_list("pk", flat=True))
    found = set(queries.people_matching(Person.objects.all(), text).values_list("pk", flat=True))
    assert found == expected


def test_name_search_follows_renames_and_bulk_loads(tree):
    person = PersonFactory(
        family_name="Hoàng", middle_name="", given_name="Yến", organization=tree.own_cell
    )
    assert list(queries.people_matching(Person.objects.all(), "hoang yen")) == [person]
    person.given_name = "Oanh"
    person.save()
    assert list(queries.people_matching(Person.objects.all(), "hoang yen")) == []
    assert list(queries.people_matching(Person.objects.all(), "hoang")) == [person]
    loaded = Person(family_name="Vũ", given_name="Khoa", organization=tree.own_cell)
    loaded.refresh_keys()
    Person.objects.bulk_create([loaded])
    assert queries.people_matching(Person.objects.all(), "vu khoa").count() == 1


def test_subtree_q_selects_what_startswith_selects(tree):
    deep = make_org(tree.own_cell, code="DEEP", name="Tổ 1")
    people(2, deep)
    people(1, tree.other_cell)
    people(1, None)
    paths = ["", *Organization.objects.values_list("path", flat=True)]
    for path in paths:
        expected = set(Organization.objects.filter(path__startswith=path))
        assert set(Organization.objects.filter(queries.subtree_q(path))) == expected
        expected = Person.objects.filter(organization__path__startswith=path).count()
        assert (
            Person.objects.filter(queries.subtree_q(path, "organization__path")).count() == expected
        )
        assert Person.objects.filter(queries.in_subtree_q(path)).count() == expected


def _request(user, scope: Organization | None = None):
    request = RequestFactory().get("/orgs/")
    request.user = user
    request.session = {SESSION_KEY: scope.pk} if scope else {}
    return request


def _old_roots(request) -> list[int]:
    return [node.pk for node in queries.children_with_counts(None, scoped_org_q(request))]


def _new_roots(request) -> list[int]:
    return [node.pk for node in queries.roots_with_counts(scope_root_paths(request))]


def test_tree_roots_read_from_grants_are_the_roots_of_the_scope(tree, admin):
    second_root = make_org(None, code="ROOT2", name="Đảng bộ thứ hai")
    make_org(second_root, code="ROOT2-1", name="Chi bộ A")
    staff = UserFactory(username="two-grants")
    grant(staff, Role.ORGANIZATION_STAFF, tree.own)
    grant(staff, Role.COUNCIL_MEMBER, tree.other_cell)
    grant(staff, Role.COUNCIL_MEMBER, tree.own_cell)  # inside `own`: not a root of its own
    nobody = UserFactory(username="no-grants")
    cases = [
        _request(admin),
        _request(admin, tree.own),
        _request(staff),
        _request(staff, tree.own),
        _request(staff, tree.root),  # a scope above the grants narrows nothing
        _request(nobody),
    ]
    for request in cases:
        assert _new_roots(request) == _old_roots(request)
    assert _new_roots(_request(admin)) == [tree.root.pk, second_root.pk]
    assert _new_roots(_request(staff)) == [tree.own.pk, tree.other_cell.pk]


def test_tree_pages_show_subtree_counts(client, tree, admin):
    people(3, tree.own_cell)
    people(1, tree.other_cell, archived=True)
    people(1, tree.other)
    client.force_login(admin)
    roots = client.get("/orgs/").context["nodes"]
    assert [(node.pk, node.member_count) for node in roots] == [(tree.root.pk, 4)]
    children = client.get(f"/orgs/{tree.root.pk}/children/").context["nodes"]
    assert {node.pk: node.member_count for node in children} == {tree.own.pk: 3, tree.other.pk: 1}


def test_people_in_view_for_a_whole_tree_grant_are_the_visible_people(tree, admin):
    from lantoa.orgs.rules import visible_people
    from lantoa.orgs.views.common import people_in_view

    people(2, tree.own_cell)
    people(1, None)
    (mine,) = people(1, None, account=admin)
    request = _request(admin)
    shown = set(people_in_view(request))
    assert shown == set(visible_people(admin))
    assert mine in shown
    assert len(shown) == 3


@pytest.mark.parametrize("small", [2000, 3])
@pytest.mark.parametrize("query", ["", "q=van", "org={own}", "org={own}&q=an"])
def test_people_pages_keep_the_order_and_count(
    client, tree, admin, settings, monkeypatch, small, query
):
    """`LateRows` (ids first, then rows) pages as `ORDER BY sort_key, id` does."""
    names = ["Đức", "Duy", "An", "Ánh", "Ăn", "Dũng", "Đạt", "An", "Bình", "Văn"]
    for i, given in enumerate(names):
        org = tree.own_cell if i % 3 else tree.other_cell
        PersonFactory(family_name="Lê", middle_name="Văn", given_name=given, organization=org)
    settings.LANTOA_PAGE_SIZE = 3
    monkeypatch.setattr(queries.LateRows, "SMALL", small)
    client.force_login(admin)
    url = "/people/?" + query.format(own=tree.own.pk)
    shown = []
    for number in range(1, 6):
        page = client.get(f"{url}&page={number}").context["page"]
        shown += [person.pk for person in page]
        total = page.paginator.count
        if not page.has_next():
            break
    expected = Person.objects.filter(archived=False)
    if "org" in query:
        expected = expected.filter(organization__path__startswith=tree.own.path)
    if "q=" in query:
        expected = expected.matching(query.split("q=")[1])
    expected_ids = list(expected.sorted().values_list("pk", flat=True))
    assert shown == expected_ids
    assert total == len(expected_ids)
