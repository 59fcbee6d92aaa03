"""The council vote: one vote per seated member within the window, the secret ballot, the
round's rule applied to the stored votes, counting through the workflow, and the pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from lantoa.awards.models import Ballot, NominationStatus, Vote, VoteChoice, VoteRule
from lantoa.awards.services.votes import cast_vote, tally_round
from lantoa.awards.tally import compute
from lantoa.awards.workflow import Action, transition
from lantoa.core.errors import PermissionDenied, ValidationError
from lantoa.orgs.models import Role
from tests.awards.factories import make_nomination, make_round, seat, vote_rule
from tests.factories import PersonFactory, UserFactory, grant

D = datetime.date
IN_WINDOW = D(2020, 12, 5)  # the factory's round votes from 01/12/2020 to 10/12/2020
S = NominationStatus
AGREE, DISAGREE, ABSTAIN = VoteChoice.AGREE, VoteChoice.DISAGREE, VoteChoice.ABSTAIN


def council(round_, size: int, org) -> list:
    """`size` council members seated on the round (the first is the chair)."""
    users = []
    for index in range(size):
        user = UserFactory(username=f"hd{round_.pk}-{index}")
        grant(user, Role.COUNCIL_MEMBER, org)
        seat(round_, user, role="chair" if index == 0 else "member", position=index)
        users.append(user)
    return users


def votes(nomination, members, choices, today=IN_WINDOW) -> None:
    for user, choice in zip(members, choices, strict=False):
        cast_vote(nomination, by=user, choice=choice, today=today)


def messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


@pytest.fixture
def voting(tree):
    """A round of the root organization with a council of 3 and a nomination in VOTING."""
    round_ = make_round(tree.root)
    members = council(round_, 3, tree.root)
    person = PersonFactory(organization=tree.own_cell, family_name="Lê", given_name="Hòa")
    nomination = make_nomination(round_, tree.own, person=person, status=S.VOTING)
    return round_, members, nomination


# --- casting a vote -----------------------------------------------------------------------


def test_each_member_votes_once_and_the_vote_names_them_in_an_open_vote(voting):
    _round, members, nomination = voting

    vote = cast_vote(nomination, by=members[0], choice=AGREE, today=IN_WINDOW)

    ballot = Ballot.objects.get()
    assert ballot.nomination == nomination and ballot.member.user == members[0]
    assert vote.choice == AGREE and vote.member == ballot.member


def test_a_second_vote_is_refused_with_a_message_and_nothing_is_written(voting):
    _round, members, nomination = voting
    cast_vote(nomination, by=members[0], choice=AGREE, today=IN_WINDOW)

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        cast_vote(nomination, by=members[0], choice=DISAGREE, today=IN_WINDOW)

    assert messages_of(refused.value) == "You have already voted on this nomination."
    assert Ballot.objects.count() == 1
    assert list(Vote.objects.values_list("choice", flat=True)) == [AGREE]


@pytest.mark.parametrize("day", [D(2020, 11, 30), D(2020, 12, 11)], ids=["before", "after"])
def test_a_vote_outside_the_window_is_refused_with_the_dates(voting, day):
    _round, members, nomination = voting

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        cast_vote(nomination, by=members[0], choice=AGREE, today=day)

    text = messages_of(refused.value)
    assert day.strftime("%d/%m/%Y") in text
    assert "from 01/12/2020 to 10/12/2020" in text
    assert not Ballot.objects.exists() and not Vote.objects.exists()


@pytest.mark.parametrize("day", [D(2020, 12, 1), D(2020, 12, 10)], ids=["first", "last"])
def test_the_window_includes_its_first_and_last_day(voting, day):
    _round, members, nomination = voting
    cast_vote(nomination, by=members[0], choice=ABSTAIN, today=day)
    assert Vote.objects.get().choice == ABSTAIN


def test_a_nomination_not_before_the_council_takes_no_vote(voting):
    _round, members, nomination = voting
    nomination.status = S.IN_REVIEW
    nomination.save()

    with pytest.raises(ValidationError):
        cast_vote(nomination, by=members[0], choice=AGREE, today=IN_WINDOW)
    assert not Ballot.objects.exists()


def test_an_unknown_choice_is_refused(voting):
    _round, members, nomination = voting
    with pytest.raises(ValidationError):
        cast_vote(nomination, by=members[0], choice="maybe", today=IN_WINDOW)
    assert not Vote.objects.exists()


def test_only_the_seated_vote(voting, council_member, committee_staff):
    round_, _members, nomination = voting
    unseated_without_grant = UserFactory(username="seated_nowhere")
    seat(make_round(round_.organization), unseated_without_grant)  # seated elsewhere only
    seated_without_grant = UserFactory(username="no_grant")
    seat(round_, seated_without_grant)

    for user in (council_member, committee_staff, unseated_without_grant, seated_without_grant):
        with pytest.raises(PermissionDenied):
            cast_vote(nomination, by=user, choice=AGREE, today=IN_WINDOW)
    assert not Ballot.objects.exists()


def test_seated_committee_staff_may_vote(voting, committee_staff):
    round_, _members, nomination = voting
    seat(round_, committee_staff, role="secretary")
    cast_vote(nomination, by=committee_staff, choice=AGREE, today=IN_WINDOW)
    assert Ballot.objects.get().member.user == committee_staff


def test_in_a_secret_ballot_the_vote_names_nobody(voting):
    round_, members, nomination = voting
    round_.secret_ballot = True
    round_.save()

    votes(nomination, members, [AGREE, DISAGREE, AGREE])

    assert Ballot.objects.count() == 3  # who voted
    assert list(Vote.objects.values_list("member", flat=True)) == [None, None, None]
    assert sorted(Vote.objects.values_list("choice", flat=True)) == [AGREE, AGREE, DISAGREE]


# --- the rule -------------------------------------------------------------------------------


@pytest.fixture
def six(tree):
    """A council of 6 and a nomination before it; the rule is set per test."""
    round_ = make_round(tree.root)
    members = council(round_, 6, tree.root)
    return round_, members, make_nomination(round_, tree.own, status=S.VOTING)


def set_rule(round_, **fields) -> None:
    round_.vote_rule = vote_rule(**fields)
    round_.save()


@pytest.mark.parametrize(
    ("rule", "choices", "quorum_met", "selected"),
    [
        ({}, [AGREE, AGREE], False, False),  # 2 of 6 voted: below the 50 % quorum
        ({}, [AGREE, AGREE, AGREE], True, False),  # quorum met, 3 of 6 is not "more than half"
        ({}, [AGREE] * 3 + [DISAGREE] * 3, True, False),  # exactly half agree
        ({"strictly_more": False}, [AGREE] * 3 + [DISAGREE] * 3, True, True),  # half or more
        ({}, [AGREE] * 4 + [DISAGREE] * 2, True, True),  # 4 of 6
        ({}, [AGREE] * 4, True, True),  # 4 of 6, two did not vote
        ({}, [AGREE, AGREE, AGREE, DISAGREE], True, False),  # 3 of 6 members
        ({"base": VoteRule.Base.CAST}, [AGREE, AGREE, AGREE, DISAGREE], True, True),  # 3 of 4
        ({"base": VoteRule.Base.CAST}, [AGREE, AGREE, DISAGREE, ABSTAIN], True, False),  # 2/4
        ({"base": VoteRule.Base.CAST}, [AGREE, AGREE], False, False),  # all agree, no quorum
        ({"quorum_percent": 100}, [AGREE] * 5, False, False),  # all must vote
        ({"approval_percent": 66}, [AGREE] * 4 + [DISAGREE] * 2, True, True),  # 400 > 396
        ({"approval_percent": 67}, [AGREE] * 4 + [DISAGREE] * 2, True, False),  # 400 < 402
    ],
)
def test_the_tally_applies_the_rounds_rule(six, rule, choices, quorum_met, selected):
    round_, members, nomination = six
    set_rule(round_, **rule)
    votes(nomination, members, choices)

    tally = compute(nomination)

    assert tally.members == 6 and tally.cast == len(choices)
    assert tally.agree == choices.count(AGREE)
    assert tally.disagree == choices.count(DISAGREE)
    assert tally.abstain == choices.count(ABSTAIN)
    assert (tally.quorum_met, tally.selected) == (quorum_met, selected)


def test_the_rule_reads_in_words(six):
    _round, _members, nomination = six
    with translation.override("en"):
        tally = compute(nomination)
    assert "more than 50%" in tally.rule and "of all council members" in tally.rule
    assert tally.quorum_needed == 3 and tally.agree_needed == 4


def test_nobody_agreeing_never_selects(six):
    round_, members, nomination = six
    set_rule(round_, approval_percent=0, strictly_more=False)
    votes(nomination, members, [DISAGREE] * 6)
    assert not compute(nomination).selected


# --- counting: the TALLY step ---------------------------------------------------------------


def test_votes_cannot_be_counted_before_voting_opens(voting, committee_staff):
    _round, _members, nomination = voting
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        transition(nomination, Action.TALLY, by=committee_staff, today=D(2020, 11, 30))
    assert "01/12/2020" in messages_of(refused.value)
    nomination.refresh_from_db()
    assert nomination.status == S.VOTING


def test_before_voting_closes_the_count_waits_for_every_member(voting, committee_staff):
    _round, members, nomination = voting
    votes(nomination, members[:2], [AGREE, AGREE])

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        transition(nomination, Action.TALLY, by=committee_staff, today=IN_WINDOW)

    assert "2 of the 3 council members have voted" in messages_of(refused.value)
    assert "10/12/2020" in messages_of(refused.value)
    nomination.refresh_from_db()
    assert nomination.status == S.VOTING
    assert not nomination.events.exists()


def test_once_everyone_has_voted_the_count_may_come_early(voting, committee_staff):
    _round, members, nomination = voting
    votes(nomination, members, [AGREE, AGREE, DISAGREE])

    counted = transition(nomination, Action.TALLY, by=committee_staff, today=IN_WINDOW)

    assert counted.status == S.SELECTED
    event = nomination.events.get()
    assert (event.from_status, event.to_status) == (S.VOTING, S.SELECTED)


def test_after_voting_closes_the_count_takes_the_votes_there_are(voting, committee_staff):
    _round, members, nomination = voting
    votes(nomination, members[:2], [AGREE, DISAGREE])

    counted = transition(nomination, Action.TALLY, by=committee_staff, today=D(2020, 12, 11))

    assert counted.status == S.NOT_SELECTED  # 1 of 3 agree


def test_a_council_member_cannot_count(voting):
    _round, members, nomination = voting
    votes(nomination, members, [AGREE, AGREE, AGREE])
    with pytest.raises(PermissionDenied):
        transition(nomination, Action.TALLY, by=members[0], today=D(2020, 12, 11))


def test_after_the_count_no_vote_is_taken(voting, committee_staff):
    _round, members, nomination = voting
    votes(nomination, members[:2], [AGREE, AGREE])
    transition(nomination, Action.TALLY, by=committee_staff, today=D(2020, 12, 11))

    with pytest.raises(ValidationError):
        cast_vote(nomination, by=members[2], choice=AGREE, today=D(2020, 12, 10))
    assert Ballot.objects.count() == 2


def test_closing_the_round_counts_every_nomination_before_the_council(tree, committee_staff):
    round_ = make_round(tree.root)
    members = council(round_, 3, tree.root)
    passed = make_nomination(round_, tree.own, status=S.VOTING)
    failed = make_nomination(round_, tree.other, status=S.VOTING)
    in_review = make_nomination(round_, tree.own_cell, status=S.IN_REVIEW)
    votes(passed, members, [AGREE, AGREE, DISAGREE])
    votes(failed, members, [AGREE, DISAGREE, DISAGREE])

    counted = tally_round(round_, by=committee_staff, today=IN_WINDOW)

    assert counted == {S.SELECTED: 1, S.NOT_SELECTED: 1}
    statuses = {n.pk: n.status for n in round_.nominations.all()}
    assert statuses == {passed.pk: S.SELECTED, failed.pk: S.NOT_SELECTED, in_review.pk: S.IN_REVIEW}


def test_closing_the_round_early_is_all_or_nothing(tree, committee_staff):
    round_ = make_round(tree.root)
    members = council(round_, 3, tree.root)
    complete = make_nomination(round_, tree.own, status=S.VOTING)
    person = PersonFactory(organization=tree.other, family_name="Trần", given_name="Minh")
    incomplete = make_nomination(round_, tree.other, person=person, status=S.VOTING)
    votes(complete, members, [AGREE, AGREE, AGREE])
    votes(incomplete, members[:1], [AGREE])

    with translation.override("en"), pytest.raises(ValidationError) as refused:
        tally_round(round_, by=committee_staff, today=IN_WINDOW)

    assert person.full_name in messages_of(refused.value)
    assert "1 of the 3" in messages_of(refused.value)
    assert set(round_.nominations.values_list("status", flat=True)) == {S.VOTING}


def test_closing_a_round_with_nothing_before_the_council_is_refused(tree, committee_staff):
    round_ = make_round(tree.root)
    with pytest.raises(ValidationError):
        tally_round(round_, by=committee_staff, today=IN_WINDOW)


# --- pages ---------------------------------------------------------------------------------


@pytest.fixture
def today_round(tree):
    """A round whose vote is open today, a council of 3 and two nominations before it."""
    today = timezone.localdate()
    round_ = make_round(
        tree.root,
        submissions_close=today - datetime.timedelta(days=2),
        voting_opens=today - datetime.timedelta(days=1),
        voting_closes=today + datetime.timedelta(days=1),
    )
    members = council(round_, 3, tree.root)
    person = PersonFactory(organization=tree.own_cell, family_name="Nguyễn", given_name="Thảo")
    first = make_nomination(round_, tree.own, person=person, status=S.VOTING)
    second = make_nomination(round_, tree.other, status=S.VOTING)
    return round_, members, first, second


def english(client):
    client.cookies["django_language"] = "en"
    return client


def post_vote(client, nomination, choice):
    page = client.get(reverse("awards:ballot"))
    token = page.context["rows"][0].form.initial["form_token"]
    return client.post(
        reverse("awards:vote", args=[nomination.pk]),
        {"choice": choice, "form_token": token},
        follow=True,
    )


def test_the_ballot_lists_the_nominations_and_records_a_vote(client, today_round):
    _round, members, first, second = today_round
    client.force_login(members[0])
    english(client)

    page = client.get(reverse("awards:ballot"))
    assert page.status_code == 200
    assert "Nguyễn" in page.content.decode() and "Thảo" in page.content.decode()
    assert [row.nomination for row in page.context["rows"]] == [first, second]

    done = post_vote(client, first, AGREE)

    assert "Your vote on" in done.content.decode()
    assert Vote.objects.get(nomination=first).choice == AGREE
    row = done.context["rows"][0]
    assert row.voted and row.choice == "Agree" and row.form is None
    assert "Voted: Agree" in done.content.decode()


def test_a_second_vote_from_the_page_is_refused_with_the_message(client, today_round):
    _round, members, first, _second = today_round
    client.force_login(members[0])
    english(client)
    cast_vote(first, by=members[0], choice=AGREE)

    response = client.post(
        reverse("awards:vote", args=[first.pk]),
        {"choice": DISAGREE, "form_token": "another-token"},
        follow=True,
    )

    assert "You have already voted on this nomination." in response.content.decode()
    assert Vote.objects.filter(nomination=first).count() == 1


def test_a_repeated_submit_of_the_same_form_records_one_vote(client, today_round):
    _round, members, first, _second = today_round
    client.force_login(members[0])
    data = {"choice": AGREE, "form_token": "same-token"}
    url = reverse("awards:vote", args=[first.pk])

    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    assert Ballot.objects.count() == 1 and Vote.objects.count() == 1


def test_in_a_secret_ballot_the_ballot_page_shows_only_voted(client, today_round):
    round_, members, first, _second = today_round
    round_.secret_ballot = True
    round_.save()
    client.force_login(members[0])
    english(client)

    done = post_vote(client, first, DISAGREE)

    row = done.context["rows"][0]
    assert row.voted and row.choice == ""
    assert "Voted: Disagree" not in done.content.decode()


def test_the_not_seated_are_answered_404(client, today_round, council_member, outsider):
    _round, _members, first, _second = today_round
    url = reverse("awards:vote", args=[first.pk])
    client.force_login(council_member)  # a council member's role, but not seated here

    assert client.post(url, {"choice": AGREE}).status_code == 404
    page = client.get(reverse("awards:ballot"))
    assert page.status_code == 200 and list(page.context["rows"]) == []

    client.force_login(outsider)
    assert client.post(url, {"choice": AGREE}).status_code == 404
    assert client.get(reverse("awards:ballot")).status_code == 404
    assert not Ballot.objects.exists()


def test_the_ballot_leaves_out_rounds_whose_vote_is_not_open(client, tree, today_round):
    _round, members, first, second = today_round
    closed = make_round(tree.root, title="Đợt đã đóng")
    seat(closed, members[0])
    make_nomination(closed, tree.own, status=S.VOTING)
    client.force_login(members[0])

    page = client.get(reverse("awards:ballot"))

    assert [row.nomination for row in page.context["rows"]] == [first, second]


def test_the_ballot_searches_by_name_without_diacritics(client, today_round):
    _round, members, first, _second = today_round
    client.force_login(members[0])
    page = client.get(reverse("awards:ballot") + "?q=nguyen thao")
    assert [row.nomination for row in page.context["rows"]] == [first]


def test_the_tally_page_shows_who_voted_how_in_an_open_vote(client, today_round, committee_staff):
    round_, members, first, _second = today_round
    votes(first, members, [AGREE, DISAGREE, AGREE], today=timezone.localdate())
    client.force_login(committee_staff)
    english(client)

    page = client.get(reverse("awards:round_tally", args=[round_.pk]))

    assert page.status_code == 200
    row = page.context["rows"][0]
    assert (row.tally.agree, row.tally.disagree, row.tally.abstain) == (2, 1, 0)
    assert row.tally.selected
    assert row.voters == [
        (members[0].username, "Agree"),
        (members[1].username, "Disagree"),
        (members[2].username, "Agree"),
    ]
    assert f"{members[1].username}: Disagree" in page.content.decode()
    waiting = page.context["rows"][1].waiting
    assert waiting == [m.username for m in members]


def test_the_tally_page_of_a_secret_ballot_shows_who_voted_but_not_how(
    client, today_round, committee_staff
):
    round_, members, first, _second = today_round
    round_.secret_ballot = True
    round_.save()
    votes(first, members[:2], [AGREE, DISAGREE], today=timezone.localdate())
    client.force_login(committee_staff)
    english(client)

    page = client.get(reverse("awards:round_tally", args=[round_.pk]))

    row = page.context["rows"][0]
    assert (row.tally.agree, row.tally.disagree) == (1, 1)  # the tally is shown
    assert row.voters == [(members[0].username, ""), (members[1].username, "")]
    assert row.waiting == [members[2].username]
    content = page.content.decode()
    for member in members[:2]:
        assert f"{member.username}: " not in content
        assert f"{member.username} — voted" in content


def test_the_tally_page_is_for_the_staff_only(client, today_round, base_secretary, outsider):
    round_, members, _first, _second = today_round
    url = reverse("awards:round_tally", args=[round_.pk])
    for user in (members[0], base_secretary, outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(reverse("awards:round_tally_close", args=[round_.pk])).status_code == 404
        assert client.get(reverse("awards:round_minutes", args=[round_.pk])).status_code == 404


def test_closing_the_vote_from_the_tally_page(client, today_round, committee_staff):
    round_, members, first, second = today_round
    today = timezone.localdate()
    votes(first, members, [AGREE, AGREE, ABSTAIN], today=today)
    votes(second, members, [DISAGREE, DISAGREE, AGREE], today=today)
    client.force_login(committee_staff)
    english(client)

    response = client.post(reverse("awards:round_tally_close", args=[round_.pk]), follow=True)

    assert "The vote is closed: 1 selected, 1 not selected." in response.content.decode()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (S.SELECTED, S.NOT_SELECTED)
    assert not response.context["can_close"]


def test_closing_the_vote_early_is_refused_on_the_page(client, today_round, committee_staff):
    round_, members, first, _second = today_round
    votes(first, members[:1], [AGREE], today=timezone.localdate())
    client.force_login(committee_staff)
    english(client)

    response = client.post(reverse("awards:round_tally_close", args=[round_.pk]), follow=True)

    assert "1 of the 3 council members have voted" in response.content.decode()
    first.refresh_from_db()
    assert first.status == S.VOTING


def queries_for(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_voted_nominations(round_, members, tree, count: int) -> None:
    for _ in range(count):
        person = PersonFactory(organization=tree.own_cell)
        nomination = make_nomination(round_, tree.own, person=person, status=S.VOTING)
        votes(nomination, members[1:], [AGREE, DISAGREE], today=timezone.localdate())


@pytest.mark.parametrize("page", ["ballot", "round_tally"])
def test_vote_pages_query_count_does_not_grow_with_rows(
    client, tree, today_round, committee_staff, page
):
    round_, members, first, _second = today_round
    user = members[0] if page == "ballot" else committee_staff
    url = (
        reverse("awards:ballot")
        if page == "ballot"
        else reverse("awards:round_tally", args=[round_.pk])
    )
    client.force_login(user)
    cast_vote(first, by=members[0], choice=AGREE)
    add_voted_nominations(round_, members, tree, 1)
    few = queries_for(client, url)
    add_voted_nominations(round_, members, tree, 15)
    many = queries_for(client, url)
    assert many == few
