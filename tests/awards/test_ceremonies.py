# ruff: noqa: F811 - the fixtures imported from test_decisions are used as arguments
"""Ceremonies: planned for the awards of issued decisions of their rounds, held (those
honored become "honored"), counted per term; their papers and pages; and the committee's
page with its figures per year."""

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document as read_docx

from lantoa.awards.documents.ceremony import ceremony_docx
from lantoa.awards.models import Award, Ceremony, NominationEvent, NominationStatus
from lantoa.awards.services import ceremonies as services
from lantoa.awards.services import decisions as decision_services
from tests.awards.factories import award_form, make_nomination, make_round
from tests.awards.test_decisions import (  # noqa: F401 - fixtures
    _queries,
    catalog,
    draft,
    issued,
    person,
    round_,
    selected,
)
from tests.factories import PersonFactory

D = datetime.date
S = NominationStatus
DAY = D(2020, 12, 30)


def plan(by, org, rounds, **fields) -> Ceremony:
    values = {
        "title": "Hội nghị biểu dương, khen thưởng năm 2020",
        "date": DAY,
        "place": "Hội trường Tỉnh ủy Cà Mau",
        "program": "8 giờ 00: Khai mạc\n8 giờ 30: Công bố quyết định khen thưởng",
    }
    values.update(fields)
    return services.create_ceremony(by=by, organization=org, rounds=rounds, **values)


@pytest.fixture
def decided(catalog, round_, selected, committee_staff):
    """An issued decision commending the first four; the fifth is only drafted."""
    decision = issued(round_, committee_staff, selected[:4])
    draft(round_, committee_staff, selected[4:])
    return decision


# --- planning -----------------------------------------------------------------------------


def test_a_ceremony_honors_by_default_every_award_not_yet_honored(
    tree, round_, decided, committee_staff
):
    revoked = decided.awards.order_by("position").last()
    decision_services.revoke_decision(
        decided, by=committee_staff, awards=[revoked], reason="Khen nhầm.", date=DAY
    )

    ceremony = plan(committee_staff, tree.root, [round_])

    honored = set(ceremony.honored.all())
    assert honored == set(decided.awards.exclude(pk=revoked.pk))  # no draft, no revoked
    assert list(ceremony.rounds.all()) == [round_]
    second = plan(committee_staff, tree.root, [round_], title="Lần hai")
    assert second.honored.count() == 0  # all honored at the first already


def test_a_ceremony_checks_its_input(tree, round_, decided, committee_staff):
    with pytest.raises(ValidationError) as raised:
        plan(committee_staff, tree.root, [], title="", place="", date=None)
    assert set(raised.value.message_dict) >= {"title", "place", "date", "rounds"}

    other_round = make_round(tree.other, title="Đợt của Viễn thông")
    with pytest.raises(ValidationError) as raised:
        plan(committee_staff, tree.own, [other_round])
    assert "Đợt của Viễn thông" in str(raised.value)

    foreign = Award.objects.create(
        decision=decided, person=PersonFactory(organization=tree.own_cell), form=award_form()
    )
    elsewhere = make_round(tree.root, title="Đợt khác")
    with pytest.raises(ValidationError) as raised:
        plan(committee_staff, tree.root, [elsewhere], honored=[foreign])
    assert "honored" in raised.value.message_dict
    assert Ceremony.objects.count() == 0


def test_only_those_who_manage_rounds_plan_ceremonies(tree, round_, decided, base_secretary):
    with pytest.raises(PermissionDenied):
        plan(base_secretary, tree.root, [round_])


# --- holding ------------------------------------------------------------------------------


def test_holding_marks_those_honored(tree, round_, selected, decided, committee_staff):
    listed_only = Award.objects.create(
        decision=decided, collective=tree.other_cell, form=award_form()
    )
    ceremony = plan(committee_staff, tree.root, [round_])
    assert listed_only in ceremony.honored.all()

    services.hold_ceremony(ceremony, by=committee_staff)

    ceremony.refresh_from_db()
    assert ceremony.held
    for nomination in selected[:4]:
        nomination.refresh_from_db()
        assert nomination.status == S.HONORED
        event = NominationEvent.objects.filter(nomination=nomination).latest("id")
        assert (event.from_status, event.to_status, event.by) == (
            S.COMMENDED,
            S.HONORED,
            committee_staff,
        )
    selected[4].refresh_from_db()
    assert selected[4].status == S.SELECTED  # only drafted: not honored

    with pytest.raises(ValidationError):
        services.hold_ceremony(ceremony, by=committee_staff)
    with pytest.raises(ValidationError):
        services.update_ceremony(
            ceremony,
            by=committee_staff,
            title="Đổi tên",
            date=DAY,
            place="Nơi khác",
            rounds=[round_],
        )


def test_a_ceremony_is_not_held_before_its_day(tree, round_, decided, committee_staff):
    ceremony = plan(committee_staff, tree.root, [round_])

    with pytest.raises(ValidationError) as raised:
        services.hold_ceremony(ceremony, by=committee_staff, today=DAY - datetime.timedelta(1))

    assert "30/12/2020" in str(raised.value)
    ceremony.refresh_from_db()
    assert not ceremony.held
    assert decided.awards.first().nomination.status == S.COMMENDED


def test_the_honor_list_is_changed_before_the_day(tree, round_, decided, committee_staff):
    ceremony = plan(committee_staff, tree.root, [round_])
    keep = list(decided.awards.order_by("position")[:2])

    services.update_ceremony(
        ceremony,
        by=committee_staff,
        title="Hội nghị tuyên dương",
        date=DAY,
        place="Cà Mau",
        rounds=[round_],
        honored=keep,
    )

    assert set(ceremony.honored.all()) == set(keep)
    assert Ceremony.objects.get(pk=ceremony.pk).title == "Hội nghị tuyên dương"


# --- counted per term ---------------------------------------------------------------------


def test_ceremonies_are_counted_per_term(tree, catalog, round_, decided, committee_staff):
    for day in (D(2016, 12, 20), D(2018, 1, 5), D(2019, 12, 28)):
        services.hold_ceremony(
            plan(committee_staff, tree.root, [round_], date=day), by=committee_staff
        )
    plan(committee_staff, tree.root, [round_], date=D(2020, 12, 30))

    counts = {
        row.term.code: (row.held, row.planned) for row in services.ceremonies_per_term(tree.root)
    }

    assert counts == {"IX": (3, 0), "X": (0, 1)}


# --- papers -------------------------------------------------------------------------------


def test_the_program_and_honor_list_as_docx(tree, round_, decided, committee_staff):
    ceremony = plan(committee_staff, tree.root, [round_])

    document = read_docx(io.BytesIO(ceremony_docx(ceremony)))

    texts = [p.text for p in document.paragraphs]
    assert "CHƯƠNG TRÌNH" in texts and "Hội nghị biểu dương, khen thưởng năm 2020" in texts
    assert "8 giờ 00: Khai mạc" in texts
    assert "Hội trường Tỉnh ủy Cà Mau, ngày 30 tháng 12 năm 2020" in [
        p.text for p in document.tables[0].rows[0].cells[1].paragraphs
    ]
    rows = document.tables[-1].rows
    assert len(rows) == 1 + 4
    assert [row.cells[1].text for row in rows[1:]] == [
        "Chi bộ 1",
        "Đồng chí Phạm Minh An, Chi bộ 2",
        "Đồng chí Nguyễn Văn Ân, Chi bộ 1",
        "Đồng chí Trần Thị Bình, Chi bộ 1",
    ]
    assert rows[1].cells[3].text.startswith("01-QĐ/ĐU")


# --- pages --------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, committee_staff):
    client.force_login(committee_staff)
    client.cookies["django_language"] = "en"
    return client


def test_plan_and_hold_from_the_pages(tree, round_, selected, decided, staff_client):
    form = staff_client.get(reverse("awards:ceremony_create") + f"?round={round_.pk}")
    assert round_.title in form.content.decode()
    response = staff_client.post(
        reverse("awards:ceremony_create"),
        {
            "organization": tree.root.pk,
            "title": "Hội nghị biểu dương",
            "date": "30/12/2020",
            "place": "Cà Mau",
            "rounds": [round_.pk],
            "program": "Khai mạc\nBế mạc",
            "form_token": "cer-1",
        },
    )
    ceremony = Ceremony.objects.get()
    assert response["Location"] == reverse("awards:ceremony_detail", args=[ceremony.pk])
    assert ceremony.honored.count() == 4

    page = staff_client.get(response["Location"]).content.decode()
    assert "Trần Thị Bình" in page and "Planned" in page

    edit = reverse("awards:ceremony_edit", args=[ceremony.pk])
    assert staff_client.get(edit).status_code == 200
    first = decided.awards.order_by("position").first()
    staff_client.post(
        edit,
        {
            "title": "Hội nghị biểu dương",
            "date": "30/12/2020",
            "place": "Cà Mau",
            "rounds": [round_.pk],
            "program": "Khai mạc",
            "honored": [first.pk],
            "form_token": "cer-2",
        },
    )
    assert list(ceremony.honored.all()) == [first]

    response = staff_client.post(reverse("awards:ceremony_hold", args=[ceremony.pk]), follow=True)
    assert "recorded as held" in response.content.decode()
    first.nomination.refresh_from_db()
    assert first.nomination.status == S.HONORED

    assert staff_client.get(reverse("awards:ceremony_print", args=[ceremony.pk])).status_code == 200
    docx = staff_client.get(reverse("awards:ceremony_docx", args=[ceremony.pk]))
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    response = staff_client.get(edit, follow=True)
    assert "cannot be changed" in response.content.decode()


def test_ceremony_pages_answer_404_outside_the_grant(
    client, tree, round_, decided, committee_staff, base_secretary, outsider
):
    ceremony = plan(committee_staff, tree.root, [round_])
    urls = [
        reverse("awards:ceremony_detail", args=[ceremony.pk]),
        reverse("awards:ceremony_docx", args=[ceremony.pk]),
        reverse("awards:ceremony_print", args=[ceremony.pk]),
        reverse("awards:ceremony_edit", args=[ceremony.pk]),
        reverse("awards:committee", args=[tree.root.pk]),
    ]
    for user in (base_secretary, outsider):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
        assert client.post(reverse("awards:ceremony_hold", args=[ceremony.pk])).status_code == 404
    ceremony.refresh_from_db()
    assert not ceremony.held
    client.force_login(outsider)
    assert client.get(reverse("awards:ceremony_list")).status_code == 404
    assert client.get(reverse("awards:ceremony_create")).status_code == 404


def test_the_list_searches_and_counts_per_term(
    tree, round_, decided, staff_client, committee_staff
):
    held = plan(committee_staff, tree.root, [round_], date=D(2019, 12, 28), title="Lễ tuyên dương")
    services.hold_ceremony(held, by=committee_staff)
    planned = plan(committee_staff, tree.root, [round_])
    url = reverse("awards:ceremony_list")

    def listed(query: str) -> set[int]:
        page = staff_client.get(url + query).content.decode()
        return {c.pk for c in (held, planned) if f'id="ceremony-{c.pk}"' in page}

    assert listed("") == {held.pk, planned.pk}
    assert listed("?q=le+tuyen+duong") == {held.pk}
    assert listed("?q=hoi+truong") == {held.pk, planned.pk}
    assert listed("?year=2020") == {planned.pk}
    page = staff_client.get(url).content.decode()
    assert 'data-held="1"' in page  # term IX: one held


def test_the_committee_page_counts_per_year(
    tree, round_, selected, decided, staff_client, committee_staff
):
    make_nomination(
        round_, tree.own, person=person(tree.own_cell, "Lê", "Văn", "Tám"), status=S.NOT_SELECTED
    )
    make_nomination(
        round_, tree.own, person=person(tree.own_cell, "Lê", "Văn", "Chín"), status=S.DRAFT
    )
    services.hold_ceremony(plan(committee_staff, tree.root, [round_]), by=committee_staff)

    response = staff_client.get(reverse("awards:committee"))

    assert response.context["organization"] == tree.root
    (year,) = response.context["years"]
    assert year.year == 2020
    # (collectives, individuals): 6 submitted, 5 selected, 4 commended and honored
    assert year.figures == {
        "nominated": [2, 4],
        "selected": [2, 3],
        "commended": [1, 3],
        "honored": [1, 3],
    }
    page = response.content.decode()
    assert round_.title in page and "01-QĐ/ĐU" in page and "Hội nghị biểu dương" in page
    assert staff_client.get(reverse("awards:committee", args=[tree.own.pk])).status_code == 200


def _more_ceremonies(tree, round_, by, count: int) -> None:
    for i in range(count):
        plan(by, tree.root, [round_], title=f"Hội nghị {i}", honored=[])


@pytest.mark.parametrize("name", ["ceremony_list", "committee"])
def test_list_query_count_does_not_grow_with_rows(
    tree, round_, decided, staff_client, committee_staff, name
):
    url = reverse(f"awards:{name}")
    _more_ceremonies(tree, round_, committee_staff, 1)
    one = _queries(staff_client, url)
    _more_ceremonies(tree, round_, committee_staff, 12)
    assert _queries(staff_client, url) == one
