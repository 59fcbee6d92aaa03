"""No input, however malformed, makes a page fail: every answer is a page or a 404."""

import pytest
from django.urls import reverse

from lantoa.orgs.models import Person

BAD_VALUES = ["abc", "-1", "0", "1e9", "99999999999999999999", "%00", "' OR 1=1 --", "đ" * 300]


@pytest.mark.parametrize("value", BAD_VALUES)
def test_malformed_query_parameters_never_fail(client, tree, committee_staff, value):
    client.force_login(committee_staff)
    urls = [
        reverse("orgs:tree") + "?q=" + value + "&page=" + value,
        reverse("orgs:person_list") + "?org=" + value + "&page=" + value + "&q=" + value,
        reverse("orgs:person_export") + "?org=" + value + "&q=" + value,
        reverse("orgs:create") + "?parent=" + value,
        reverse("orgs:audit_list") + f"?date_from={value}&org={value}&actor={value}",
        reverse("orgs:audit_export") + f"?date_to={value}&obj={value}",
        reverse("orgs:person_create") + "?org=" + value,
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url


@pytest.mark.parametrize("value", BAD_VALUES)
def test_malformed_scope_choice_never_fails(client, tree, committee_staff, value):
    client.force_login(committee_staff)
    response = client.post(reverse("orgs:choose_scope"), {"org": value, "next": "//evil.example"})
    assert response.status_code in (302, 404)
    if response.status_code == 302:
        assert response["Location"] == reverse("home")


def test_posting_garbage_to_every_form_gives_messages_not_errors(client, tree, committee_staff):
    client.force_login(committee_staff)
    person = Person.objects.create(family_name="Lê", given_name="Hà", organization=tree.own_cell)
    garbage = {
        "form_token": "x" * 200,
        "code": "!!",
        "name": "",
        "kind": "nonsense",
        "parent": "abc",
        "target": "-5",
        "date": "32/13/2020",
        "family_name": "x" * 500,
        "given_name": "",
        "birth_date": "hôm qua",
        "organization": "null",
        "email": "@",
    }
    urls = [
        reverse("orgs:create") + f"?parent={tree.own.pk}",
        reverse("orgs:edit", args=[tree.own.pk]),
        reverse("orgs:move", args=[tree.own.pk]),
        reverse("orgs:merge", args=[tree.own.pk]),
        reverse("orgs:person_create"),
        reverse("orgs:person_edit", args=[person.pk]),
        reverse("orgs:person_transfer", args=[person.pk]),
    ]
    for url in urls:
        response = client.post(url, garbage)
        assert response.status_code == 200, url
        assert response.context["form"].errors, url
