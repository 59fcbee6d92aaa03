"""Nomination pages: nominating through the form (the people search, one nomination per
double submit, the records it rests on), the detail with the buttons the workflow allows,
the steps taken from it (a reason page for returning and rejecting), reviews, evidence
files, the duplicate warning, 404 outside the grant, the list with its filters, query-count
guard and export."""

import datetime
import io
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lantoa.awards import workflow
from lantoa.awards.models import Evidence, Nomination, NominationStatus, Review
from lantoa.orgs.models import Role
from tests.awards.factories import award_form, make_nomination, make_round
from tests.factories import PersonFactory, UserFactory, grant, make_org
from tests.programs.test_documents_support import upload

S = NominationStatus


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def client(client):
    """A browser that chose English (the pages are Vietnamese first)."""
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def round_(tree):
    """The committee's round of this year, open for nominations for a month."""
    today = timezone.localdate()
    return make_round(
        tree.root,
        title="Khen thưởng năm nay",
        year=today.year,
        submissions_close=today + datetime.timedelta(days=30),
        voting_opens=today + datetime.timedelta(days=31),
        voting_closes=today + datetime.timedelta(days=40),
    )


@pytest.fixture
def people(tree):
    return {
        "an": PersonFactory(
            family_name="Nguyễn",
            middle_name="Văn",
            given_name="An",
            birth_date=datetime.date(1980, 5, 1),
            organization=tree.own_cell,
        ),
        "hai": PersonFactory(
            family_name="Lê", middle_name="Minh", given_name="Hải", organization=tree.other
        ),
    }


def html(client, url, expect=200, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == expect, url
    return response.content.decode()


def detail(nomination) -> str:
    return reverse("awards:nomination_detail", args=[nomination.pk])


def step(nomination, action) -> str:
    return reverse("awards:nomination_transition", args=[nomination.pk, action])


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- nominating --------------------------------------------------------------------------


def form_data(tree, **changes) -> dict:
    data = {
        "form_token": uuid.uuid4().hex,
        "nominating_organization": tree.own.pk,
        "person": "",
        "collective": "",
        "proposed_form": award_form("giay-khen").pk,
        "achievements": "Hoàn thành xuất sắc nhiệm vụ; tiêu biểu trong học tập và làm theo.",
    }
    data.update(changes)
    return data


def test_a_double_submit_creates_one_nomination(client, tree, base_secretary, round_, people):
    client.force_login(base_secretary)
    url = reverse("awards:nomination_create", args=[round_.pk])
    page = html(client, url, find="nguyen van an")
    assert f'name="person" value="{people["an"].pk}" form="nomination-form"' in page
    assert f'<option value="{tree.own.pk}" selected>' in page  # their only organization

    data = form_data(tree, person=people["an"].pk)
    first = client.post(url, data)
    again = client.post(url, data)
    nomination = Nomination.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == detail(nomination)
    assert nomination.person == people["an"] and nomination.status == S.DRAFT
    assert nomination.created_by == base_secretary


def test_the_form_refuses_two_nominees_or_someone_out_of_sight(
    client, tree, base_secretary, round_, people
):
    client.force_login(base_secretary)
    url = reverse("awards:nomination_create", args=[round_.pk])
    both = client.post(url, form_data(tree, person=people["an"].pk, collective=tree.own_cell.pk))
    hidden = client.post(url, form_data(tree, person=people["hai"].pk))
    for response in (both, hidden):
        assert response.status_code == 200
        assert 'id="person_error"' in response.content.decode()
    assert not Nomination.objects.exists()


def test_the_people_search_offers_people_the_user_may_see(
    client, base_secretary, council_member, people
):
    client.force_login(base_secretary)
    url = reverse("awards:nominee_search")
    assert f'value="{people["an"].pk}"' in html(client, url, find="NGUYEN van")
    assert f'value="{people["hai"].pk}"' not in html(client, url, find="le minh hai")
    client.force_login(council_member)  # may see people, may not nominate
    assert client.get(url, {"find": "nguyen"}).status_code == 404


def test_the_new_nomination_offers_the_organization_s_records(client, tree, base_secretary, round_):
    from lantoa.movements.services import proposals
    from tests.movements.factories import make_deed

    plain = make_deed(tree.own_cell, title="Trả lại của rơi")
    proposed = make_deed(tree.own, title="Hiến máu cứu người")
    proposals.put_forward(proposed, by=base_secretary, note="Tiêu biểu")
    make_deed(tree.other, title="Việc tốt nơi khác")
    client.force_login(base_secretary)
    url = reverse("awards:nomination_create", args=[round_.pk])
    page = html(client, url)
    assert page.index("Hiến máu cứu người") < page.index("Trả lại của rơi")
    assert "Việc tốt nơi khác" not in page

    response = client.post(url, form_data(tree, collective=tree.own_cell.pk, good_deeds=[plain.pk]))
    assert response.status_code == 302
    assert list(Nomination.objects.get().good_deeds.all()) == [plain]


def test_editing_links_the_records_it_rests_on(client, tree, base_secretary, round_, people):
    from tests.movements.factories import make_deed

    deed = make_deed(tree.own_cell, person=people["an"], title="Cứu người đuối nước")
    elsewhere = make_deed(tree.other, title="Việc tốt nơi khác")
    nomination = make_nomination(round_, tree.own, person=people["an"])
    client.force_login(base_secretary)
    url = reverse("awards:nomination_edit", args=[nomination.pk])
    page = html(client, url)
    assert "Cứu người đuối nước" in page and "Việc tốt nơi khác" not in page

    response = client.post(url, form_data(tree, person=people["an"].pk, good_deeds=[deed.pk]))
    assert response.status_code == 302
    assert list(nomination.good_deeds.all()) == [deed]
    assert "Cứu người đuối nước" in html(client, detail(nomination))

    refused = client.post(url, form_data(tree, person=people["an"].pk, good_deeds=[elsewhere.pk]))
    assert refused.status_code == 200 and list(nomination.good_deeds.all()) == [deed]


# --- the detail and the workflow ---------------------------------------------------------


def buttons(page: str, nomination) -> set[str]:
    return {a for a in workflow.Action if step(nomination, a) in page}


def test_the_buttons_are_the_steps_the_user_may_take(
    client, tree, base_secretary, committee_staff, council_member, round_
):
    nomination = make_nomination(round_, tree.own, collective=tree.own_cell)
    client.force_login(base_secretary)
    assert buttons(html(client, detail(nomination)), nomination) == {"submit", "withdraw"}
    client.force_login(committee_staff)
    assert buttons(html(client, detail(nomination)), nomination) == {"submit", "withdraw"}

    Nomination.objects.filter(pk=nomination.pk).update(status=S.SUBMITTED)
    client.force_login(base_secretary)
    assert buttons(html(client, detail(nomination)), nomination) == {"withdraw"}
    client.force_login(committee_staff)
    assert buttons(html(client, detail(nomination)), nomination) == {
        "withdraw",
        "start_review",
        "return_for_changes",
        "reject",
    }
    client.force_login(council_member)
    assert buttons(html(client, detail(nomination)), nomination) == set()

    for status in (S.VOTING, S.SELECTED, S.COMMENDED):  # tally, decision, ceremony: elsewhere
        Nomination.objects.filter(pk=nomination.pk).update(status=status)
        client.force_login(committee_staff)
        assert buttons(html(client, detail(nomination)), nomination) == set()


def test_submitting_from_the_page_and_again(client, tree, base_secretary, round_):
    nomination = make_nomination(round_, tree.own, collective=tree.own_cell)
    client.force_login(base_secretary)
    response = client.post(step(nomination, "submit"), follow=True)
    assert messages_of(response) == ["The nomination was submitted."]
    nomination.refresh_from_db()
    assert nomination.status == S.SUBMITTED

    again = client.post(step(nomination, "submit"), follow=True)
    assert messages_of(again) == ["This cannot be done to a nomination that is “Submitted”."]
    assert nomination.events.count() == 1
    assert client.get(step(nomination, "withdraw")).status_code == 405
    assert client.post(step(nomination, "fly")).status_code == 404
    assert client.post(step(nomination, "tally")).status_code == 404


def test_submitting_is_refused_with_the_rule_s_message(client, tree, base_secretary, round_):
    round_.evidence_required = True
    round_.save()
    nomination = make_nomination(round_, tree.own, collective=tree.own_cell)
    client.force_login(base_secretary)
    response = client.post(step(nomination, "submit"), follow=True)
    assert messages_of(response) == [
        "This round requires evidence: attach at least one file before submitting."
    ]
    nomination.refresh_from_db()
    assert nomination.status == S.DRAFT


def test_returning_asks_for_the_reason_and_the_history_shows_it(
    client, tree, base_secretary, committee_staff, round_
):
    nomination = make_nomination(round_, tree.own, collective=tree.own_cell, status=S.IN_REVIEW)
    client.force_login(committee_staff)
    url = step(nomination, "return_for_changes")
    assert 'name="reason"' in html(client, url)
    empty = client.post(url, {"form_token": "r1", "reason": ""})
    assert empty.status_code == 200
    assert "Give the reason: the nominating organization reads it." in empty.content.decode()
    nomination.refresh_from_db()
    assert nomination.status == S.IN_REVIEW

    done = client.post(url, {"form_token": "r2", "reason": "Thiếu xác nhận của cấp ủy."})
    assert done.status_code == 302 and done["Location"] == detail(nomination)
    nomination.refresh_from_db()
    assert nomination.status == S.RETURNED

    client.force_login(base_secretary)
    page = html(client, detail(nomination))
    assert "Thiếu xác nhận của cấp ủy." in page and "In review → Returned for changes" in page
    assert buttons(page, nomination) == {"resubmit", "withdraw"}
    assert client.get(url).status_code == 404  # organization staff do not return nominations


def test_the_review_page(client, tree, base_secretary, committee_staff, round_):
    nomination = make_nomination(round_, tree.own, collective=tree.own_cell, status=S.IN_REVIEW)
    client.force_login(base_secretary)
    assert client.get(reverse("awards:nomination_review", args=[nomination.pk])).status_code == 404
    client.force_login(committee_staff)
    url = reverse("awards:nomination_review", args=[nomination.pk])
    response = client.post(
        url, {"form_token": "v1", "opinion": "reservations", "text": "Cần bổ sung số liệu."}
    )
    assert response.status_code == 302 and Review.objects.count() == 1
    page = html(client, detail(nomination))
    assert "Recommended with reservations" in page and "Cần bổ sung số liệu." in page


def test_the_duplicate_warning_shows_on_both_pages(
    client, tree, base_secretary, committee_staff, round_, people
):
    same = PersonFactory(
        family_name="Nguyen",
        middle_name="Van",
        given_name="An",
        birth_date=datetime.date(1980, 5, 1),
        organization=tree.other,
    )
    first = make_nomination(round_, tree.own, person=people["an"])
    second = make_nomination(round_, tree.other, person=same)
    client.force_login(base_secretary)
    client.post(step(first, "submit"))
    client.force_login(committee_staff)
    response = client.post(step(second, "submit"), follow=True)
    assert "may put up the same nominee" in " ".join(messages_of(response))

    page = html(client, detail(second))
    assert 'id="duplicates"' in page and detail(first) in page
    assert "same birth date" in page
    client.force_login(base_secretary)
    page = html(client, detail(first))
    assert 'id="duplicates"' in page and "also nominated by another organization" in page
    assert detail(second) not in page  # not theirs to open


# --- evidence ----------------------------------------------------------------------------


def test_evidence_through_the_pages_and_the_download(client, tree, base_secretary, round_):
    nomination = make_nomination(round_, tree.own, collective=tree.own_cell)
    client.force_login(base_secretary)
    add = reverse("awards:nomination_evidence_add", args=[nomination.pk])
    refused = client.post(add, {"file": upload("gia.pdf", b"khong phai"), "form_token": "e1"})
    assert refused.status_code == 200 and not Evidence.objects.exists()

    response = client.post(add, {"file": upload("Báo cáo thành tích.pdf"), "form_token": "e2"})
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    download = client.get(reverse("awards:nomination_evidence", args=[nomination.pk, evidence.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"]
    assert "B%C3%A1o%20c%C3%A1o" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")

    delete = reverse("awards:nomination_evidence_delete", args=[nomination.pk, evidence.pk])
    assert client.post(delete).status_code == 302
    assert not Evidence.objects.exists()


# --- permissions -------------------------------------------------------------------------


def test_pages_outside_the_grant_answer_404(client, tree, committee_staff, round_, people):
    theirs = make_nomination(round_, tree.other, person=people["hai"])
    evidence = Evidence.objects.create(
        nomination=theirs, file="evidence/x.pdf", file_type="pdf", file_name="x.pdf", size=9
    )
    own_staff = UserFactory(username="own_staff")
    grant(own_staff, Role.ORGANIZATION_STAFF, tree.own)
    member = UserFactory(username="member")
    grant(member, Role.MEMBER, tree.other)
    client.force_login(own_staff)
    gets = [
        detail(theirs),
        reverse("awards:nomination_edit", args=[theirs.pk]),
        reverse("awards:nomination_review", args=[theirs.pk]),
        reverse("awards:nomination_evidence_add", args=[theirs.pk]),
        reverse("awards:nomination_evidence", args=[theirs.pk, evidence.pk]),
        step(theirs, "return_for_changes"),
        reverse("awards:nomination_list") + "?round=999999",
    ]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = [
        step(theirs, "submit"),
        step(theirs, "withdraw"),
        reverse("awards:nomination_evidence_delete", args=[theirs.pk, evidence.pk]),
    ]
    for url in posts:
        assert client.post(url).status_code == 404, url
    assert "Lê Minh Hải" not in html(client, reverse("awards:nomination_list"))

    client.force_login(member)  # sees it, may not act on it
    assert client.get(detail(theirs)).status_code == 200
    assert client.post(step(theirs, "submit")).status_code == 404
    assert client.get(reverse("awards:nomination_edit", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == S.DRAFT and Evidence.objects.exists()


def test_the_detail_shows_the_nominee_s_record(client, tree, committee_staff, round_, people):
    nomination = make_nomination(round_, tree.own, person=people["an"])
    client.force_login(committee_staff)
    page = html(client, detail(nomination))
    assert 'id="nominee-record"' in page and "01/05/1980" in page


# --- the list ----------------------------------------------------------------------------


@pytest.fixture
def listed(tree, round_, people):
    older = make_round(tree.root, title="Khen thưởng năm 2019", year=2019)
    return {
        "an": make_nomination(round_, tree.own, person=people["an"], status=S.SUBMITTED),
        "cell": make_nomination(round_, tree.own, collective=tree.own_cell),
        "hai": make_nomination(older, tree.other, person=people["hai"], status=S.SELECTED),
    }


def names(client, **params) -> set[str]:
    page = html(client, reverse("awards:nomination_list"), **params)
    return {name for name in ("Nguyễn Văn An", "Chi bộ 1", "Lê Minh Hải") if name in page}


def test_the_list_searches_and_filters(client, committee_staff, base_secretary, round_, listed):
    client.force_login(committee_staff)
    assert names(client) == {"Nguyễn Văn An", "Chi bộ 1", "Lê Minh Hải"}
    assert names(client, q="NGUYEN VAN") == {"Nguyễn Văn An"}
    assert names(client, round=round_.pk) == {"Nguyễn Văn An", "Chi bộ 1"}
    assert names(client, status="selected") == {"Lê Minh Hải"}
    assert names(client, kind="collective") == {"Chi bộ 1"}
    assert names(client, kind="person", status="submitted") == {"Nguyễn Văn An"}
    assert names(client, kind="x", status="y") == {"Nguyễn Văn An", "Chi bộ 1", "Lê Minh Hải"}
    client.force_login(base_secretary)
    assert names(client) == {"Nguyễn Văn An", "Chi bộ 1"}


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", ["", "?q=nguyen&kind=person", "?status=submitted"])
def test_the_list_runs_the_same_queries_for_1_and_30_rows(
    client, tree, committee_staff, round_, params
):
    client.force_login(committee_staff)
    url = reverse("awards:nomination_list") + params
    make_nomination(
        round_, tree.own, person=PersonFactory(family_name="Nguyễn"), status=S.SUBMITTED
    )
    one = count_queries(client, url)
    for i in range(29):
        org = make_org(tree.own)
        other_round = make_round(org, title=f"Đợt {i}")
        make_nomination(
            other_round,
            org,
            person=PersonFactory(family_name="Nguyễn", organization=org),
            status=S.SUBMITTED,
            proposed_form=award_form(f"form-{i}"),
        )
    assert count_queries(client, url) == one


def test_the_export_reads_back(client, tree, committee_staff, base_secretary, round_, listed):
    client.force_login(committee_staff)
    response = client.get(reverse("awards:nomination_export"), {"round": round_.pk})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Round", "Year", "Status", "Individual or collective", "Nominee")
    by_name = {row[4]: row for row in rows[1:]}
    assert set(by_name) == {"Nguyễn Văn An", "Chi bộ 1"}
    an = by_name["Nguyễn Văn An"]
    assert an[2] == "Submitted" and an[3] == "Individual"
    assert an[5].date() == datetime.date(1980, 5, 1) and an[6] == "Đảng bộ Ban Dân vận Tỉnh ủy"

    client.force_login(base_secretary)
    rows = list(
        load_workbook(
            io.BytesIO(b"".join(client.get(reverse("awards:nomination_export")).streaming_content))
        ).active.iter_rows(values_only=True)
    )
    assert {row[4] for row in rows[1:]} == {"Nguyễn Văn An", "Chi bộ 1"}
    reader = UserFactory(username="council_only")
    grant(reader, Role.COUNCIL_MEMBER, tree.root)
    client.force_login(reader)
    assert client.get(reverse("awards:nomination_export")).status_code == 404
