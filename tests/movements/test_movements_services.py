"""Movements through the services: who may launch them, their period, their targets,
and what may no longer change once activities were reported against them."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from lantoa.movements.models import Movement, MovementKind, MovementTarget
from lantoa.movements.queries.movements import (
    movement_period_error,
    movements_for,
    visible_movements,
)
from lantoa.movements.services import movements as services
from lantoa.orgs.models import Role
from lantoa.programs.models import Document
from tests.factories import UserFactory, grant
from tests.movements.factories import (
    BLOOD,
    GIFTS,
    HOUSES,
    activity_type,
    make_activity,
    make_movement,
    make_target,
)
from tests.programs.test_documents_support import make_catalog

D = datetime.date
FIELDS = {
    "title": "Phong trào thi đua “Dân vận khéo”",
    "kind": MovementKind.THEMATIC,
    "start_date": D(2016, 1, 1),
    "end_date": D(2020, 12, 31),
}


def launch(by, org, **fields) -> Movement:
    return services.create_movement(by=by, organization=org, **{**FIELDS, **fields})


def errors_of(raised) -> dict[str, str]:
    return {name: " ".join(messages) for name, messages in raised.value.message_dict.items()}


@pytest.fixture
def movement(tree, committee_staff) -> Movement:
    return launch(committee_staff, tree.root)


# --- launching ----------------------------------------------------------------------------


def test_committee_staff_launch_a_movement_from_their_organization(tree, committee_staff):
    movement = launch(committee_staff, tree.root, title="  Phong trào “Vì người nghèo”  ")

    movement.refresh_from_db()
    assert movement.organization == tree.root
    assert movement.created_by == committee_staff
    assert movement.title == "Phong trào “Vì người nghèo”"
    assert movement.search_key == "phong trao “vi nguoi ngheo”"


def test_organization_staff_cannot_launch_movements(tree, base_secretary):
    with pytest.raises(PermissionDenied):
        launch(base_secretary, tree.own)
    assert not Movement.objects.exists()


def test_committee_staff_launch_only_within_their_grant(tree):
    staff = UserFactory(username="own_committee")
    grant(staff, Role.COMMITTEE_STAFF, tree.own)

    launch(staff, tree.own_cell)
    with pytest.raises(PermissionDenied):
        launch(staff, tree.root)
    with pytest.raises(PermissionDenied):
        launch(staff, tree.other)


def test_an_archived_organization_launches_nothing(tree, committee_staff):
    tree.other.archived = True
    tree.other.save()

    with pytest.raises(ValidationError) as raised:
        launch(committee_staff, tree.other)
    assert "organization" in raised.value.message_dict


def test_the_end_cannot_come_before_the_start(tree, committee_staff):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        launch(committee_staff, tree.root, start_date=D(2020, 1, 1), end_date=D(2019, 12, 31))
    assert "before its start" in errors_of(raised)["end_date"]
    assert not Movement.objects.exists()


def test_a_one_day_movement_is_allowed(tree, committee_staff):
    day = D(2019, 6, 14)
    assert launch(committee_staff, tree.root, start_date=day, end_date=day).pk


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (D(1929, 12, 31), D(1935, 1, 1), "start_date"),
        (D(1930, 1, 1), D(9999, 1, 1), "end_date"),
    ],
)
def test_years_are_between_1930_and_a_few_years_ahead(tree, committee_staff, start, end, field):
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        launch(committee_staff, tree.root, start_date=start, end_date=end)
    assert "Enter a year between 1930 and" in errors_of(raised)[field]


def test_a_movement_may_be_planned_for_the_years_ahead(tree, committee_staff):
    last = services.last_year()
    assert last == timezone.localdate().year + 6
    launch(committee_staff, tree.root, start_date=D(last - 4, 1, 1), end_date=D(last, 12, 31))
    with pytest.raises(ValidationError):
        launch(committee_staff, tree.root, start_date=D(last, 1, 1), end_date=D(last + 1, 1, 1))


def test_the_launching_document_must_reach_the_launcher(tree, committee_staff):
    catalog = make_catalog(tree.root)

    def document(org, number):
        return Document.objects.create(
            system="party",
            number=number,
            doc_type=catalog.kh,
            issuer=catalog.du,
            term=catalog.du_ix,
            title="Kế hoạch phát động thi đua",
            organization=org,
        )

    from_above = document(tree.root, 1)
    from_the_side = document(tree.other, 2)
    assert launch(committee_staff, tree.own, document=from_above).document == from_above
    with pytest.raises(ValidationError) as raised:
        launch(committee_staff, tree.own, document=from_the_side)
    assert "document" in raised.value.message_dict


# --- correcting and deleting --------------------------------------------------------------


def test_a_movement_is_corrected_by_its_managers_only(movement, committee_staff, base_secretary):
    services.update_movement(movement, by=committee_staff, title="Tên mới")
    movement.refresh_from_db()
    assert movement.title == "Tên mới"
    assert movement.search_key == "ten moi"

    with pytest.raises(PermissionDenied):
        services.update_movement(movement, by=base_secretary, title="Không được")


def test_the_period_cannot_leave_reported_activities_outside(tree, movement, committee_staff):
    make_activity(tree.own_cell, movement=movement, date=D(2017, 3, 2))
    make_activity(tree.other_cell, movement=movement, date=D(2017, 8, 9))
    make_activity(tree.other_cell, movement=movement, date=D(2019, 6, 14))
    make_activity(tree.other_cell, date=D(2016, 6, 14))  # not reported against it

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.update_movement(movement, by=committee_staff, start_date=D(2018, 1, 1))
    assert "2 activities" in errors_of(raised)["start_date"]
    movement.refresh_from_db()
    assert movement.start_date == D(2016, 1, 1)

    services.update_movement(
        movement, by=committee_staff, start_date=D(2017, 3, 2), end_date=D(2019, 6, 14)
    )
    movement.refresh_from_db()
    assert (movement.start_date, movement.end_date) == (D(2017, 3, 2), D(2019, 6, 14))


def test_a_period_change_that_keeps_no_activity_outside_says_one(tree, movement, committee_staff):
    make_activity(tree.own_cell, movement=movement, date=D(2020, 12, 31))

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.update_movement(movement, by=committee_staff, end_date=D(2020, 12, 30))
    assert "1 activity reported against this movement falls outside" in " ".join(
        raised.value.messages
    )


def test_a_movement_with_activities_cannot_be_deleted(tree, movement, committee_staff):
    make_target(movement)
    make_activity(tree.own_cell, movement=movement)

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        services.delete_movement(movement, by=committee_staff)
    assert "1 activity was reported against this movement" in raised.value.messages[0]
    assert Movement.objects.filter(pk=movement.pk).exists()
    assert MovementTarget.objects.filter(movement=movement).exists()


def test_a_movement_without_activities_is_deleted_with_its_targets(
    movement, committee_staff, base_secretary
):
    make_target(movement)
    with pytest.raises(PermissionDenied):
        services.delete_movement(movement, by=base_secretary)

    services.delete_movement(movement, by=committee_staff)
    assert not Movement.objects.exists()
    assert not MovementTarget.objects.exists()


# --- targets ------------------------------------------------------------------------------


def set_target(movement, by, code=BLOOD, **fields):
    values = {"quantity": 100, **fields}
    return services.set_target(movement, by=by, activity_type=activity_type(code), **values)


def test_a_target_is_set_per_activity_type(movement, committee_staff):
    target = set_target(movement, committee_staff, quantity=500, per_base_organization=20)
    assert (target.quantity, target.per_base_organization) == (500, 20)

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        set_target(movement, committee_staff, quantity=50)
    assert "already has a target" in errors_of(raised)["activity_type"]

    set_target(movement, committee_staff, HOUSES, quantity=12)
    assert movement.targets.count() == 2


def test_a_target_is_changed_in_place(movement, committee_staff):
    target = set_target(movement, committee_staff)
    set_target(movement, committee_staff, target=target, quantity=250, note="Tăng chỉ tiêu")
    target.refresh_from_db()
    assert (target.quantity, target.note) == (250, "Tăng chỉ tiêu")

    other = set_target(movement, committee_staff, GIFTS)
    with pytest.raises(ValidationError):
        set_target(movement, committee_staff, target=other)  # to blood, which has one


@pytest.mark.parametrize("quantity", [0, -3, services.MAX_TARGET_QUANTITY + 1])
def test_a_target_quantity_is_at_least_one_and_sane(movement, committee_staff, quantity):
    with pytest.raises(ValidationError) as raised:
        set_target(movement, committee_staff, quantity=quantity)
    assert "quantity" in raised.value.message_dict
    assert not movement.targets.exists()


@pytest.mark.parametrize(("per_base", "ok"), [(None, True), (100, True), (101, False), (0, False)])
def test_the_quantity_per_base_organization_fits_the_whole(movement, committee_staff, per_base, ok):
    if ok:
        set_target(movement, committee_staff, quantity=100, per_base_organization=per_base)
        return
    with pytest.raises(ValidationError) as raised:
        set_target(movement, committee_staff, quantity=100, per_base_organization=per_base)
    assert "per_base_organization" in raised.value.message_dict


def test_an_activity_type_no_longer_in_use_takes_no_new_target(movement, committee_staff):
    blood = activity_type(BLOOD)
    blood.active = False
    blood.save()
    with pytest.raises(ValidationError) as raised:
        set_target(movement, committee_staff)
    assert "activity_type" in raised.value.message_dict


def test_only_managers_set_and_delete_targets(movement, committee_staff, base_secretary):
    with pytest.raises(PermissionDenied):
        set_target(movement, base_secretary)
    target = set_target(movement, committee_staff)
    with pytest.raises(PermissionDenied):
        services.delete_target(target, by=base_secretary)
    services.delete_target(target, by=committee_staff)
    assert not movement.targets.exists()


# --- reach --------------------------------------------------------------------------------


def test_movements_reach_down_the_tree(tree):
    from_root = make_movement(tree.root, title="Tỉnh")
    from_own = make_movement(tree.own, title="Cơ sở", start_date=D(2019, 1, 1))
    from_other = make_movement(tree.other, title="Bên cạnh")
    from_cell = make_movement(tree.own_cell, title="Chi bộ")

    assert set(movements_for(tree.own_cell)) == {from_root, from_own, from_cell}
    assert set(movements_for(tree.own)) == {from_root, from_own}
    assert set(movements_for(tree.other_cell)) == {from_root, from_other}
    assert set(movements_for(tree.own_cell, D(2018, 5, 1))) == {from_root, from_cell}
    assert set(movements_for(tree.own_cell, D(2021, 1, 1))) == set()


def test_a_user_sees_movements_above_and_under_their_grant(tree, base_secretary, committee_staff):
    from_root = make_movement(tree.root)
    from_own = make_movement(tree.own)
    from_cell = make_movement(tree.own_cell)
    from_other = make_movement(tree.other)

    assert set(visible_movements(base_secretary)) == {from_root, from_own, from_cell}
    assert set(visible_movements(committee_staff)) == {from_root, from_own, from_cell, from_other}
    assert not visible_movements(UserFactory(username="nobody")).exists()


def test_a_date_outside_the_period_is_explained(tree):
    movement = make_movement(tree.root)
    assert movement_period_error(movement, D(2016, 1, 1)) is None
    assert movement_period_error(movement, D(2020, 12, 31)) is None
    with translation.override("en"):
        message = movement_period_error(movement, D(2021, 1, 1))
    assert "outside the movement's period" in message
