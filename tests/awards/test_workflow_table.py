"""The permission table of the nomination workflow, tested as a table: every step × every
role × every status. The expectation is written out here — who may take each step and from
which statuses — not read from `workflow.STEPS`, so a change of the table shows up here.

Then the step rules of submitting: the deadline, required evidence, the quota (with its
message), the duplicate flag (without diacritics, with the birth date), the reason of a
return or rejection, the events and the audit trail.
"""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from lantoa.awards import workflow
from lantoa.awards.models import Evidence, Nomination, NominationEvent, NominationStatus
from lantoa.awards.workflow import Action
from lantoa.core.models import AuditEntry
from lantoa.orgs.models import Role
from tests.awards.factories import make_nomination, make_round, quota, seat
from tests.factories import PersonFactory, UserFactory, grant

D = datetime.date
S = NominationStatus
BEFORE_CLOSE = D(2020, 11, 1)  # nominations of the round close on 30/11/2020
AFTER_VOTING = D(2020, 12, 11)  # the council voted from 01/12 to 10/12/2020

# --- the table ---------------------------------------------------------------------------

ROLES = (
    "system_admin",
    "committee_staff",
    "staff_of_nominating_org",
    "staff_of_other_org",
    "council_member",
    "member",
    "read_only",
    "outsider",
)
NOMINATORS = {"system_admin", "committee_staff", "staff_of_nominating_org"}
COMMITTEE = {"system_admin", "committee_staff"}

# action: (roles who may take it, statuses it starts from, status it leads to)
TABLE: dict[Action, tuple[set[str], set[str], set[str]]] = {
    Action.SUBMIT: (NOMINATORS, {S.DRAFT}, {S.SUBMITTED}),
    Action.RESUBMIT: (NOMINATORS, {S.RETURNED}, {S.SUBMITTED}),
    Action.WITHDRAW: (
        NOMINATORS,
        {S.DRAFT, S.SUBMITTED, S.RETURNED, S.IN_REVIEW},
        {S.WITHDRAWN},
    ),
    Action.START_REVIEW: (COMMITTEE, {S.SUBMITTED}, {S.IN_REVIEW}),
    Action.RETURN_FOR_CHANGES: (COMMITTEE, {S.SUBMITTED, S.IN_REVIEW}, {S.RETURNED}),
    Action.REJECT: (COMMITTEE, {S.SUBMITTED, S.IN_REVIEW}, {S.REJECTED}),
    Action.SEND_TO_VOTE: (COMMITTEE, {S.IN_REVIEW}, {S.VOTING}),
    Action.TALLY: (COMMITTEE, {S.VOTING}, {S.SELECTED, S.NOT_SELECTED}),
    Action.COMMEND: (COMMITTEE, {S.SELECTED}, {S.COMMENDED}),
    Action.HONOR: (COMMITTEE, {S.COMMENDED}, {S.HONORED}),
}


def test_the_table_covers_every_step():
    assert set(TABLE) == set(Action)


@pytest.fixture
def users(tree, committee_staff, base_secretary, council_member, outsider) -> dict:
    def granted(name, role, org):
        user = UserFactory(username=name)
        grant(user, role, org)
        return user

    return {
        "system_admin": granted("admin", Role.SYSTEM_ADMIN, tree.root),
        "committee_staff": committee_staff,
        "staff_of_nominating_org": base_secretary,  # organization staff on `own`
        "staff_of_other_org": granted("other_staff", Role.ORGANIZATION_STAFF, tree.other),
        "council_member": council_member,
        "member": granted("member", Role.MEMBER, tree.own),
        "read_only": granted("reader", Role.READ_ONLY, tree.root),
        "outsider": outsider,
    }


@pytest.fixture
def round_(tree, council_member):
    """A round of the committee (the root), with one council member seated."""
    made = make_round(tree.root)
    seat(made, council_member)
    return made


def day_for(action: Action) -> datetime.date:
    return AFTER_VOTING if action == Action.TALLY else BEFORE_CLOSE


def refused_by_own_rule(action: Action) -> bool:
    """COMMEND and HONOR may carry rules of the decisions and ceremonies (an issued
    decision, a ceremony held): a refusal by those is not a refusal of the table."""
    return action in (Action.COMMEND, Action.HONOR) and action in workflow.CHECKS


def outcome(action: Action, user, nomination: Nomination) -> str:
    """What taking the step did: "denied", "wrong_state", "refused" (by a rule of the step
    itself), or the status it led to."""
    try:
        result = workflow.transition(
            nomination, action, by=user, reason="Lý do thử", today=day_for(action)
        )
    except PermissionDenied:
        return "denied"
    except ValidationError as error:
        return "wrong_state" if error.code == "wrong_state" else "refused"
    return result.status


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(Action))
def test_the_permission_table(tree, users, round_, action, role):
    """For each status: `may`, the buttons offered, and what `transition` does."""
    who, sources, targets = TABLE[action]
    user = users[role]
    allowed = role in who
    wrong = []
    for status in S.values:
        nomination = make_nomination(round_, tree.own, collective=tree.own_cell, status=status)
        possible = allowed and status in sources
        offered = action in workflow.allowed_actions(user, nomination)
        if workflow.may(user, action, nomination) is not possible or offered is not possible:
            wrong.append((status, "may", not possible))
        got = outcome(action, user, nomination)
        if not allowed:
            expected = {"denied"}
        elif status not in sources:
            expected = {"wrong_state"}
        elif refused_by_own_rule(action):
            expected = {*targets, "refused"}
        else:
            expected = targets
        if got not in expected:
            wrong.append((status, got, expected))
        events = list(NominationEvent.objects.filter(nomination=nomination))
        nomination.refresh_from_db()
        if got in targets:
            event = events[0] if len(events) == 1 else None
            if event is None or (event.from_status, event.to_status, event.by, event.reason) != (
                status,
                got,
                user,
                "Lý do thử",
            ):
                wrong.append((status, "event", events))
        elif events or nomination.status != status:
            wrong.append((status, "changed", nomination.status))
    assert wrong == []


# --- reasons, events, audit --------------------------------------------------------------


@pytest.mark.parametrize("action", [Action.RETURN_FOR_CHANGES, Action.REJECT])
def test_returning_or_rejecting_needs_a_reason(tree, committee_staff, round_, action):
    nomination = make_nomination(round_, tree.own, status=S.IN_REVIEW)
    for reason in ("", "   \n"):
        with pytest.raises(ValidationError) as raised:
            workflow.transition(nomination, action, by=committee_staff, reason=reason)
        assert "reason" in raised.value.message_dict
    nomination.refresh_from_db()
    assert nomination.status == S.IN_REVIEW and not nomination.events.exists()


def test_the_whole_path_writes_events_with_reasons_and_audit_entries(
    tree, base_secretary, committee_staff, round_
):
    nomination = make_nomination(round_, tree.own, status=S.DRAFT)
    steps = [
        (Action.SUBMIT, base_secretary, ""),
        (Action.START_REVIEW, committee_staff, ""),
        (Action.RETURN_FOR_CHANGES, committee_staff, "Bổ sung báo cáo thành tích có xác nhận."),
        (Action.RESUBMIT, base_secretary, ""),
        (Action.START_REVIEW, committee_staff, ""),
        (Action.SEND_TO_VOTE, committee_staff, ""),
    ]
    for action, user, reason in steps:
        workflow.transition(nomination, action, by=user, reason=reason, today=BEFORE_CLOSE)

    events = list(nomination.events.order_by("at", "id"))
    assert [(e.from_status, e.to_status) for e in events] == [
        (S.DRAFT, S.SUBMITTED),
        (S.SUBMITTED, S.IN_REVIEW),
        (S.IN_REVIEW, S.RETURNED),
        (S.RETURNED, S.SUBMITTED),
        (S.SUBMITTED, S.IN_REVIEW),
        (S.IN_REVIEW, S.VOTING),
    ]
    assert events[2].reason == "Bổ sung báo cáo thành tích có xác nhận."
    assert events[2].by == committee_staff and events[0].by == base_secretary
    entries = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Nomination),
        object_pk=str(nomination.pk),
        action=AuditEntry.Action.UPDATE,
    )
    statuses = [entry.changes["status"] for entry in entries.order_by("timestamp", "id")]
    assert statuses[0] == ["draft", "submitted"] and statuses[-1] == ["in_review", "voting"]
    assert len(statuses) == len(steps)
    assert {entry.organization_path for entry in entries} == {tree.own.path}


# --- the rules of submitting -------------------------------------------------------------


def test_submitting_after_the_close_is_refused_with_the_date(tree, base_secretary, round_):
    nomination = make_nomination(round_, tree.own)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        workflow.transition(nomination, Action.SUBMIT, by=base_secretary, today=D(2020, 12, 1))
    assert raised.value.messages == ["Nominations for this round closed on 30/11/2020."]
    nomination.refresh_from_db()
    assert nomination.status == S.DRAFT

    on_the_day = workflow.transition(
        nomination, Action.SUBMIT, by=base_secretary, today=D(2020, 11, 30)
    )
    assert on_the_day.status == S.SUBMITTED


def test_a_returned_nomination_comes_back_until_voting_opens(
    tree, base_secretary, committee_staff, round_
):
    nomination = make_nomination(round_, tree.own, status=S.RETURNED)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        workflow.transition(nomination, Action.RESUBMIT, by=base_secretary, today=D(2020, 12, 1))
    assert "Voting opened on 01/12/2020" in raised.value.messages[0]

    back = workflow.transition(
        nomination, Action.RESUBMIT, by=base_secretary, today=D(2020, 11, 30)
    )
    assert back.status == S.SUBMITTED


def test_a_round_requiring_evidence_refuses_a_nomination_without_a_file(
    tree, base_secretary, round_, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    round_.evidence_required = True
    round_.save()
    nomination = make_nomination(round_, tree.own)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        workflow.transition(nomination, Action.SUBMIT, by=base_secretary, today=BEFORE_CLOSE)
    assert "requires evidence" in raised.value.messages[0]
    assert Nomination.objects.get(pk=nomination.pk).status == S.DRAFT

    Evidence.objects.create(
        nomination=nomination, file="evidence/x.pdf", file_type="pdf", file_name="x.pdf", size=9
    )
    submitted = workflow.transition(
        nomination, Action.SUBMIT, by=base_secretary, today=BEFORE_CLOSE
    )
    assert submitted.status == S.SUBMITTED


def test_a_full_quota_is_refused_with_a_clear_message(tree, base_secretary, round_):
    quota(round_, tree.own, people=2, collectives=1)
    people = PersonFactory.create_batch(4, organization=tree.own)
    make_nomination(round_, tree.own, person=people[0], status=S.SELECTED)
    make_nomination(round_, tree.own, person=people[1], status=S.WITHDRAWN)  # not counted
    make_nomination(round_, tree.own, person=people[2], status=S.DRAFT)  # not counted
    second = make_nomination(round_, tree.own, person=people[3])
    workflow.transition(second, Action.SUBMIT, by=base_secretary, today=BEFORE_CLOSE)

    third = make_nomination(round_, tree.own, person=PersonFactory(organization=tree.own))
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        workflow.transition(third, Action.SUBMIT, by=base_secretary, today=BEFORE_CLOSE)
    assert raised.value.messages == [
        "Đảng bộ Ban Dân vận Tỉnh ủy has already nominated 2/2 individuals in this round: "
        "its quota is full."
    ]
    assert Nomination.objects.get(pk=third.pk).status == S.DRAFT

    collective = make_nomination(round_, tree.own, collective=tree.own_cell)
    workflow.transition(collective, Action.SUBMIT, by=base_secretary, today=BEFORE_CLOSE)
    another = make_nomination(round_, tree.own, collective=tree.own)
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        workflow.transition(another, Action.SUBMIT, by=base_secretary, today=BEFORE_CLOSE)
    assert "1/1 collectives" in raised.value.messages[0]


def test_the_quota_of_one_organization_does_not_limit_another(
    tree, base_secretary, committee_staff, round_
):
    quota(round_, tree.other, people=0, collectives=0)
    nomination = make_nomination(round_, tree.own, person=PersonFactory(organization=tree.own))
    assert (
        workflow.transition(nomination, Action.SUBMIT, by=base_secretary, today=BEFORE_CLOSE).status
        == S.SUBMITTED
    )
    theirs = make_nomination(round_, tree.other, collective=tree.other_cell)
    with pytest.raises(ValidationError):
        workflow.transition(theirs, Action.SUBMIT, by=committee_staff, today=BEFORE_CLOSE)


def person(tree, family, middle, given, born=None, org=None):
    return PersonFactory(
        family_name=family,
        middle_name=middle,
        given_name=given,
        birth_date=born,
        organization=org or tree.own,
    )


def test_the_same_person_nominated_twice_is_flagged_not_refused(
    tree, base_secretary, committee_staff, round_
):
    first = make_nomination(
        round_, tree.other, person=person(tree, "Nguyễn", "Văn", "An", D(1980, 5, 1), tree.other)
    )
    workflow.transition(first, Action.SUBMIT, by=committee_staff, today=BEFORE_CLOSE)
    # another record of the same man, typed without diacritics, by another organization
    second = make_nomination(
        round_, tree.own, person=person(tree, "Nguyen", "Van", "An", D(1980, 5, 1))
    )
    submitted = workflow.transition(second, Action.SUBMIT, by=base_secretary, today=BEFORE_CLOSE)

    assert submitted.status == S.SUBMITTED
    assert Nomination.objects.get(pk=second.pk).duplicate_of == first
    assert Nomination.objects.get(pk=first.pk).duplicate_of is None


def test_a_namesake_born_another_day_is_not_flagged(tree, base_secretary, round_):
    first = make_nomination(
        round_, tree.own, person=person(tree, "Nguyễn", "Văn", "An", D(1980, 5, 1))
    )
    workflow.transition(first, Action.SUBMIT, by=base_secretary, today=BEFORE_CLOSE)
    second = make_nomination(
        round_, tree.own, person=person(tree, "Nguyen", "Van", "An", D(1979, 5, 1))
    )
    workflow.transition(second, Action.SUBMIT, by=base_secretary, today=BEFORE_CLOSE)
    assert Nomination.objects.get(pk=second.pk).duplicate_of is None


def test_without_a_birth_date_the_name_alone_flags(tree, base_secretary, round_):
    from lantoa.awards.services.nominations import find_duplicate

    first = make_nomination(
        round_, tree.own, person=person(tree, "Nguyễn", "Văn", "An", D(1980, 5, 1))
    )
    second = make_nomination(round_, tree.own, person=person(tree, "Nguyen", "Van", "An"))
    workflow.transition(second, Action.SUBMIT, by=base_secretary, today=BEFORE_CLOSE)

    assert Nomination.objects.get(pk=second.pk).duplicate_of == first
    assert find_duplicate(Nomination.objects.get(pk=second.pk)) == (first, True)


def test_withdrawn_or_rejected_nominations_are_not_duplicates(tree, base_secretary, round_):
    make_nomination(round_, tree.own, collective=tree.own_cell, status=S.WITHDRAWN)
    make_nomination(round_, tree.own, collective=tree.own_cell, status=S.REJECTED)
    again = make_nomination(round_, tree.own, collective=tree.own_cell)
    workflow.transition(again, Action.SUBMIT, by=base_secretary, today=BEFORE_CLOSE)
    assert Nomination.objects.get(pk=again.pk).duplicate_of is None

    live = make_nomination(round_, tree.own, collective=tree.own_cell)
    workflow.transition(live, Action.SUBMIT, by=base_secretary, today=BEFORE_CLOSE)
    assert Nomination.objects.get(pk=live.pk).duplicate_of_id == again.pk
