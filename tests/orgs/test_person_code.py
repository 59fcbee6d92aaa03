"""The personal code: the natural key that imports and the API recognize a person by."""

from django.urls import reverse

from lantoa.orgs.models import Person
from tests.factories import PersonFactory
from tests.orgs.test_pages import person_form


def test_a_code_is_saved_upper_case_and_an_empty_code_stays_empty(client, tree, base_secretary):
    client.force_login(base_secretary)
    client.post(reverse("orgs:person_create"), person_form(tree.own_cell, code=" dv-001 "))
    data = person_form(tree.own_cell, code="", given_name="Ánh")
    data["form_token"] = "tok-2"
    client.post(reverse("orgs:person_create"), data)
    assert Person.objects.get(given_name="Đức").code == "DV-001"
    assert Person.objects.get(given_name="Ánh").code is None


def test_a_code_used_by_someone_else_is_refused_next_to_the_field(client, tree, base_secretary):
    PersonFactory(organization=tree.other_cell, code="DV-001")
    client.force_login(base_secretary)
    response = client.post(reverse("orgs:person_create"), person_form(tree.own_cell, code="dv-001"))
    assert response.status_code == 200
    assert "Mã này đã được dùng cho người khác." in response.content.decode()
    assert Person.objects.filter(code="DV-001").count() == 1
