"""Putting an initiative, a good deed or an activity forward for commendation: a note is
needed, twice is refused, it can be withdrawn, and auditlog keeps both changes. Through the
service and through the pages of initiatives and good deeds."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from lantoa.core.models import AuditEntry
from lantoa.movements.services import proposals
from tests.factories import PersonFactory
from tests.movements.factories import make_activity, make_deed, make_initiative

KINDS = ["initiative", "deed", "activity"]


def make_record(kind: str, org):
    if kind == "initiative":
        return make_initiative(org, [PersonFactory(organization=org)])
    if kind == "deed":
        return make_deed(org, person=PersonFactory(organization=org))
    return make_activity(org)


def audit_changes(record) -> list[dict]:
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(record),
        object_pk=str(record.pk),
        action=AuditEntry.Action.UPDATE,
    ).order_by("timestamp", "id")
    return [entry.changes for entry in entries]


@pytest.mark.parametrize("kind", KINDS)
def test_put_forward_then_withdraw_with_the_audit_trail(tree, base_secretary, kind):
    record = make_record(kind, tree.own_cell)

    proposals.put_forward(record, by=base_secretary, note="  Thành tích xuất sắc  ")
    record.refresh_from_db()
    assert record.is_put_forward and record.put_forward_by == base_secretary
    assert record.put_forward_note == "Thành tích xuất sắc"

    proposals.withdraw(record, by=base_secretary)
    record.refresh_from_db()
    assert not record.is_put_forward and record.put_forward_note == ""

    put, withdrawn = audit_changes(record)
    assert put["put_forward_note"] == ["", "Thành tích xuất sắc"]
    assert withdrawn["put_forward_note"] == ["Thành tích xuất sắc", ""]
    assert "put_forward_at" in put and "put_forward_at" in withdrawn


@pytest.mark.parametrize("kind", KINDS)
def test_a_note_is_needed_and_twice_is_refused(tree, base_secretary, kind):
    record = make_record(kind, tree.own)
    with pytest.raises(ValidationError) as raised:
        proposals.put_forward(record, by=base_secretary, note="   ")
    assert "note" in raised.value.message_dict
    with pytest.raises(ValidationError):
        proposals.withdraw(record, by=base_secretary)

    proposals.put_forward(record, by=base_secretary, note="Lần đầu")
    with pytest.raises(ValidationError):
        proposals.put_forward(record, by=base_secretary, note="Lần hai")
    record.refresh_from_db()
    assert record.put_forward_note == "Lần đầu"
    assert len(audit_changes(record)) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_only_recording_staff_of_the_subtree_may_put_forward(
    tree, base_secretary, council_member, kind
):
    record = make_record(kind, tree.other)
    for user in (base_secretary, council_member):
        with pytest.raises(PermissionDenied):
            proposals.put_forward(record, by=user, note="Xứng đáng")
    record.refresh_from_db()
    assert not record.is_put_forward


PAGES = {
    "initiative": ("initiative_detail", "initiative_put_forward", "initiative_withdraw"),
    "deed": ("deed_detail", "deed_put_forward", "deed_withdraw"),
}


@pytest.mark.parametrize("kind", PAGES)
def test_through_the_pages(client, tree, base_secretary, kind):
    record = make_record(kind, tree.own)
    detail, put_forward, withdraw = (
        reverse(f"movements:{name}", args=[record.pk]) for name in PAGES[kind]
    )
    client.force_login(base_secretary)
    assert put_forward in client.get(detail).content.decode()

    empty = client.post(put_forward, {"note": " ", "form_token": "p0"})
    assert empty.status_code == 200 and 'class="error"' in empty.content.decode()

    data = {"note": "Gương điển hình tiên tiến", "form_token": "p1"}
    first = client.post(put_forward, data)
    again = client.post(put_forward, data)  # a double click: one change
    assert first.status_code == again.status_code == 302 and first["Location"] == detail
    record.refresh_from_db()
    assert record.put_forward_note == "Gương điển hình tiên tiến"
    assert len(audit_changes(record)) == 1

    page = client.get(detail).content.decode()
    assert 'class="tag put-forward"' in page and "Gương điển hình tiên tiến" in page
    assert withdraw in page

    twice = client.post(put_forward, {"note": "Lần nữa", "form_token": "p2"})
    assert twice.status_code == 200
    record.refresh_from_db()
    assert record.put_forward_note == "Gương điển hình tiên tiến"

    assert client.get(withdraw).status_code == 405
    assert client.post(withdraw).status_code == 302
    record.refresh_from_db()
    assert not record.is_put_forward
    assert len(audit_changes(record)) == 2
    assert 'class="tag put-forward"' not in client.get(detail).content.decode()


def test_the_lists_mark_what_was_put_forward(client, tree, committee_staff):
    initiative = make_record("initiative", tree.own)
    deed = make_record("deed", tree.own)
    client.force_login(committee_staff)
    for record, name in ((initiative, "initiative_list"), (deed, "deed_list")):
        assert "put-forward" not in client.get(reverse(f"movements:{name}")).content.decode()
        proposals.put_forward(record, by=committee_staff, note="Xứng đáng")
        assert (
            'class="tag put-forward"' in client.get(reverse(f"movements:{name}")).content.decode()
        )
