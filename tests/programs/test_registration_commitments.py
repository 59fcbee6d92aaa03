"""Personal commitments: a member registers and edits only their own, until the cell's
deadline (or one set above it); self-assessment; the cell's assessment; who has not
registered."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from lantoa.orgs.models import Role
from lantoa.programs.models import (
    Commitment,
    CommitmentDeadline,
    CommitmentItem,
    CommitmentStatus,
)
from lantoa.programs.queries.registration import deadline_for, not_registered
from lantoa.programs.services import registration as services
from tests.factories import PersonFactory, UserFactory, grant

TODAY = timezone.localdate()
YEAR = TODAY.year


def member_in(org, username="dang_vien"):
    user = UserFactory(username=username)
    grant(user, Role.MEMBER, org)
    person = PersonFactory(organization=org, account=user)
    return user, person


def deadline(org, days: int, **fields) -> CommitmentDeadline:
    return CommitmentDeadline.objects.create(
        organization=org, year=YEAR, deadline=TODAY + datetime.timedelta(days=days), **fields
    )


def test_member_registers_and_edits_own_commitment(tree):
    user, person = member_in(tree.own_cell)
    commitment = services.save_own_commitment(
        by=user, year=YEAR, items=["Gương mẫu, đúng giờ", "  ", "Tiết kiệm điện"]
    )
    assert commitment.person == person
    assert commitment.organization == tree.own_cell
    assert commitment.status == CommitmentStatus.REGISTERED
    assert [i.text for i in commitment.items.all()] == ["Gương mẫu, đúng giờ", "Tiết kiệm điện"]

    services.save_own_commitment(by=user, year=YEAR, items=["Gương mẫu, đúng giờ"])
    assert Commitment.objects.count() == 1
    assert list(commitment.items.values_list("order", "text")) == [(1, "Gương mẫu, đúng giờ")]


def test_a_commitment_needs_an_item_and_a_linked_person(tree, base_secretary):
    user, _person = member_in(tree.own_cell)
    with pytest.raises(ValidationError):
        services.save_own_commitment(by=user, year=YEAR, items=["", "   "])
    with pytest.raises(ValidationError):  # staff without a person record of their own
        services.save_own_commitment(by=base_secretary, year=YEAR, items=["Một việc"])
    with pytest.raises(ValidationError):  # not a past year
        services.save_own_commitment(by=user, year=YEAR - 1, items=["Một việc"])
    assert Commitment.objects.count() == 0


def test_locked_after_the_cells_deadline(tree):
    user, person = member_in(tree.own_cell)
    deadline(tree.own_cell, days=0)  # today is still open
    commitment = services.save_own_commitment(by=user, year=YEAR, items=["Việc một"])

    CommitmentDeadline.objects.filter(organization=tree.own_cell).update(
        deadline=TODAY - datetime.timedelta(days=1)
    )
    with pytest.raises(ValidationError) as error:
        services.save_own_commitment(by=user, year=YEAR, items=["Việc khác"])
    assert str(YEAR) in error.value.messages[0]
    assert (TODAY - datetime.timedelta(days=1)).strftime("%d/%m/%Y") in error.value.messages[0]
    assert [i.text for i in commitment.items.all()] == ["Việc một"]
    assert services.registration_lock(person, YEAR, commitment)


def test_the_deadline_set_above_applies_when_the_cell_has_none(tree):
    user, _person = member_in(tree.own_cell)
    deadline(tree.root, days=30)
    above = deadline(tree.own, days=-1)
    assert deadline_for(tree.own_cell, YEAR) == above
    with pytest.raises(ValidationError):
        services.save_own_commitment(by=user, year=YEAR, items=["Việc một"])
    assert Commitment.objects.count() == 0

    own = deadline(tree.own_cell, days=5)  # the cell's own deadline wins
    assert deadline_for(tree.own_cell, YEAR) == own
    services.save_own_commitment(by=user, year=YEAR, items=["Việc một"])
    assert deadline_for(tree.other_cell, YEAR).organization == tree.root


def test_self_assessment_then_cell_assessment_locks(tree, base_secretary, committee_staff):
    user, _person = member_in(tree.own_cell)
    with pytest.raises(ValidationError):  # nothing to assess yet
        services.self_assess(by=user, year=YEAR, text="", result="good")
    commitment = services.save_own_commitment(by=user, year=YEAR, items=["Việc một"])
    with pytest.raises(ValidationError):
        services.self_assess(by=user, year=YEAR, text="", result="nonsense")
    services.self_assess(by=user, year=YEAR, text="Đã làm tốt", result="good")
    commitment.refresh_from_db()
    assert (commitment.status, commitment.self_result) == (CommitmentStatus.SELF_ASSESSED, "good")

    with pytest.raises(PermissionDenied):  # a member does not assess themselves as the cell
        services.assess_commitment(commitment, by=user, text="", result="excellent")
    services.assess_commitment(commitment, by=base_secretary, text="Đạt", result="done")
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.ASSESSED
    assert (commitment.cell_result, commitment.cell_assessed_by) == ("done", base_secretary)

    with pytest.raises(ValidationError):  # assessed: the member can no longer change it
        services.save_own_commitment(by=user, year=YEAR, items=["Việc khác"])
    with pytest.raises(ValidationError):
        services.self_assess(by=user, year=YEAR, text="", result="excellent")


def test_self_assessment_deadline(tree):
    user, person = member_in(tree.own_cell)
    deadline(tree.own_cell, days=-10, assessment_deadline=TODAY - datetime.timedelta(days=1))
    Commitment.objects.create(
        person=person, year=YEAR, organization=tree.own_cell, submitted_at=timezone.now()
    )
    with pytest.raises(ValidationError):
        services.self_assess(by=user, year=YEAR, text="", result="good")


def test_staff_assess_only_in_their_subtree(tree, base_secretary):
    user, _person = member_in(tree.other_cell)
    commitment = services.save_own_commitment(by=user, year=YEAR, items=["Việc một"])
    with pytest.raises(PermissionDenied):
        services.assess_commitment(commitment, by=base_secretary, text="", result="done")
    commitment.refresh_from_db()
    assert commitment.status == CommitmentStatus.REGISTERED


def test_deadline_checks(tree, base_secretary):
    with pytest.raises(ValidationError):
        services.set_commitment_deadline(
            tree.own_cell,
            YEAR,
            by=base_secretary,
            deadline=TODAY,
            assessment_deadline=TODAY - datetime.timedelta(days=1),
        )
    with pytest.raises(PermissionDenied):
        services.set_commitment_deadline(tree.other_cell, YEAR, by=base_secretary, deadline=TODAY)
    services.set_commitment_deadline(tree.own_cell, YEAR, by=base_secretary, deadline=TODAY)
    services.set_commitment_deadline(
        tree.own_cell, YEAR, by=base_secretary, deadline=TODAY + datetime.timedelta(days=3)
    )
    assert CommitmentDeadline.objects.get().deadline == TODAY + datetime.timedelta(days=3)


def test_not_registered_lists_current_people_without_a_commitment(tree):
    user, _registered = member_in(tree.own_cell)
    services.save_own_commitment(by=user, year=YEAR, items=["Việc một"])
    waiting = PersonFactory(organization=tree.own_cell, given_name="Chờ")
    PersonFactory(organization=tree.own_cell, given_name="Lưu", archived=True)
    PersonFactory(organization=tree.other_cell, given_name="Ngoài")
    Commitment.objects.create(  # a commitment of another year does not count
        person=waiting, year=YEAR - 1, organization=tree.own_cell, submitted_at=timezone.now()
    )
    assert list(not_registered(tree.own_cell, YEAR)) == [waiting]
    assert set(not_registered(tree.own, YEAR)) == {waiting}
    assert CommitmentItem.objects.count() == 1
