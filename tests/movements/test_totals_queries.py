"""Totals of the activity ledger: by type, period, movement and subtree, by part, by year."""

import datetime

from lantoa.movements.queries.totals import (
    Figures,
    Period,
    activities_in,
    breakdown,
    by_year,
    grand_total,
    totals_by_type,
)
from tests.factories import make_org
from tests.movements.factories import (
    BLOOD,
    GIFTS,
    HOUSES,
    activity_type,
    make_activity,
    make_movement,
)


def day(year, month=6, dd=15):
    return datetime.date(year, month, dd)


def test_figures_add_up_field_by_field():
    total = Figures(1, 2, 3, 4, 5) + Figures(10, 20, 30, 40, 50)

    assert total == Figures(11, 22, 33, 44, 55)
    assert Figures().empty and not total.empty


def test_totals_by_type_sum_each_field_and_leave_types_without_activity_out(tree):
    blood, gifts = activity_type(BLOOD), activity_type(GIFTS)
    make_activity(tree.own_cell, BLOOD, quantity=30, participants=40, beneficiaries=0, money=0)
    make_activity(tree.other, BLOOD, quantity=12, participants=15, beneficiaries=2, money=5)
    make_activity(
        tree.root, GIFTS, quantity=100, participants=8, beneficiaries=100, money=50_000_000
    )

    totals = totals_by_type(tree.root.path)

    assert totals == {
        blood.pk: Figures(activities=2, quantity=42, money=5, participants=55, beneficiaries=2),
        gifts.pk: Figures(1, 100, 50_000_000, 8, 100),
    }
    assert activity_type(HOUSES).pk not in totals
    assert grand_total(totals) == Figures(3, 142, 50_000_005, 63, 102)


def test_totals_of_a_subtree_leave_other_subtrees_and_the_parent_out(tree):
    blood = activity_type(BLOOD)
    make_activity(tree.own_cell, BLOOD, quantity=3)
    make_activity(tree.own, BLOOD, quantity=4)
    make_activity(tree.other_cell, BLOOD, quantity=50)
    make_activity(tree.root, BLOOD, quantity=600)

    assert totals_by_type(tree.own.path)[blood.pk].quantity == 7
    assert totals_by_type(tree.own_cell.path)[blood.pk].quantity == 3
    assert totals_by_type(tree.root.path)[blood.pk].quantity == 657
    assert totals_by_type("")[blood.pk].quantity == 657


def test_a_partner_organization_does_not_count_the_activity_again(tree):
    activity = make_activity(tree.own_cell, BLOOD, quantity=9)
    activity.partners.add(tree.other_cell, tree.own)

    assert totals_by_type(tree.other.path) == {}
    assert totals_by_type(tree.root.path)[activity.activity_type_id].activities == 1


def test_periods_include_both_ends_and_may_be_open(tree):
    blood = activity_type(BLOOD)
    for date in (day(2018, 12, 31), day(2019, 1, 1), day(2019, 12, 31), day(2020, 1, 1)):
        make_activity(tree.own, BLOOD, date=date, quantity=1)

    def count(period):
        return totals_by_type(tree.root.path, period).get(blood.pk, Figures()).activities

    assert count(Period.year(2019)) == 2
    assert count(Period.year(2017)) == 0
    assert count(Period(start=day(2019, 1, 1))) == 3
    assert count(Period(end=day(2019, 1, 1))) == 2
    assert count(Period()) == 4
    assert activities_in(tree.own.path, Period.year(2020)).count() == 1


def test_totals_for_one_movement(tree):
    movement = make_movement(tree.root)
    blood = activity_type(BLOOD)
    make_activity(tree.own, BLOOD, quantity=5, movement=movement)
    make_activity(tree.own, BLOOD, quantity=7)

    assert totals_by_type(tree.root.path, movement=movement)[blood.pk].quantity == 5
    assert totals_by_type(tree.root.path)[blood.pk].quantity == 12


def test_breakdown_is_the_organization_itself_then_each_sub_unit_in_tree_order(tree):
    blood = activity_type(BLOOD)
    make_activity(tree.root, BLOOD, quantity=1)
    make_activity(tree.own, BLOOD, quantity=10)
    make_activity(tree.own_cell, BLOOD, quantity=100)
    make_activity(tree.other_cell, BLOOD, quantity=1000)

    parts = breakdown(tree.root)

    assert [(part.organization, part.own) for part in parts] == [
        (tree.root, True),
        (tree.own, False),
        (tree.other, False),
    ]
    assert [part.by_type[blood.pk].quantity for part in parts] == [1, 110, 1000]
    assert [part.total.activities for part in parts] == [1, 2, 1]


def test_breakdown_of_a_leaf_is_its_own_activities(tree):
    make_activity(tree.own_cell, BLOOD, quantity=4)

    (part,) = breakdown(tree.own_cell)

    assert part.own and part.organization == tree.own_cell
    assert part.total.quantity == 4


def test_breakdown_shows_empty_sub_units_but_not_empty_archived_ones(tree):
    empty_archived = make_org(tree.own, code="OLD-1", name="Chi bộ đã giải thể", archived=True)
    busy_archived = make_org(tree.own, code="OLD-2", name="Chi bộ đã sáp nhập", archived=True)
    make_activity(busy_archived, BLOOD, quantity=6)

    parts = breakdown(tree.own)

    organizations = [part.organization for part in parts]
    assert tree.own_cell in organizations
    assert busy_archived in organizations
    assert empty_archived not in organizations
    assert parts[organizations.index(busy_archived)].total.quantity == 6


def test_by_year_gives_every_year_of_the_range_even_empty_ones(tree):
    blood, houses = activity_type(BLOOD), activity_type(HOUSES)
    make_activity(tree.own, BLOOD, date=day(2017), quantity=3)
    make_activity(tree.own_cell, BLOOD, date=day(2017), quantity=4)
    make_activity(tree.own, HOUSES, date=day(2019), quantity=2, money=80_000_000)
    make_activity(tree.own, HOUSES, date=day(2021), quantity=9)  # after the range

    years = by_year(tree.root.path, 2016, 2020)

    assert list(years) == [2016, 2017, 2018, 2019, 2020]
    assert years[2016] == {} and years[2018] == {}
    assert years[2017][blood.pk].quantity == 7
    assert years[2019][houses.pk] == Figures(1, 2, 80_000_000, 12, 0)


def test_by_year_for_one_movement(tree):
    movement = make_movement(tree.root)
    blood = activity_type(BLOOD)
    make_activity(tree.own, BLOOD, date=day(2018), quantity=5, movement=movement)
    make_activity(tree.own, BLOOD, date=day(2018), quantity=7)

    assert by_year(tree.root.path, 2018, 2018, movement)[2018][blood.pk].quantity == 5
