"""Rounds of commendation: opening and correcting them (deadlines in order, the vote rule in
force), quotas, the council, and the pages — who sees which rounds, the detail with quotas
used and the nominations, 404 outside the grant, query-count guards."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from lantoa.awards.models import (
    Ballot,
    CouncilMember,
    NominationStatus,
    Round,
    RoundKind,
    RoundQuota,
    VoteRule,
)
from lantoa.awards.services import rounds as services
from lantoa.orgs.models import Role
from tests.awards.factories import make_nomination, make_round, quota, seat, vote_rule
from tests.factories import PersonFactory, UserFactory, grant, make_org

D = datetime.date
S = NominationStatus


@pytest.fixture
def rules(db):
    """The rule of the 2015–2020 term, and the one that replaced it in 2021 (instead of
    those the catalog migration seeds)."""
    VoteRule.objects.all().delete()
    return {
        "old": vote_rule(
            name="Quá nửa tổng số thành viên (2015)",
            valid_from=D(2015, 1, 1),
            valid_to=D(2020, 12, 31),
        ),
        "new": vote_rule(
            name="Từ hai phần ba số phiếu (2021)",
            approval_percent=66,
            strictly_more=False,
            base="cast",
            valid_from=D(2021, 1, 1),
        ),
    }


def fields(**changes) -> dict:
    data = {
        "title": "Xét khen thưởng tổng kết 10 năm Chỉ thị 05",
        "year": 2020,
        "kind": RoundKind.FINAL,
        "criteria": "Tiêu biểu trong học tập và làm theo",
        "submissions_close": D(2020, 11, 30),
        "voting_opens": D(2020, 12, 1),
        "voting_closes": D(2020, 12, 10),
        "vote_rule": None,
        "secret_ballot": False,
        "evidence_required": True,
    }
    data.update(changes)
    return data


def errors_of(raised) -> dict[str, list[str]]:
    return {name: [str(m) for m in msgs] for name, msgs in raised.value.message_dict.items()}


@pytest.fixture
def client(client):
    """A browser that chose English (the pages are Vietnamese first)."""
    client.cookies["django_language"] = "en"
    return client


# --- services: rounds --------------------------------------------------------------------


def test_committee_staff_open_a_round_with_the_rule_in_force(tree, committee_staff, rules):
    round_ = services.create_round(by=committee_staff, organization=tree.root, **fields())
    assert round_.vote_rule == rules["old"]
    assert round_.created_by == committee_staff
    assert round_.search_key == "xet khen thuong tong ket 10 nam chi thi 05"

    later = services.create_round(
        by=committee_staff,
        organization=tree.root,
        **fields(
            year=2021,
            submissions_close=D(2021, 11, 30),
            voting_opens=D(2021, 12, 1),
            voting_closes=D(2021, 12, 10),
        ),
    )
    assert later.vote_rule == rules["new"]


def test_a_rule_not_in_force_on_the_dates_is_refused(tree, committee_staff, rules):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.create_round(
            by=committee_staff, organization=tree.root, **fields(vote_rule=rules["new"])
        )
    assert errors_of(raised)["vote_rule"] == [
        "The vote rule “Từ hai phần ba số phiếu (2021)” is not in force on 30/11/2020."
    ]
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.create_round(  # the old rule ends before voting does
            by=committee_staff,
            organization=tree.root,
            **fields(voting_closes=D(2021, 1, 5), vote_rule=rules["old"]),
        )
    assert "05/01/2021" in errors_of(raised)["vote_rule"][0]
    assert not Round.objects.exists()


def test_without_any_rule_in_force_the_round_says_so(tree, committee_staff):
    VoteRule.objects.all().delete()
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.create_round(by=committee_staff, organization=tree.root, **fields())
    assert "No vote rule is in force on 30/11/2020" in errors_of(raised)["vote_rule"][0]


def test_deadlines_out_of_order_are_refused_with_messages(tree, committee_staff, rules):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.create_round(
            by=committee_staff,
            organization=tree.root,
            **fields(voting_opens=D(2020, 11, 20), voting_closes=D(2020, 11, 10)),
        )
    errors = errors_of(raised)
    assert errors["voting_opens"] == [
        "Voting cannot open (20/11/2020) before nominations close (30/11/2020)."
    ]
    assert errors["voting_closes"] == [
        "Voting cannot close (10/11/2020) before it opens (20/11/2020)."
    ]
    with pytest.raises(ValidationError) as raised:
        services.create_round(
            by=committee_staff, organization=tree.root, **fields(title=" ", year=1800)
        )
    assert {"title", "year"} <= set(errors_of(raised))
    assert not Round.objects.exists()


def test_only_committee_staff_open_rounds_where_they_are_granted(
    tree, committee_staff, base_secretary, council_member, rules
):
    for user in (base_secretary, council_member):
        with pytest.raises(PermissionDenied):
            services.create_round(by=user, organization=tree.own, **fields())
    own_committee = UserFactory(username="own_committee")
    grant(own_committee, Role.COMMITTEE_STAFF, tree.own)
    with pytest.raises(PermissionDenied):
        services.create_round(by=own_committee, organization=tree.root, **fields())
    assert services.create_round(by=own_committee, organization=tree.own, **fields())


def test_the_vote_rule_and_secrecy_stay_once_votes_are_cast(
    tree, committee_staff, council_member, rules
):
    round_ = make_round(tree.root, vote_rule=rules["old"])
    other_rule = vote_rule(name="Khác", valid_from=D(2020, 1, 1), valid_to=D(2020, 12, 31))
    updated = services.update_round(
        round_, by=committee_staff, **fields(vote_rule=other_rule, title="Tên mới")
    )
    assert updated.vote_rule == other_rule and updated.title == "Tên mới"

    member = seat(round_, council_member)
    nomination = make_nomination(round_, tree.own, status=S.VOTING)
    Ballot.objects.create(nomination=nomination, member=member)
    with pytest.raises(ValidationError) as raised:
        services.update_round(
            round_, by=committee_staff, **fields(vote_rule=rules["old"], secret_ballot=True)
        )
    assert {"vote_rule", "secret_ballot"} <= set(errors_of(raised))
    round_.refresh_from_db()
    assert round_.vote_rule == other_rule and not round_.secret_ballot


# --- services: quotas and council --------------------------------------------------------


def test_quotas_are_for_organizations_of_the_subtree_once_each(tree, committee_staff, rules):
    round_ = make_round(tree.own)
    quota_ = services.set_quota(
        round_, by=committee_staff, organization=tree.own_cell, max_people=3, max_collectives=1
    )
    assert (quota_.max_people, quota_.max_collectives) == (3, 1)

    for org in (tree.other, tree.root):
        with pytest.raises(ValidationError) as raised:
            services.set_quota(
                round_, by=committee_staff, organization=org, max_people=1, max_collectives=1
            )
        assert "organization" in errors_of(raised)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.set_quota(
            round_, by=committee_staff, organization=tree.own_cell, max_people=1, max_collectives=1
        )
    assert "already has a quota" in errors_of(raised)["organization"][0]
    with pytest.raises(ValidationError) as raised:
        services.set_quota(
            round_, by=committee_staff, organization=tree.own, max_people=-1, max_collectives=None
        )
    assert {"max_people", "max_collectives"} <= set(errors_of(raised))

    services.set_quota(
        round_,
        by=committee_staff,
        quota=quota_,
        organization=tree.own_cell,
        max_people=5,
        max_collectives=0,
    )
    quota_.refresh_from_db()
    assert quota_.max_people == 5
    services.delete_quota(quota_, by=committee_staff)
    assert not RoundQuota.objects.exists()


def test_a_quota_cannot_go_below_the_places_taken(tree, committee_staff, rules):
    round_ = make_round(tree.root)
    quota_ = quota(round_, tree.own, people=3, collectives=1)
    for person in PersonFactory.create_batch(2, organization=tree.own):
        make_nomination(round_, tree.own, person=person, status=S.SUBMITTED)
    make_nomination(round_, tree.own, person=PersonFactory(), status=S.DRAFT)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.set_quota(
            round_,
            by=committee_staff,
            quota=quota_,
            organization=tree.own,
            max_people=1,
            max_collectives=1,
        )
    assert "has already nominated 2 individuals" in errors_of(raised)["max_people"][0]
    services.set_quota(
        round_,
        by=committee_staff,
        quota=quota_,
        organization=tree.own,
        max_people=2,
        max_collectives=0,
    )
    usage = services.quota_usage(round_)[0]
    assert (usage.people, usage.people_left, usage.collectives_left) == (2, 0, 0)


def test_the_council_seats_accounts_that_may_vote_before_voting_opens(
    tree, committee_staff, council_member, base_secretary
):
    round_ = make_round(tree.root)
    assert list(services.council_candidates(round_)) == [council_member]
    PersonFactory(family_name="Lê", middle_name="Thị", given_name="Hoa", account=council_member)
    member = services.add_council_member(
        round_, by=committee_staff, user=council_member, role="chair", today=D(2020, 11, 1)
    )
    assert (member.name, member.role, member.position) == ("Lê Thị Hoa", "chair", 1)
    assert list(services.council_candidates(round_)) == []

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.add_council_member(
            round_, by=committee_staff, user=base_secretary, today=D(2020, 11, 1)
        )
    assert errors_of(raised)["user"] == [
        "base_secretary holds no council member role on Đảng bộ Dân Chính Đảng tỉnh Cà Mau: "
        "grant it first."
    ]
    with pytest.raises(ValidationError):
        services.add_council_member(
            round_, by=committee_staff, user=council_member, today=D(2020, 11, 1)
        )
    second = UserFactory(username="second_member")
    grant(second, Role.COUNCIL_MEMBER, tree.root)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.add_council_member(
            round_, by=committee_staff, user=second, name="Trần Văn Bình", today=D(2020, 12, 1)
        )
    assert "once voting has opened (on 01/12/2020)" in raised.value.messages[0]
    with pytest.raises(ValidationError):
        services.remove_council_member(member, by=committee_staff, today=D(2020, 12, 1))
    with pytest.raises(PermissionDenied):
        services.remove_council_member(member, by=base_secretary, today=D(2020, 11, 1))
    services.remove_council_member(member, by=committee_staff, today=D(2020, 11, 1))
    assert not CouncilMember.objects.exists()


def test_the_vote_rule_in_words(rules):
    with translation.override("en"):
        old = services.describe_vote_rule(rules["old"])
        new = services.describe_vote_rule(rules["new"])
    assert old == (
        "The vote is valid when at least 50% of the council's members vote. A nominee is "
        "selected when more than 50% of all council members agree."
    )
    assert "at least 66% of the votes cast agree" in new


# --- pages -------------------------------------------------------------------------------


@pytest.fixture
def rounds(tree, rules):
    return {
        "root": make_round(tree.root, title="Khen thưởng năm 2020 toàn Đảng bộ", year=2020),
        "own": make_round(tree.own, title="Biểu dương Dân vận khéo", year=2019),
        "other": make_round(tree.other, title="Viễn thông xanh tiêu biểu", year=2020),
    }


def listed(client, **params) -> set[str]:
    page = client.get(reverse("awards:round_list"), params).content.decode()
    titles = ("Khen thưởng năm 2020", "Biểu dương Dân vận khéo", "Viễn thông xanh")
    return {title for title in titles if title in page}


def test_a_base_organization_sees_its_committee_s_rounds_and_its_own(
    client, base_secretary, committee_staff, rounds
):
    client.force_login(base_secretary)
    assert listed(client) == {"Khen thưởng năm 2020", "Biểu dương Dân vận khéo"}
    assert listed(client, q="BIEU DUONG dan van") == {"Biểu dương Dân vận khéo"}
    assert listed(client, year=2020) == {"Khen thưởng năm 2020"}
    assert listed(client, year="abc", kind="zzz") == {
        "Khen thưởng năm 2020",
        "Biểu dương Dân vận khéo",
    }
    detail = client.get(reverse("awards:round_detail", args=[rounds["root"].pk]))
    assert detail.status_code == 200
    assert reverse("awards:nomination_create", args=[rounds["root"].pk]) in detail.content.decode()

    client.force_login(committee_staff)
    assert len(listed(client)) == 3


def test_pages_outside_the_grant_answer_404(client, tree, base_secretary, council_member, rounds):
    theirs = rounds["other"]
    quota_ = quota(rounds["root"], tree.own)
    member = seat(rounds["root"], council_member)
    client.force_login(base_secretary)
    for url in (
        reverse("awards:round_detail", args=[theirs.pk]),
        reverse("awards:round_edit", args=[rounds["root"].pk]),
        reverse("awards:round_quota_add", args=[rounds["root"].pk]),
        reverse("awards:round_quota_edit", args=[quota_.pk]),
        reverse("awards:round_council_add", args=[rounds["root"].pk]),
        reverse("awards:round_create"),
        reverse("awards:nomination_create", args=[theirs.pk]),
    ):
        assert client.get(url).status_code == 404, url
    for url in (
        reverse("awards:round_quota_delete", args=[quota_.pk]),
        reverse("awards:round_council_delete", args=[member.pk]),
    ):
        assert client.post(url).status_code == 404, url
    assert RoundQuota.objects.exists() and CouncilMember.objects.exists()


def round_form(**changes) -> dict:
    data = {
        "form_token": "round-1",
        "title": "Xét khen thưởng năm 2020",
        "year": "2020",
        "kind": "yearly",
        "criteria": "",
        "submissions_close": "30/11/2020",
        "voting_opens": "01/12/2020",
        "voting_closes": "10/12/2020",
        "vote_rule": "",
        "evidence_required": "on",
    }
    data.update(changes)
    return data


def test_opening_a_round_through_the_page_once(client, tree, committee_staff, rules):
    client.force_login(committee_staff)
    url = reverse("awards:round_create")
    data = round_form(organization=tree.root.pk)
    first = client.post(url, data)
    again = client.post(url, data)
    round_ = Round.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == f"/awards/rounds/{round_.pk}/"
    assert round_.submissions_close == D(2020, 11, 30) and round_.evidence_required
    assert round_.vote_rule == rules["old"]

    page = client.get(first["Location"]).content.decode()
    assert "30/11/2020" in page and "01/12/2020 – 10/12/2020" in page
    assert "more than 50% of all council members agree" in page

    refused = client.post(
        url, round_form(form_token="round-2", organization=tree.root.pk, voting_opens="01/11/2020")
    )
    assert refused.status_code == 200 and Round.objects.count() == 1
    assert "before nominations close (30/11/2020)" in refused.content.decode()


def test_editing_quotas_and_the_council_through_the_pages(
    client, tree, committee_staff, council_member, rounds
):
    round_ = rounds["root"]
    client.force_login(committee_staff)
    detail = reverse("awards:round_detail", args=[round_.pk])
    edit = client.post(
        reverse("awards:round_edit", args=[round_.pk]),
        round_form(title="Đổi tên đợt", submissions_close="29/11/2020"),
    )
    assert edit.status_code == 302
    round_.refresh_from_db()
    assert round_.title == "Đổi tên đợt" and round_.submissions_close == D(2020, 11, 29)

    add = client.post(
        reverse("awards:round_quota_add", args=[round_.pk]),
        {"form_token": "q1", "organization": tree.own.pk, "max_people": 5, "max_collectives": 2},
    )
    assert add.status_code == 302
    quota_ = RoundQuota.objects.get()
    make_nomination(round_, tree.own, person=PersonFactory(), status=S.IN_REVIEW)
    page = client.get(detail).content.decode()
    start = page.index(f'id="quota-{quota_.pk}"')
    row = page[start : page.index("</tr>", start)]
    assert "1/5" in row and "0/2" in row

    client.post(
        reverse("awards:round_quota_edit", args=[quota_.pk]),
        {"form_token": "q2", "organization": tree.own.pk, "max_people": 7, "max_collectives": 2},
    )
    quota_.refresh_from_db()
    assert quota_.max_people == 7

    seat_page = client.get(reverse("awards:round_council_add", args=[round_.pk])).content.decode()
    assert f'value="{council_member.pk}"' in seat_page
    # the round's dates are in 2020: voting has opened, the council is closed
    refused = client.post(
        reverse("awards:round_council_add", args=[round_.pk]),
        {"form_token": "c1", "user": council_member.pk, "role": "member", "name": ""},
    )
    assert refused.status_code == 200 and not CouncilMember.objects.exists()
    assert "once voting has opened" in refused.content.decode()

    assert client.post(reverse("awards:round_quota_delete", args=[quota_.pk])).status_code == 302
    assert not RoundQuota.objects.exists()


def test_seating_and_removing_a_member_before_voting(client, tree, committee_staff, council_member):
    round_ = make_round(
        tree.root,
        year=2099,
        submissions_close=D(2099, 11, 30),
        voting_opens=D(2099, 12, 1),
        voting_closes=D(2099, 12, 10),
    )
    client.force_login(committee_staff)
    added = client.post(
        reverse("awards:round_council_add", args=[round_.pk]),
        {"form_token": "c1", "user": council_member.pk, "role": "chair", "name": "Chủ tịch HĐ"},
    )
    assert added.status_code == 302
    member = CouncilMember.objects.get()
    assert (member.name, member.role) == ("Chủ tịch HĐ", "chair")
    page = client.get(reverse("awards:round_detail", args=[round_.pk])).content.decode()
    assert (
        "Chủ tịch HĐ" in page and reverse("awards:round_council_delete", args=[member.pk]) in page
    )

    assert client.post(reverse("awards:round_council_delete", args=[member.pk])).status_code == 302
    assert not CouncilMember.objects.exists()


def test_the_detail_counts_by_status_and_filters_the_nominations(
    client, tree, base_secretary, committee_staff, rounds
):
    round_ = rounds["root"]
    mine = make_nomination(round_, tree.own, collective=tree.own_cell, status=S.SUBMITTED)
    make_nomination(round_, tree.own, collective=tree.own, status=S.DRAFT)
    theirs = make_nomination(round_, tree.other, collective=tree.other_cell, status=S.SUBMITTED)
    url = reverse("awards:round_detail", args=[round_.pk])

    client.force_login(committee_staff)
    page = client.get(url).content.decode()
    assert 'data-status="submitted"' in page and ">Submitted</a>: 2" in page
    assert f'id="nomination-{theirs.pk}"' in page
    drafts = client.get(url, {"status": "draft"}).content.decode()
    assert f'id="nomination-{mine.pk}"' not in drafts

    client.force_login(base_secretary)
    page = client.get(url).content.decode()
    assert f'id="nomination-{mine.pk}"' in page and f'id="nomination-{theirs.pk}"' not in page
    assert ">Submitted</a>: 1" in page


def test_the_hub_and_the_menu(client, base_secretary, outsider):
    client.force_login(base_secretary)
    page = client.get(reverse("awards:hub")).content.decode()
    assert reverse("awards:round_list") in page and reverse("awards:nomination_list") in page
    assert f'href="{reverse("awards:hub")}"' in client.get(reverse("home")).content.decode()
    client.force_login(outsider)
    assert client.get(reverse("awards:hub")).status_code == 404
    assert client.get(reverse("awards:round_list")).status_code == 404


# --- query-count guards ------------------------------------------------------------------


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_list_runs_the_same_queries_for_1_and_30_rounds(client, tree, committee_staff, rules):
    client.force_login(committee_staff)
    url = reverse("awards:round_list") + "?q=khen&year=2020"
    make_round(tree.root, title="Khen thưởng 0", vote_rule=rules["old"])
    one = count_queries(client, url)
    for i in range(1, 30):
        round_ = make_round(make_org(tree.root), title=f"Khen thưởng {i}", vote_rule=rules["old"])
        make_nomination(round_, tree.own, status=S.SUBMITTED)
    assert count_queries(client, url) == one


def test_the_detail_runs_the_same_queries_for_1_and_30_nominations(
    client, tree, committee_staff, council_member, rules
):
    client.force_login(committee_staff)
    round_ = make_round(tree.root, vote_rule=rules["old"])
    seat(round_, council_member)
    quota(round_, tree.own)
    url = reverse("awards:round_detail", args=[round_.pk]) + "?status=submitted"
    make_nomination(round_, tree.own, person=PersonFactory(), status=S.SUBMITTED)
    one = count_queries(client, url)
    for _ in range(29):
        org = make_org(tree.own)
        quota(round_, org)
        make_nomination(round_, org, person=PersonFactory(), status=S.SUBMITTED)
    assert count_queries(client, url) == one
