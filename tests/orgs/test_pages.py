"""Pages as users meet them: forms, bad input, double submits, exports, the audit page."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from lantoa.core.models import AuditEntry
from lantoa.orgs.models import Organization, Person


def person_form(org, **overrides):
    data = {
        "form_token": "tok-1",
        "family_name": "Nguyễn",
        "middle_name": "Văn",
        "given_name": "Đức",
        "gender": "male",
        "birth_date": "05/06/1985",
        "party_joined_on": "",
        "party_official_on": "",
        "position": "Chuyên viên",
        "organization": str(org.pk),
        "citizen_id": "",
        "phone": "",
        "email": "",
    }
    data.update(overrides)
    return data


def test_person_is_created_and_dates_are_read_day_first(client, tree, base_secretary):
    client.force_login(base_secretary)
    response = client.post(reverse("orgs:person_create"), person_form(tree.own_cell))
    person = Person.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orgs:person_detail", args=[person.pk])
    assert person.birth_date == datetime.date(1985, 6, 5)  # 05/06 is 5 June, not 6 May
    page = client.get(response["Location"]).content.decode()
    assert "05/06/1985" in page


def test_a_double_submit_creates_one_person(client, tree, base_secretary):
    client.force_login(base_secretary)
    first = client.post(reverse("orgs:person_create"), person_form(tree.own_cell))
    second = client.post(reverse("orgs:person_create"), person_form(tree.own_cell))
    assert Person.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("given_name", "", "Trường này là bắt buộc."),
        ("family_name", "N" * 51, "tối đa 50"),
        ("birth_date", "31/02/1990", "Nhập một ngày hợp lệ."),
        ("birth_date", "1990-13-45", "Nhập một ngày hợp lệ."),
        ("citizen_id", "12345", "12"),
        ("phone", "12ab", "0912345678"),
        ("email", "not-an-email", "email"),
        ("given_name", "Đức<script>", "ký hiệu"),
        ("birth_date", "01/01/2999", "01/01/1900"),
        ("organization", "999999", "lựa chọn hợp lệ"),
    ],
)
def test_bad_person_input_gets_a_vietnamese_message_next_to_the_field(
    client, tree, base_secretary, field, value, message
):
    client.force_login(base_secretary)
    response = client.post(
        reverse("orgs:person_create"), person_form(tree.own_cell, **{field: value})
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message.lower() in " ".join(errors[field]).lower(), errors[field]
    assert f'id="id_{field}_error"' in response.content.decode()
    assert not Person.objects.exists()


def test_organization_staff_cannot_add_a_person_to_another_subtree(client, tree, base_secretary):
    client.force_login(base_secretary)
    response = client.post(reverse("orgs:person_create"), person_form(tree.other_cell))
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Person.objects.exists()


def test_moving_an_organization_under_its_descendant_is_refused_on_the_page(
    client, tree, committee_staff
):
    client.force_login(committee_staff)
    response = client.post(
        reverse("orgs:move", args=[tree.own.pk]), {"form_token": "m1", "parent": tree.own_cell.pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert (
        Organization.objects.get_parent(Organization.objects.get(pk=tree.own.pk)).pk == tree.root.pk
    )


def test_deleting_an_organization_with_members_explains_why(client, tree, committee_staff):
    client.force_login(committee_staff)
    client.post(reverse("orgs:person_create"), person_form(tree.own_cell))
    client.force_login(committee_staff)
    response = client.post(reverse("orgs:delete", args=[tree.own_cell.pk]), follow=True)
    assert Organization.objects.filter(pk=tree.own_cell.pk).exists()
    messages = [str(m) for m in response.context["messages"]]
    assert any("lưu trữ" in m for m in messages), messages


def test_organization_form_refuses_a_duplicate_code(client, tree, committee_staff):
    client.force_login(committee_staff)
    response = client.post(
        reverse("orgs:create") + f"?parent={tree.own.pk}",
        {"form_token": "o1", "code": "bdv-cb1", "name": "Chi bộ mới", "kind": "cell"},
    )
    assert response.status_code == 200
    assert "code" in response.context["form"].errors


def test_merge_through_the_page(client, tree, committee_staff):
    client.force_login(committee_staff)
    response = client.post(
        reverse("orgs:merge", args=[tree.own.pk]),
        {"form_token": "g1", "target": tree.other.pk, "date": "01/04/2019"},
    )
    assert response.status_code == 302
    merged = Organization.objects.get(pk=tree.own.pk)
    assert merged.archived and merged.merged_into_id == tree.other.pk
    assert merged.valid_to == datetime.date(2019, 3, 31)


def test_people_export_has_the_list_filters_and_vietnamese_text(client, tree, committee_staff):
    client.force_login(committee_staff)
    client.post(reverse("orgs:person_create"), person_form(tree.own_cell))
    client.post(
        reverse("orgs:person_create"),
        person_form(tree.other_cell, form_token="tok-2", family_name="Lê", given_name="Ánh"),
    )
    response = client.get(reverse("orgs:person_export") + "?q=duc")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Họ", "Tên đệm", "Tên")
    assert [row[:3] for row in rows[1:]] == [("Nguyễn", "Văn", "Đức")]


def test_audit_page_filters_by_organization_and_exports(client, tree, committee_staff):
    client.force_login(committee_staff)
    client.post(reverse("orgs:person_create"), person_form(tree.own_cell))
    client.post(
        reverse("orgs:person_create"),
        person_form(tree.other_cell, form_token="tok-2", family_name="Lê", given_name="Ánh"),
    )
    response = client.get(reverse("orgs:audit_list") + f"?org={tree.other.pk}")
    body = response.content.decode()
    assert "Lê Văn Ánh" in body and "Nguyễn Văn Đức" not in body
    export = client.get(reverse("orgs:audit_export") + f"?org={tree.own.pk}")
    workbook = load_workbook(io.BytesIO(b"".join(export.streaming_content)))
    text = " ".join(str(c) for row in workbook.active.iter_rows(values_only=True) for c in row if c)
    assert "Nguyễn Văn Đức" in text and "Lê Văn Ánh" not in text
    assert "committee_staff" in text
    assert AuditEntry.objects.filter(actor=committee_staff).count() >= 4


def test_private_data_is_masked_in_the_list_and_shown_on_request(client, tree, base_secretary):
    client.force_login(base_secretary)
    client.post(
        reverse("orgs:person_create"),
        person_form(tree.own_cell, citizen_id="096085001234", phone="0912345678"),
    )
    person = Person.objects.get()
    listing = client.get(reverse("orgs:person_list")).content.decode()
    assert "096085001234" not in listing and "0912345678" not in listing
    assert "234" in listing
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS).exists()
    shown = client.get(reverse("orgs:person_private", args=[person.pk])).content.decode()
    assert "096085001234" in shown
    assert (
        AuditEntry.objects.filter(action=AuditEntry.Action.ACCESS, actor=base_secretary).count()
        == 1
    )


def test_health_endpoint_answers_without_login(client, db):
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "database": "ok"}


def test_pages_send_a_csp_without_unsafe_inline(client, tree, committee_staff):
    client.force_login(committee_staff)
    response = client.get(reverse("orgs:tree"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
