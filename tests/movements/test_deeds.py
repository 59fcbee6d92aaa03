"""Good people, good deeds: the services (exactly one doer, where it is recorded, bounds,
permissions) and the pages (404 outside the grant, the person picker, one record per double
submit, search by the doer's name, filters with query-count guards, the export)."""

import datetime
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lantoa.core.models import AuditEntry
from lantoa.movements.models import GoodDeed
from lantoa.movements.services import deeds as services
from lantoa.movements.services import proposals
from lantoa.orgs.models import Role
from tests.factories import PersonFactory, UserFactory, grant
from tests.movements.factories import make_deed

D = datetime.date


def field_errors(raised) -> dict[str, list[str]]:
    return {name: [str(m) for m in errors] for name, errors in raised.value.message_dict.items()}


@pytest.fixture
def people(tree):
    return {
        "lan": PersonFactory(
            family_name="Nguyễn", middle_name="Thị", given_name="Lan", organization=tree.own_cell
        ),
        "hai": PersonFactory(
            family_name="Lê", middle_name="Minh", given_name="Hải", organization=tree.other
        ),
        "homeless": PersonFactory(family_name="Võ", middle_name="", given_name="Tư"),
    }


def create(by, **fields) -> GoodDeed:
    defaults = {
        "title": "Trả lại của rơi",
        "description": "Nhặt được ví và trả lại người đánh rơi.",
        "date": D(2019, 5, 19),
    }
    defaults.update(fields)
    return services.create_deed(by=by, **defaults)


# --- services ----------------------------------------------------------------------------


def test_a_person_s_deed_is_recorded_in_their_organization(tree, base_secretary, people):
    deed = create(base_secretary, person=people["lan"])
    assert deed.organization == tree.own_cell and deed.doer == people["lan"]
    assert deed.recorded_by == base_secretary


def test_a_collective_s_deed_is_recorded_in_the_collective(tree, base_secretary):
    deed = create(base_secretary, collective=tree.own_cell)
    assert deed.organization == tree.own_cell and deed.doer == tree.own_cell


def test_the_place_of_record_may_be_chosen_within_reach(tree, base_secretary, people):
    deed = create(base_secretary, person=people["lan"], organization=tree.own)
    assert deed.organization == tree.own


@pytest.mark.parametrize("doers", ["none", "both"])
def test_exactly_one_doer(tree, base_secretary, people, doers):
    fields = {} if doers == "none" else {"person": people["lan"], "collective": tree.own}
    with pytest.raises(ValidationError) as raised:
        create(base_secretary, **fields)
    assert "person" in field_errors(raised)
    assert GoodDeed.objects.count() == 0


def test_the_doer_must_be_visible_and_the_place_within_reach(
    tree, base_secretary, committee_staff, people
):
    with pytest.raises(ValidationError) as raised:
        create(base_secretary, person=people["hai"])
    assert "person" in field_errors(raised)
    with pytest.raises(ValidationError) as raised:
        create(base_secretary, collective=tree.other)
    assert "collective" in field_errors(raised)
    with pytest.raises(ValidationError) as raised:
        create(base_secretary, person=people["lan"], organization=tree.root)
    assert "organization" in field_errors(raised)
    # someone without an organization is no one's to see
    with pytest.raises(ValidationError) as raised:
        create(committee_staff, person=people["homeless"], organization=tree.root)
    assert "person" in field_errors(raised)


def test_a_member_of_another_line_seen_by_a_committee_is_recorded_there(
    tree, committee_staff, people
):
    deed = create(committee_staff, person=people["hai"])
    assert deed.organization == tree.other


def test_only_recording_staff_may_record(tree, council_member, outsider, people):
    for user in (council_member, outsider):
        with pytest.raises(PermissionDenied):
            create(user, collective=tree.own)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"date": None}, "date"),
        ({"date": timezone.localdate() + datetime.timedelta(days=1)}, "date"),
        ({"date": D(1900, 1, 1)}, "date"),
        ({"description": "   "}, "description"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_values_are_refused(tree, base_secretary, people, fields, field):
    with pytest.raises(ValidationError) as raised:
        create(base_secretary, person=people["lan"], **fields)
    assert field in field_errors(raised)
    assert GoodDeed.objects.count() == 0


def test_a_correction_keeps_a_doer_moved_out_of_sight(
    tree, base_secretary, committee_staff, people
):
    deed = create(committee_staff, person=people["hai"], organization=tree.own)
    updated = services.update_deed(
        deed,
        by=base_secretary,
        person=people["hai"],
        organization=tree.own,
        title="Cứu người đuối nước",
        description=deed.description,
        date=deed.date,
    )
    assert updated.title == "Cứu người đuối nước"
    with pytest.raises(ValidationError):
        services.update_deed(
            deed,
            by=base_secretary,
            collective=tree.other,
            organization=tree.own,
            title=deed.title,
            description=deed.description,
            date=deed.date,
        )


def test_staff_cannot_touch_deeds_outside_their_subtree(tree, base_secretary, people):
    theirs = make_deed(tree.other, person=people["hai"])
    with pytest.raises(PermissionDenied):
        services.update_deed(
            theirs,
            by=base_secretary,
            collective=tree.own,
            title="x",
            description="y",
            date=D(2019, 1, 1),
        )
    with pytest.raises(PermissionDenied):
        services.delete_deed(theirs, by=base_secretary)


def test_writes_are_audited_and_a_proposed_deed_is_withdrawn_before_deletion(
    tree, base_secretary, people
):
    deed = create(base_secretary, person=people["lan"])
    proposals.put_forward(deed, by=base_secretary, note="Tấm gương sáng")
    with pytest.raises(ValidationError):
        services.delete_deed(deed, by=base_secretary)
    proposals.withdraw(deed, by=base_secretary)
    pk = deed.pk
    services.delete_deed(deed, by=base_secretary)

    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(GoodDeed), object_pk=str(pk)
    )
    actions = set(entries.values_list("action", flat=True))
    assert {AuditEntry.Action.CREATE, AuditEntry.Action.UPDATE, AuditEntry.Action.DELETE} <= actions


# --- pages -------------------------------------------------------------------------------


def form_data(**fields) -> dict:
    data = {
        "form_token": "deed-token",
        "title": "Hiến đất làm đường",
        "date": "02/09/2019",
        "description": "Hiến 200 m² đất để mở rộng đường ấp.",
        "person": "",
        "collective": "",
        "organization": "",
    }
    data.update(fields)
    return data


def test_a_double_submit_records_one_deed(client, tree, base_secretary, people):
    client.force_login(base_secretary)
    data = form_data(person=people["lan"].pk)
    first = client.post(reverse("movements:deed_create"), data)
    again = client.post(reverse("movements:deed_create"), data)

    deed = GoodDeed.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == f"/good-deeds/{deed.pk}/"
    assert (deed.person, deed.organization, deed.date) == (
        people["lan"],
        tree.own_cell,
        D(2019, 9, 2),
    )
    page = client.get(first["Location"]).content.decode()
    assert "Nguyễn Thị Lan" in page and "02/09/2019" in page


def test_the_form_refuses_two_doers_and_keeps_the_person(client, tree, base_secretary, people):
    client.force_login(base_secretary)
    response = client.post(
        reverse("movements:deed_create"),
        form_data(person=people["lan"].pk, collective=tree.own.pk),
    )
    page = response.content.decode()
    assert response.status_code == 200 and not GoodDeed.objects.exists()
    assert 'id="person_error"' in page
    assert f'name="person" value="{people["lan"].pk}" form="deed-form" checked' in page


def test_a_collective_through_the_form(client, tree, base_secretary):
    client.force_login(base_secretary)
    response = client.post(reverse("movements:deed_create"), form_data(collective=tree.own.pk))
    assert response.status_code == 302
    assert GoodDeed.objects.get().collective == tree.own


def test_the_person_search_offers_visible_people(client, tree, base_secretary, people):
    client.force_login(base_secretary)
    url = reverse("movements:deed_person_search")
    found = client.get(url, {"find": "nguyen thi lan"}).content.decode()
    hidden = client.get(url, {"find": "le minh hai"}).content.decode()
    assert f'type="radio" name="person" value="{people["lan"].pk}"' in found
    assert f'value="{people["hai"].pk}"' not in hidden


def test_pages_outside_the_grant_answer_404(client, tree, base_secretary, people):
    theirs = make_deed(tree.other, person=people["hai"], title="Việc tốt bên kia")
    client.force_login(base_secretary)
    for name in ("deed_detail", "deed_edit", "deed_put_forward"):
        assert client.get(reverse(f"movements:{name}", args=[theirs.pk])).status_code == 404
    for name in ("deed_delete", "deed_withdraw"):
        assert client.post(reverse(f"movements:{name}", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("movements:deed_list"), {"org": tree.other.pk}).status_code == 404
    assert "Việc tốt bên kia" not in client.get(reverse("movements:deed_list")).content.decode()
    assert GoodDeed.objects.filter(pk=theirs.pk).exists()


def test_edit_and_delete_through_the_pages(client, tree, base_secretary, people):
    deed = make_deed(tree.own_cell, person=people["lan"])
    client.force_login(base_secretary)
    edit = reverse("movements:deed_edit", args=[deed.pk])
    assert (
        f'value="{people["lan"].pk}" form="deed-form" checked' in client.get(edit).content.decode()
    )
    data = form_data(person=people["lan"].pk, organization=tree.own_cell.pk, title="Sửa tên")
    assert client.post(edit, data).status_code == 302
    deed.refresh_from_db()
    assert deed.title == "Sửa tên"
    response = client.post(reverse("movements:deed_delete", args=[deed.pk]))
    assert response.status_code == 302 and not GoodDeed.objects.exists()


def test_the_list_searches_titles_and_doers_and_filters(client, tree, committee_staff, people):
    make_deed(tree.own_cell, person=people["lan"], title="Trả lại của rơi", date=D(2019, 5, 1))
    make_deed(tree.own, collective=tree.own, title="Xây nhà tình nghĩa", date=D(2020, 1, 2))
    proposed = make_deed(tree.other, person=people["hai"], title="Cứu người", date=D(2020, 7, 7))
    proposals.put_forward(proposed, by=committee_staff, note="Dũng cảm")
    client.force_login(committee_staff)

    def titles(**params) -> set[str]:
        page = client.get(reverse("movements:deed_list"), params).content.decode()
        return {t for t in ("Trả lại của rơi", "Xây nhà tình nghĩa", "Cứu người") if t in page}

    assert titles(q="nguyen thi lan") == {"Trả lại của rơi"}
    assert titles(q="LÊ MINH") == {"Cứu người"}
    assert titles(q="ban dan van") == {"Xây nhà tình nghĩa"}
    assert titles(q="nha tinh nghia") == {"Xây nhà tình nghĩa"}
    assert titles(year=2020) == {"Xây nhà tình nghĩa", "Cứu người"}
    assert titles(org=tree.own.pk) == {"Trả lại của rơi", "Xây nhà tình nghĩa"}
    assert titles(doer="collective") == {"Xây nhà tình nghĩa"}
    assert titles(put_forward="yes") == {"Cứu người"}
    assert titles(put_forward="no") == {"Trả lại của rơi", "Xây nhà tình nghĩa"}


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", ["", "?q=nguyen", "?year=2019&put_forward=no&doer=person"])
def test_the_list_runs_the_same_queries_for_1_and_40_rows(client, tree, committee_staff, params):
    client.force_login(committee_staff)
    url = reverse("movements:deed_list") + params
    make_deed(tree.own, person=PersonFactory(family_name="Nguyễn", organization=tree.own))
    one = count_queries(client, url)
    for n in range(39):
        if n % 3:
            make_deed(tree.own_cell, person=PersonFactory(organization=tree.own_cell))
        else:
            make_deed(tree.other, collective=tree.other_cell, title=f"Việc tốt {n}")
    assert count_queries(client, url) == one
    assert one <= 10


def test_the_export_reads_back(client, tree, base_secretary, people):
    make_deed(tree.own_cell, person=people["lan"], title="Trả lại của rơi")
    make_deed(tree.other, collective=tree.other, title="Bên kia")
    client.force_login(base_secretary)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("movements:deed_export"))
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert len(rows) == 2
    values = dict(zip(rows[0], rows[1], strict=True))
    assert values["Title"] == "Trả lại của rơi"
    assert values["Doer"] == "Nguyễn Thị Lan"
    assert values["Recorded in"] == "Chi bộ 1"
    assert values["Date"].date() == D(2019, 5, 19)


def test_the_export_needs_the_export_permission(client, tree):
    member = UserFactory(username="member")
    grant(member, Role.MEMBER, tree.own)
    client.force_login(member)
    assert client.get(reverse("movements:deed_list")).status_code == 200
    assert client.get(reverse("movements:deed_export")).status_code == 404
