"""Roll-up: a subtree's totals equal the sum over its parts, for every type and period.

A property test over random trees (depth up to 4, random fan-out, some sub-units archived,
sometimes a second tree beside), random activities of random types on random organizations,
dated 2015–2021, with random figures. For every organization and every period (all time,
each year, a random date range, a term of the programs catalog, and one movement) the
totals of `totals_by_type` must equal the sum of the parts of `breakdown`, and a brute-force
sum over the generated records of the subtree and period.
"""

import datetime
from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lantoa.movements.queries.totals import Figures, Period, breakdown, totals_by_type
from lantoa.orgs.models import Organization
from lantoa.programs.models import Term
from tests.factories import make_org
from tests.movements.factories import (
    BLOOD,
    GIFTS,
    HOUSES,
    OTHER,
    activity_type,
    make_activity,
    make_movement,
)

TYPES = [BLOOD, HOUSES, GIFTS, OTHER]
FIRST, LAST = datetime.date(2015, 1, 1), datetime.date(2021, 12, 31)
MAX_DEPTH = 4


@dataclass(frozen=True)
class Node:
    parent: int | None  # index of an earlier node; None: a root
    archived: bool


@dataclass(frozen=True)
class Record:
    node: int
    kind: int
    date: datetime.date
    quantity: int
    money: int
    participants: int
    beneficiaries: int
    in_movement: bool


@st.composite
def forests(draw) -> list[Node]:
    """Random trees: each node hangs under an earlier one not yet at the deepest level;
    rarely a new root (a second tree beside the first, whose activities must stay apart)."""
    size = draw(st.integers(min_value=1, max_value=10))
    nodes, depths = [Node(None, False)], [1]
    for _ in range(size - 1):
        open_nodes = [i for i, depth in enumerate(depths) if depth < MAX_DEPTH]
        beside = draw(st.integers(0, 9)) == 0
        parent = None if beside else draw(st.sampled_from(open_nodes))
        nodes.append(Node(parent, draw(st.booleans()) and parent is not None))
        depths.append(1 if parent is None else depths[parent] + 1)
    return nodes


def records(node_count: int, edges: list[datetime.date]):
    """Random activities; their dates often fall on the edge of a period checked."""
    inside = sorted({day for day in edges if FIRST <= day <= LAST})
    record = st.builds(
        Record,
        node=st.integers(0, node_count - 1),
        kind=st.integers(0, len(TYPES) - 1),
        date=st.one_of(st.dates(FIRST, LAST), st.sampled_from(inside)),
        quantity=st.integers(0, 500),
        money=st.integers(0, 5_000_000_000),
        participants=st.integers(0, 2_000),
        beneficiaries=st.integers(0, 2_000),
        in_movement=st.booleans(),
    )
    return st.lists(record, max_size=30)


@st.composite
def periods(draw) -> tuple[datetime.date, datetime.date]:
    start = draw(st.dates(FIRST - datetime.timedelta(days=60), LAST))
    end = draw(st.dates(start, LAST + datetime.timedelta(days=60)))
    return start, end


def build(nodes: list[Node]) -> list[Organization]:
    organizations: list[Organization] = []
    for node in nodes:
        parent = None if node.parent is None else organizations[node.parent]
        organizations.append(make_org(parent, archived=node.archived))
    return [Organization.objects.get(pk=org.pk) for org in organizations]


def brute_force(
    type_ids: list[int],
    generated: list[Record],
    organizations: list[Organization],
    org: Organization,
    period: Period,
    only_movement: bool,
) -> dict[int, Figures]:
    totals: dict[int, Figures] = {}
    for record in generated:
        if not organizations[record.node].path.startswith(org.path):
            continue
        if period.start is not None and record.date < period.start:
            continue
        if period.end is not None and record.date > period.end:
            continue
        if only_movement and not record.in_movement:
            continue
        figures = Figures(
            1, record.quantity, record.money, record.participants, record.beneficiaries
        )
        kind = type_ids[record.kind]
        totals[kind] = totals.get(kind, Figures()) + figures
    return totals


def sum_of_parts(org: Organization, period: Period, movement) -> dict[int, Figures]:
    totals: dict[int, Figures] = {}
    for part in breakdown(org, period, movement):
        for kind, figures in part.by_type.items():
            totals[kind] = totals.get(kind, Figures()) + figures
    return totals


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    database=None,  # nothing written to disk: every run draws afresh
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_subtree_totals_equal_the_sum_of_their_parts(data):
    nodes = data.draw(forests(), label="tree")
    start, end = data.draw(periods(), label="date range")
    term_start, term_end = data.draw(periods(), label="term")
    open_term = data.draw(st.booleans(), label="term still open")
    edges = [start, end, term_start, term_end]
    for year in range(FIRST.year, LAST.year + 1):
        edges += [datetime.date(year, 1, 1), datetime.date(year, 12, 31)]
    generated = data.draw(records(len(nodes), edges), label="activities")
    type_ids = [activity_type(code).pk for code in TYPES]
    with transaction.atomic():  # each example is rolled back, whatever happens
        organizations = build(nodes)
        movement = make_movement(organizations[0], start_date=FIRST, end_date=LAST)
        for record in generated:
            make_activity(
                organizations[record.node],
                TYPES[record.kind],
                date=record.date,
                quantity=record.quantity,
                money=record.money,
                participants=record.participants,
                beneficiaries=record.beneficiaries,
                movement=movement if record.in_movement else None,
            )
        term = Term.objects.create(
            name="Nhiệm kỳ thử",
            code="T",
            start_date=term_start,
            end_date=None if open_term else term_end,
        )
        checked = [
            Period(),
            *(Period.year(year) for year in range(FIRST.year, LAST.year + 1)),
            Period(start, end),
            Period(term.start_date, term.end_date),
        ]
        for org in organizations:
            for period in checked:
                expected = brute_force(type_ids, generated, organizations, org, period, False)
                assert totals_by_type(org.path, period) == expected, (org.path, period)
                assert sum_of_parts(org, period, None) == expected, (org.path, period)
            in_movement = brute_force(type_ids, generated, organizations, org, Period(), True)
            assert totals_by_type(org.path, Period(), movement) == in_movement
            assert sum_of_parts(org, Period(), movement) == in_movement
        everything = {}
        for root in (org for org in organizations if org.depth == 1):
            for kind, figures in totals_by_type(root.path).items():
                everything[kind] = everything.get(kind, Figures()) + figures
        assert totals_by_type("") == everything
        transaction.set_rollback(True)


def test_archived_sub_units_with_activities_still_appear_and_count(tree):
    merged = make_org(tree.own, code="BDV-CB9", name="Chi bộ đã sáp nhập", archived=True)
    dissolved = make_org(tree.own, code="BDV-CB8", name="Chi bộ đã giải thể", archived=True)
    make_activity(merged, BLOOD, quantity=25, participants=30, date=datetime.date(2017, 3, 2))
    make_activity(tree.own_cell, BLOOD, quantity=5, date=datetime.date(2017, 4, 2))
    blood = activity_type(BLOOD)

    parts = breakdown(tree.own, Period.year(2017))

    by_org = {part.organization: part for part in parts}
    assert dissolved not in by_org
    assert by_org[merged].by_type[blood.pk].quantity == 25
    assert by_org[tree.own_cell].by_type[blood.pk].quantity == 5
    assert totals_by_type(tree.own.path, Period.year(2017))[blood.pk].quantity == 30
    assert totals_by_type(tree.root.path, Period.year(2017))[blood.pk].participants == 42
    # in a year without its activities, an archived sub-unit is left out of the breakdown
    assert merged not in {part.organization for part in breakdown(tree.own, Period.year(2018))}
