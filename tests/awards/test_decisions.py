"""Decisions on commendation: drafted from the selected list, numbered from the issuer's
counter when issued, frozen afterwards, corrected or revoked only by another decision; and
their pages."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lantoa.awards.models import (
    Award,
    Decision,
    DecisionKind,
    DecisionStatus,
    NominationEvent,
    NominationStatus,
)
from lantoa.awards.services import decisions as services
from lantoa.programs.models import (
    Document,
    DocumentSystem,
    DocumentType,
    Issuer,
    NumberCounter,
    Term,
)
from lantoa.programs.services.documents import register_document
from tests.awards.factories import award_form, make_nomination, make_round
from tests.factories import PersonFactory, make_org

D = datetime.date
S = NominationStatus
PARTY = DocumentSystem.PARTY
ISSUED_ON = D(2020, 12, 20)
SIGNATURE = {
    "date": ISSUED_ON,
    "signer_name": "Lê Văn Sử",
    "signer_title": "Bí thư",
    "place": "Cà Mau",
}


# --- fixtures (shared with the other decision and ceremony tests) ------------------------


@pytest.fixture
def catalog(tree):
    """The ĐU issuer of the root organization, its two terms, and the QĐ type."""
    du = Issuer.objects.create(
        system=PARTY, code="ĐU", name="Đảng ủy Dân Chính Đảng tỉnh Cà Mau", organization=tree.root
    )
    qd = DocumentType.objects.create(system=PARTY, code="QĐ", name="Quyết định")
    ix = Term.objects.create(
        issuer=du, code="IX", name="Nhiệm kỳ 2015–2020", start_date=D(2015, 7, 1),
        end_date=D(2020, 7, 15),
    )  # fmt: skip
    x = Term.objects.create(
        issuer=du, code="X", name="Nhiệm kỳ 2020–2025", start_date=D(2020, 7, 16),
        end_date=D(2025, 6, 30),
    )  # fmt: skip
    return {"du": du, "qd": qd, "ix": ix, "x": x}


@pytest.fixture
def round_(tree):
    return make_round(tree.root)


def person(org, family: str, middle: str, given: str):
    return PersonFactory(family_name=family, middle_name=middle, given_name=given, organization=org)


@pytest.fixture
def selected(tree, round_):
    """Five selected nominations: three people and two collectives, made in an order that
    is not the annex's."""
    bang = award_form("bang-khen")
    giay = award_form("giay-khen")
    people = [
        person(tree.own_cell, "Trần", "Thị", "Bình"),
        person(tree.own_cell, "Nguyễn", "Văn", "Ân"),
        person(tree.other_cell, "Phạm", "Minh", "An"),
    ]
    nominations = [make_nomination(round_, tree.own, person=p, status=S.SELECTED) for p in people]
    nominations.append(
        make_nomination(round_, tree.own, collective=tree.own_cell, status=S.SELECTED)
    )
    nominations.append(
        make_nomination(
            round_, tree.other, collective=tree.other, status=S.SELECTED, proposed_form=bang
        )
    )
    assert giay.pk
    return nominations


def draft(round_, by, nominations, **fields):
    return services.create_decision(round=round_, by=by, nominations=nominations, **fields)


def issued(round_, by, nominations, **signature):
    decision = draft(round_, by, nominations)
    return services.issue_decision(decision, by=by, **{**SIGNATURE, **signature})


def annex(decision) -> list[str]:
    return [str(award.recipient) for award in decision.awards.order_by("position")]


# --- drafts -------------------------------------------------------------------------------


def test_a_draft_commends_the_selected_in_annex_order(catalog, round_, selected, committee_staff):
    decision = draft(round_, committee_staff, selected)

    assert decision.status == DecisionStatus.DRAFT and decision.symbol == ""
    assert decision.subject == "Về việc khen thưởng tập thể, cá nhân tiêu biểu năm 2020"
    # collectives first (by name), then people by given name: An < Ân < Bình
    assert annex(decision) == [
        "Chi bộ 1",
        "Đảng bộ Viễn thông Cà Mau",
        "Phạm Minh An",
        "Nguyễn Văn Ân",
        "Trần Thị Bình",
    ]
    assert [a.position for a in decision.awards.order_by("position")] == [1, 2, 3, 4, 5]
    forms = {str(a.recipient): a.form.code for a in decision.awards.all()}
    assert forms["Đảng bộ Viễn thông Cà Mau"] == "bang-khen"
    assert forms["Trần Thị Bình"] == "giay-khen"
    # nothing moved yet
    assert {n.status for n in selected} == {S.SELECTED}


def test_a_nomination_not_selected_is_refused_by_name(
    catalog, tree, round_, selected, committee_staff
):
    voting = make_nomination(
        round_, tree.own, person=person(tree.own_cell, "Lê", "Văn", "Tám"), status=S.VOTING
    )

    with pytest.raises(ValidationError) as raised:
        draft(round_, committee_staff, [*selected, voting])

    message = " ".join(raised.value.message_dict["nominations"])
    assert "Lê Văn Tám" in message
    assert "selected" in message or "chọn" in message
    assert Decision.objects.count() == 0 and Award.objects.count() == 0


def test_a_nomination_of_another_round_is_refused(catalog, tree, round_, selected, committee_staff):
    other_round = make_round(tree.root, title="Đợt khác")
    stranger = make_nomination(other_round, tree.own, status=S.SELECTED)

    with pytest.raises(ValidationError):
        draft(round_, committee_staff, [stranger])
    assert Decision.objects.count() == 0


def test_a_nomination_already_in_a_decision_is_refused(catalog, round_, selected, committee_staff):
    first = draft(round_, committee_staff, selected[:2])

    with pytest.raises(ValidationError) as raised:
        draft(round_, committee_staff, selected[1:3])

    assert str(selected[1].nominee) in str(raised.value)
    assert list(Decision.objects.all()) == [first]


def test_only_committee_staff_drafts_decisions(catalog, round_, selected, base_secretary):
    with pytest.raises(PermissionDenied):
        draft(round_, base_secretary, selected)


def test_a_draft_is_edited_freely(catalog, round_, selected, committee_staff):
    decision = draft(round_, committee_staff, selected[:3])
    bang = award_form("bang-khen")

    services.update_decision(
        decision,
        by=committee_staff,
        subject="Về việc khen thưởng năm 2020",
        body="Căn cứ Điều lệ Đảng;",
        date=ISSUED_ON,
        place="Cà Mau",
        signer_name="Lê Văn Sử",
        signer_title="Bí thư",
        nominations=[selected[0], selected[2], selected[3]],
        forms={selected[0].pk: bang},
    )

    decision.refresh_from_db()
    assert decision.subject == "Về việc khen thưởng năm 2020"
    assert annex(decision) == ["Chi bộ 1", "Phạm Minh An", "Trần Thị Bình"]
    assert decision.awards.get(nomination=selected[0]).form == bang
    # a later edit of the subject alone keeps everything else
    services.update_decision(decision, by=committee_staff, subject="Về việc khen thưởng")
    decision.refresh_from_db()
    assert decision.awards.get(nomination=selected[0]).form == bang
    assert (decision.body, decision.date, decision.signer_name) == (
        "Căn cứ Điều lệ Đảng;",
        ISSUED_ON,
        "Lê Văn Sử",
    )
    with pytest.raises(ValidationError) as raised:
        services.update_decision(decision, by=committee_staff, subject=" ")
    assert "subject" in raised.value.message_dict


def test_a_form_not_given_to_individuals_is_refused(catalog, round_, selected, committee_staff):
    only_collectives = award_form("co-thi-dua")
    only_collectives.for_people = False
    only_collectives.save()

    with pytest.raises(ValidationError) as raised:
        draft(round_, committee_staff, selected[:1], forms={selected[0].pk: only_collectives})
    assert "Trần Thị Bình" in str(raised.value)


# --- issuing and numbering ----------------------------------------------------------------


def test_issuing_numbers_registers_and_commends(catalog, round_, selected, committee_staff):
    decision = issued(round_, committee_staff, selected)

    decision.refresh_from_db()
    assert decision.status == DecisionStatus.ISSUED
    assert decision.symbol == "01-QĐ/ĐU"
    assert decision.date == ISSUED_ON and decision.issued_at is not None
    assert (decision.signer_name, decision.signer_title) == ("Lê Văn Sử", "Bí thư")
    document = decision.document
    assert (document.number, document.term, document.doc_type) == (1, catalog["x"], catalog["qd"])
    assert document.numbered_here and document.organization == decision.organization
    for nomination in selected:
        nomination.refresh_from_db()
        assert nomination.status == S.COMMENDED
        event = NominationEvent.objects.filter(nomination=nomination).latest("id")
        assert (event.from_status, event.to_status) == (S.SELECTED, S.COMMENDED)
        assert event.by == committee_staff


def test_two_decisions_of_a_term_get_1_and_2(catalog, round_, selected, committee_staff):
    first = issued(round_, committee_staff, selected[:2])
    second = issued(round_, committee_staff, selected[2:], date=D(2020, 12, 25))

    assert (first.symbol, second.symbol) == ("01-QĐ/ĐU", "02-QĐ/ĐU")
    assert (first.document.number, second.document.number) == (1, 2)


def test_numbers_restart_in_a_new_term(catalog, round_, selected, committee_staff):
    earlier = issued(round_, committee_staff, selected[:1], date=D(2020, 6, 1))
    later = issued(round_, committee_staff, selected[1:2])

    assert (earlier.document.term, later.document.term) == (catalog["ix"], catalog["x"])
    assert earlier.symbol == later.symbol == "01-QĐ/ĐU"


def test_numbering_continues_from_documents_already_registered(
    catalog, round_, selected, committee_staff
):
    register_document(
        by=committee_staff, symbol="14-QĐ/ĐU", title="Quyết định trước", issued_on=D(2020, 9, 1)
    )

    decision = issued(round_, committee_staff, selected[:1])

    assert decision.symbol == "15-QĐ/ĐU"
    assert NumberCounter.objects.get(issuer=catalog["du"], term=catalog["x"]).last_number == 15


def test_issuing_without_an_issuer_is_refused_and_writes_nothing(
    catalog, round_, selected, committee_staff
):
    catalog["du"].organization = None
    catalog["du"].save()
    decision = draft(round_, committee_staff, selected)
    events = NominationEvent.objects.count()

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.issue_decision(decision, by=committee_staff, **SIGNATURE)

    assert "has no party issuer code" in str(raised.value)
    assert round_.organization.name in str(raised.value)
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT and decision.symbol == ""
    assert Document.objects.count() == 0 and NumberCounter.objects.count() == 0
    assert NominationEvent.objects.count() == events
    assert {n.status for n in type(selected[0]).objects.all()} == {S.SELECTED}


def test_issuing_needs_date_signer_and_place(catalog, round_, selected, committee_staff):
    decision = draft(round_, committee_staff, selected)

    with pytest.raises(ValidationError) as raised:
        services.issue_decision(
            decision, by=committee_staff, date=None, signer_name="", signer_title="", place=""
        )

    assert set(raised.value.message_dict) >= {"date", "signer_name", "signer_title", "place"}
    assert Document.objects.count() == 0
    decision.refresh_from_db()
    assert decision.status == DecisionStatus.DRAFT


def test_a_date_outside_every_term_is_refused(catalog, round_, selected, committee_staff):
    decision = draft(round_, committee_staff, selected)

    with pytest.raises(ValidationError):
        services.issue_decision(
            decision, by=committee_staff, **{**SIGNATURE, "date": D(2014, 1, 2)}
        )
    assert Document.objects.count() == 0


def test_a_nomination_no_longer_selected_stops_the_issue(
    catalog, round_, selected, committee_staff
):
    decision = draft(round_, committee_staff, selected)
    type(selected[0]).objects.filter(pk=selected[0].pk).update(status=S.WITHDRAWN)

    with pytest.raises(ValidationError) as raised:
        services.issue_decision(decision, by=committee_staff, **SIGNATURE)

    assert "Trần Thị Bình" in str(raised.value)
    assert Document.objects.count() == 0
    selected[1].refresh_from_db()
    assert selected[1].status == S.SELECTED


# --- frozen -------------------------------------------------------------------------------


def test_an_issued_decision_is_frozen(catalog, round_, selected, committee_staff):
    decision = issued(round_, committee_staff, selected)

    with pytest.raises(ValidationError):
        services.update_decision(decision, by=committee_staff, subject="Sửa lại")
    with pytest.raises(ValidationError):
        services.delete_decision(decision, by=committee_staff)
    with pytest.raises(ValidationError):
        services.issue_decision(decision, by=committee_staff, **SIGNATURE)
    row = Decision.objects.get(pk=decision.pk)
    row.subject = "Sửa thẳng vào bảng"
    with pytest.raises(ValidationError):
        row.save()
    with pytest.raises(ValidationError):
        row.delete()
    decision.refresh_from_db()
    assert decision.subject == "Về việc khen thưởng tập thể, cá nhân tiêu biểu năm 2020"
    assert decision.awards.count() == 5


def test_a_draft_is_deleted_with_its_awards(catalog, round_, selected, committee_staff):
    decision = draft(round_, committee_staff, selected)

    services.delete_decision(decision, by=committee_staff)

    assert Decision.objects.count() == 0 and Award.objects.count() == 0
    assert services.available_nominations(round_).count() == 5


def test_a_correction_is_a_new_numbered_decision_referring_to_the_original(
    catalog, round_, selected, committee_staff
):
    original = issued(round_, committee_staff, selected)
    wrong = original.awards.get(nomination=selected[0])
    bang = award_form("bang-khen")

    correction = services.correct_decision(
        original,
        by=committee_staff,
        body="Hình thức khen thưởng của đồng chí Trần Thị Bình là Bằng khen.",
        forms={wrong.pk: bang},
        date=D(2020, 12, 28),
    )

    assert correction.kind == DecisionKind.CORRECTION and correction.refers_to == original
    assert correction.status == DecisionStatus.ISSUED
    assert correction.symbol == "02-QĐ/ĐU"
    assert correction.subject == "Về việc đính chính Quyết định số 01-QĐ/ĐU"
    assert (correction.signer_name, correction.place) == ("Lê Văn Sử", "Cà Mau")
    wrong.refresh_from_db()
    assert wrong.revoked_by == correction and wrong.nomination is None
    replacement = correction.awards.get()
    assert replacement.form == bang and replacement.person == selected[0].person
    assert replacement.nomination == selected[0]
    assert list(original.amendments.all()) == [correction]
    original.refresh_from_db()
    assert original.symbol == "01-QĐ/ĐU" and original.awards.count() == 5


def test_a_correction_needs_its_text(catalog, round_, selected, committee_staff):
    original = issued(round_, committee_staff, selected)

    with pytest.raises(ValidationError) as raised:
        services.correct_decision(original, by=committee_staff, body="  ")
    assert "body" in raised.value.message_dict
    assert Decision.objects.count() == 1 and Document.objects.count() == 1


def test_a_draft_is_not_corrected_but_edited(catalog, round_, selected, committee_staff):
    decision = draft(round_, committee_staff, selected)
    with pytest.raises(ValidationError):
        services.correct_decision(decision, by=committee_staff, body="Đính chính")


def test_a_revocation_revokes_the_awards_when_issued(catalog, round_, selected, committee_staff):
    original = issued(round_, committee_staff, selected)
    award = original.awards.get(nomination=selected[1])

    revocation = services.revoke_decision(
        original,
        by=committee_staff,
        awards=[award],
        reason="Vi phạm kỷ luật sau khi khen.",
        date=D(2020, 12, 28),
    )

    assert revocation.kind == DecisionKind.REVOCATION and revocation.refers_to == original
    assert revocation.symbol == "02-QĐ/ĐU" and revocation.is_issued
    award.refresh_from_db()
    assert award.revoked_by == revocation
    assert original.awards.filter(revoked_by__isnull=True).count() == 4
    with pytest.raises(ValidationError) as raised:
        services.revoke_decision(original, by=committee_staff, awards=[award], reason="Lần nữa")
    assert "Nguyễn Văn Ân" in str(raised.value)
    assert Decision.objects.count() == 2


def test_a_revocation_needs_a_reason(catalog, round_, selected, committee_staff):
    original = issued(round_, committee_staff, selected)
    with pytest.raises(ValidationError) as raised:
        services.revoke_decision(
            original, by=committee_staff, awards=original.awards.all()[:1], reason=""
        )
    assert "reason" in raised.value.message_dict
    assert not Award.objects.filter(revoked_by__isnull=False).exists()


# --- pages --------------------------------------------------------------------------------


@pytest.fixture
def staff_client(client, committee_staff):
    client.force_login(committee_staff)
    client.cookies["django_language"] = "en"
    return client


def test_the_create_page_offers_the_selected_list_all_ticked(
    catalog, tree, round_, selected, staff_client
):
    make_nomination(
        round_, tree.own, person=person(tree.own_cell, "Lê", "Văn", "Tám"), status=S.VOTING
    )
    url = reverse("awards:decision_create", args=[round_.pk])

    page = staff_client.get(url).content.decode()

    for nomination in selected:
        assert f'value="{nomination.pk}" id="nomination-{nomination.pk}" checked' in page
    assert "Lê Văn Tám" not in page


def test_a_draft_is_made_from_the_page_and_issued(catalog, round_, selected, staff_client):
    url = reverse("awards:decision_create", args=[round_.pk])
    response = staff_client.post(
        url,
        {
            "subject": "Về việc khen thưởng năm 2020",
            "body": "Căn cứ Điều lệ Đảng;",
            "nominations": [n.pk for n in selected[:3]],
            "form_token": "tok-create",
        },
    )
    decision = Decision.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("awards:decision_detail", args=[decision.pk])
    assert decision.awards.count() == 3
    # the same form posted twice makes one draft
    staff_client.post(
        url,
        {"subject": "x", "nominations": [n.pk for n in selected[3:]], "form_token": "tok-create"},
    )
    assert Decision.objects.count() == 1

    detail = staff_client.get(reverse("awards:decision_detail", args=[decision.pk]))
    assert "Draft decision" in detail.content.decode()

    response = staff_client.post(
        reverse("awards:decision_issue", args=[decision.pk]),
        {
            "date": "20/12/2020",
            "place": "Cà Mau",
            "signer_title": "Bí thư",
            "signer_name": "Lê Văn Sử",
            "form_token": "tok-issue",
        },
        follow=True,
    )
    page = response.content.decode()
    assert "01-QĐ/ĐU" in page and "20/12/2020" in page
    decision.refresh_from_db()
    assert decision.is_issued


def test_the_page_refuses_a_nomination_not_selected_by_name(
    catalog, tree, round_, selected, staff_client
):
    voting = make_nomination(
        round_, tree.own, person=person(tree.own_cell, "Lê", "Văn", "Tám"), status=S.VOTING
    )
    response = staff_client.post(
        reverse("awards:decision_create", args=[round_.pk]),
        {"subject": "Khen thưởng", "nominations": [selected[0].pk, voting.pk]},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Lê Văn Tám" in page and "not selected" in page
    assert Decision.objects.count() == 0


def test_the_page_refuses_to_issue_without_an_issuer(
    catalog, round_, selected, staff_client, committee_staff
):
    catalog["du"].organization = None
    catalog["du"].save()
    decision = draft(round_, committee_staff, selected)
    response = staff_client.post(
        reverse("awards:decision_issue", args=[decision.pk]),
        {"date": "20/12/2020", "place": "Cà Mau", "signer_title": "Bí thư", "signer_name": "A"},
    )

    assert response.status_code == 200
    assert "no party issuer code" in response.content.decode()
    decision.refresh_from_db()
    assert not decision.is_issued and Document.objects.count() == 0


def test_an_issued_decision_cannot_be_edited_from_the_page(
    catalog, round_, selected, staff_client, committee_staff
):
    decision = issued(round_, committee_staff, selected)

    response = staff_client.get(reverse("awards:decision_edit", args=[decision.pk]), follow=True)
    assert "cannot be changed" in response.content.decode()
    response = staff_client.post(reverse("awards:decision_delete", args=[decision.pk]), follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert Decision.objects.filter(pk=decision.pk).exists()


def test_a_draft_is_edited_and_deleted_from_its_pages(
    catalog, round_, selected, staff_client, committee_staff
):
    decision = draft(round_, committee_staff, selected[:2])
    bang = award_form("bang-khen")
    url = reverse("awards:decision_edit", args=[decision.pk])
    assert staff_client.get(url).status_code == 200

    data = {
        "subject": "Về việc khen thưởng (sửa)",
        "body": "",
        "date": "",
        "place": "Cà Mau",
        "signer_title": "",
        "signer_name": "",
        "nominations": [selected[1].pk, selected[2].pk],
        "form_token": "tok-edit",
    }
    for nomination in selected:
        data[f"form_{nomination.pk}"] = bang.pk
    response = staff_client.post(url, data)

    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.subject == "Về việc khen thưởng (sửa)"
    assert {a.nomination_id for a in decision.awards.all()} == {selected[1].pk, selected[2].pk}
    assert {a.form_id for a in decision.awards.all()} == {bang.pk}

    staff_client.post(reverse("awards:decision_delete", args=[decision.pk]))
    assert Decision.objects.count() == 0


def test_correct_and_revoke_pages(catalog, round_, selected, staff_client, committee_staff):
    original = issued(round_, committee_staff, selected)
    award = original.awards.order_by("position").first()
    for name in ("decision_correct", "decision_revoke"):
        page = staff_client.get(reverse(f"awards:{name}", args=[original.pk])).content.decode()
        assert "Trần Thị Bình" in page and "Lê Văn Sử" in page
    signature = {
        "date": "28/12/2020",
        "place": "Cà Mau",
        "signer_title": "Phó Bí thư",
        "signer_name": "Trần Văn Phó",
    }
    response = staff_client.post(
        reverse("awards:decision_correct", args=[original.pk]),
        {"subject": "", "body": "Đính chính tên tập thể.", **signature, "form_token": "c1"},
    )
    correction = Decision.objects.get(kind=DecisionKind.CORRECTION)
    assert response["Location"] == reverse("awards:decision_detail", args=[correction.pk])
    assert correction.symbol == "02-QĐ/ĐU" and correction.signer_title == "Phó Bí thư"

    response = staff_client.post(
        reverse("awards:decision_revoke", args=[original.pk]),
        {"awards": [award.pk], "reason": "Khen nhầm.", **signature, "form_token": "r1"},
    )
    revocation = Decision.objects.get(kind=DecisionKind.REVOCATION)
    award.refresh_from_db()
    assert award.revoked_by == revocation and revocation.symbol == "03-QĐ/ĐU"

    page = staff_client.get(reverse("awards:decision_detail", args=[original.pk])).content
    page = page.decode()
    assert "02-QĐ/ĐU" in page and "03-QĐ/ĐU" in page and "Revoked by" in page


def test_the_docx_is_downloaded(catalog, round_, selected, staff_client, committee_staff):
    decision = issued(round_, committee_staff, selected)

    response = staff_client.get(reverse("awards:decision_docx", args=[decision.pk]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "quyet-dinh-01-QD-DU.docx" in response["Content-Disposition"]
    assert response.content[:2] == b"PK"


# --- who sees what ------------------------------------------------------------------------


def test_outside_the_grant_answers_404(
    client, catalog, tree, round_, selected, committee_staff, base_secretary, council_member
):
    decision = draft(round_, committee_staff, selected)
    urls = [
        reverse("awards:decision_detail", args=[decision.pk]),
        reverse("awards:decision_edit", args=[decision.pk]),
        reverse("awards:decision_issue", args=[decision.pk]),
        reverse("awards:decision_docx", args=[decision.pk]),
        reverse("awards:decision_create", args=[round_.pk]),
    ]
    for user in (base_secretary, council_member):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
    client.force_login(base_secretary)
    assert client.post(reverse("awards:decision_delete", args=[decision.pk])).status_code == 404
    assert Decision.objects.filter(pk=decision.pk).exists()

    services.issue_decision(decision, by=committee_staff, **SIGNATURE)
    client.force_login(council_member)  # views the root's programs: sees it once issued
    assert client.get(urls[0]).status_code == 200
    assert client.get(reverse("awards:decision_correct", args=[decision.pk])).status_code == 404
    client.force_login(base_secretary)  # the `own` subtree only
    assert client.get(urls[0]).status_code == 404
    assert "01-QĐ/ĐU" not in client.get(reverse("awards:decision_list")).content.decode()


def test_the_list_searches_without_diacritics_and_filters_by_year(
    catalog, round_, selected, staff_client, committee_staff
):
    first = issued(round_, committee_staff, selected[:2])
    second = draft(round_, committee_staff, selected[2:], subject="Về việc tuyên dương")
    url = reverse("awards:decision_list")

    def listed(query: str) -> set[int]:
        page = staff_client.get(url + query).content.decode()
        return {d.pk for d in (first, second) if f'id="decision-{d.pk}"' in page}

    assert listed("") == {first.pk, second.pk}
    assert listed("?q=khen+thuong+tap+the") == {first.pk}
    assert listed("?q=01-QĐ") == {first.pk}
    assert listed("?q=tuyen+duong") == {second.pk}
    assert listed("?year=2020") == {first.pk}
    assert listed("?year=2019") == set()
    assert listed("?status=draft") == {second.pk}


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _more_decisions(round_, tree, by, count: int, start: int) -> None:
    org = make_org(tree.own, code=f"Q{start}", name=f"Chi bộ thêm {start}")
    for i in range(count):
        nomination = make_nomination(
            round_,
            tree.own,
            person=person(org, "Võ", "Văn", f"Số{start + i}"),
            status=S.SELECTED,
        )
        issued(round_, by, [nomination])


@pytest.mark.parametrize("name", ["decision_list", "committee"])
def test_list_query_count_does_not_grow_with_rows(
    catalog, tree, round_, staff_client, committee_staff, name
):
    url = reverse(f"awards:{name}")
    _more_decisions(round_, tree, committee_staff, 1, 0)
    one = _queries(staff_client, url)
    _more_decisions(round_, tree, committee_staff, 12, 100)
    assert _queries(staff_client, url) == one
