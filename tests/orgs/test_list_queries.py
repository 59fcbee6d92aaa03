"""Query-count guards: every list page runs the same number of queries for 1 and 50 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lantoa.core import audit
from lantoa.core.models import AuditEntry
from lantoa.orgs.models import Membership, PersonPrivate
from tests.factories import PersonFactory, make_org


def add_people(org, count):
    # the factory's name iterators run on across tests: fix the family name, so the
    # search "nguyen" finds every row whatever ran before
    people = PersonFactory.create_batch(count, organization=org, family_name="Nguyễn")
    for person in people:
        Membership.objects.create(person=person, organization=org, start_date="2020-01-01")
        PersonPrivate.objects.create(person=person, phone="0912345678", citizen_id="096123456789")
        audit.record_access(person, "test.viewed", actor=None)
    return people


def add_orgs(parent, count):
    start = parent.numchild
    return [
        make_org(parent, code=f"X{parent.pk}-{start + i}", name=f"Chi bộ tìm {start + i}")
        for i in range(count)
    ]


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


LISTS = {
    "people": (lambda tree: reverse("orgs:person_list"), add_people),
    "people_search": (lambda tree: reverse("orgs:person_list") + "?q=nguyen", add_people),
    "people_in_org": (
        lambda tree: reverse("orgs:person_list") + f"?org={tree.own.pk}",
        add_people,
    ),
    "audit": (lambda tree: reverse("orgs:audit_list"), add_people),
    "org_search": (lambda tree: reverse("orgs:tree") + "?q=chi+bo+tim", add_orgs),
    "tree_children": (lambda tree: reverse("orgs:children", args=[tree.own_cell.pk]), add_orgs),
    "org_detail": (lambda tree: reverse("orgs:detail", args=[tree.own_cell.pk]), add_orgs),
}


@pytest.mark.parametrize("name", LISTS)
def test_list_page_query_count_does_not_grow_with_rows(client, tree, committee_staff, name):
    url_of, add = LISTS[name]
    client.force_login(committee_staff)
    PersonFactory.reset_sequence()
    if name == "audit":  # pages of the same kinds of entries, so the same related lookups
        AuditEntry.objects.all().delete()
    add(tree.own_cell, 1)
    one = queries_for(client, url_of(tree))
    add(tree.own_cell, 49)
    fifty = queries_for(client, url_of(tree))
    assert one == fifty
