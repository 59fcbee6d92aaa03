"""The permission table: every role × (own subtree, other subtree) × every page and export.

Each role is granted on the `own` base organization only. A cell says whether the page
answers (200) or not (404: pages outside a user's reach do not reveal that they exist).
No response, allowed or not, may contain a row of the other subtree.
"""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.core import audit
from lantoa.orgs.models import Membership, Role
from tests.factories import PersonFactory, UserFactory, grant

OWN_NAME, OTHER_NAME = "Bích Nội", "Văn Ngoại"
OTHER_ORG = "Viễn thông"

ROLES = [
    Role.SYSTEM_ADMIN,
    Role.COMMITTEE_STAFF,
    Role.ORGANIZATION_STAFF,
    Role.COUNCIL_MEMBER,
    Role.MEMBER,
    Role.READ_ONLY,
]
A, C, S, V, M, R = ROLES  # admin, committee, organization staff, council, member, read-only

# page -> roles that may open it for their own subtree
ALLOWED = {
    "tree": {A, C, S, V, M, R},
    "org_detail": {A, C, S, V, M, R},
    "org_children": {A, C, S, V, M, R},
    "org_edit": {A, C},
    "org_move": {A, C},
    "org_merge": {A, C},
    "org_new_child": {A, C},
    "org_export": {A, C, S, R},
    "people": {A, C, S, V, R},
    "people_in_org": {A, C, S, V, R},
    "people_search": {A, C, S, V, R},
    "people_export": {A, C, S, R},
    "person_detail": {A, C, S, V, R},
    "person_private": {A, C, S},
    "person_new": {A, C, S},
    "person_edit": {A, C, S},
    "person_transfer": {A, C, S},
    "audit": {A, C},
    "audit_export": {A, C},
}
# pages that name an object: the other subtree's object must always be refused
PER_OBJECT = {
    "org_detail",
    "org_children",
    "org_edit",
    "org_move",
    "org_merge",
    "org_new_child",
    "people_in_org",
    "person_detail",
    "person_private",
    "person_edit",
    "person_transfer",
}


def url_for(page: str, org, person) -> str:
    urls = {
        "tree": reverse("orgs:tree"),
        "org_detail": reverse("orgs:detail", args=[org.pk]),
        "org_children": reverse("orgs:children", args=[org.pk]),
        "org_edit": reverse("orgs:edit", args=[org.pk]),
        "org_move": reverse("orgs:move", args=[org.pk]),
        "org_merge": reverse("orgs:merge", args=[org.pk]),
        "org_new_child": reverse("orgs:create") + f"?parent={org.pk}",
        "org_export": reverse("orgs:export"),
        "people": reverse("orgs:person_list"),
        "people_in_org": reverse("orgs:person_list") + f"?org={org.pk}",
        "people_search": reverse("orgs:person_list") + "?q=van",
        "people_export": reverse("orgs:person_export"),
        "person_detail": reverse("orgs:person_detail", args=[person.pk]),
        "person_private": reverse("orgs:person_private", args=[person.pk]),
        "person_new": reverse("orgs:person_create"),
        "person_edit": reverse("orgs:person_edit", args=[person.pk]),
        "person_transfer": reverse("orgs:person_transfer", args=[person.pk]),
        "audit": reverse("orgs:audit_list"),
        "audit_export": reverse("orgs:audit_export"),
    }
    return urls[page]


def text_of(response) -> str:
    if response.get("Content-Type", "").startswith("application/vnd.openxml"):
        workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        return "\n".join(
            " ".join(str(value) for value in row if value is not None)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.fixture
def people(tree):
    own = PersonFactory(
        organization=tree.own_cell, family_name="Trần", middle_name="Thị", given_name=OWN_NAME
    )
    other = PersonFactory(
        organization=tree.other_cell, family_name="Lê", middle_name="", given_name=OTHER_NAME
    )
    for person in (own, other):
        Membership.objects.create(
            person=person, organization=person.organization, start_date="2020-01-01"
        )
        audit.record_access(person, "test.viewed", actor=None)
    return own, other


CASES = [
    (role, page, side)
    for role in ROLES
    for page in ALLOWED
    for side in (("own", "other") if page in PER_OBJECT else ("own",))
]


@pytest.mark.parametrize(("role", "page", "side"), CASES)
def test_permission_table(client, tree, people, role, page, side):
    user = UserFactory(username=f"u-{role}")
    grant(user, role, tree.own)
    own_person, other_person = people
    if role == Role.MEMBER:
        own_person.account = user
        own_person.save(update_fields=["account"])
    org, person = (tree.own, own_person) if side == "own" else (tree.other, other_person)
    client.force_login(user)

    response = client.get(url_for(page, org, person))

    allowed = role in ALLOWED[page] and side == "own"
    if page == "person_detail" and role == Role.MEMBER and side == "own":
        allowed = True  # a member sees their own record
    assert response.status_code == (200 if allowed else 404), (role, page, side)
    body = text_of(response)
    assert OTHER_NAME not in body
    assert OTHER_ORG not in body


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, tree, people):
    own_person, _ = people
    for page in ALLOWED:
        response = client.get(url_for(page, tree.own, own_person))
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("login"))


def test_an_account_without_grants_sees_nothing(client, tree, people):
    client.force_login(UserFactory(username="nobody"))
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 200
    assert tree.root.name not in response.content.decode()
    assert client.get(reverse("orgs:person_list")).status_code == 404
