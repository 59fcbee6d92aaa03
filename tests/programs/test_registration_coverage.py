"""Coverage over a subtree: members with a commitment, base organizations with a model."""

import datetime

from django.utils import timezone

from lantoa.orgs.models import Membership, OrganizationKind
from lantoa.programs.models import Commitment, UnitModel
from lantoa.programs.queries.registration import (
    commitment_coverage,
    coverage_by_child,
    model_coverage,
)
from tests.factories import PersonFactory, make_org

YEAR = 2024


def member(**fields):
    """A person with the membership that makes them count for a year, as every real one has."""
    person = PersonFactory(**fields)
    left = datetime.date(2020, 1, 1) if person.archived else None
    Membership.objects.create(
        person=person, organization=person.organization, start_date="2015-01-01", end_date=left
    )
    return person


def commit(person, year=YEAR):
    return Commitment.objects.create(
        person=person, year=year, organization=person.organization, submitted_at=timezone.now()
    )


def test_commitment_coverage_counts_current_members_of_the_subtree(tree):
    own_people = [member(organization=tree.own_cell) for _ in range(4)]
    direct = member(organization=tree.own)
    other_people = [member(organization=tree.other_cell) for _ in range(3)]
    left = member(organization=tree.own_cell, archived=True)
    for person in [*own_people[:2], direct, other_people[0], left]:
        commit(person)
    commit(own_people[3], year=YEAR - 1)

    assert commitment_coverage(tree.own_cell, YEAR) == (2, 4)
    assert commitment_coverage(tree.own, YEAR) == (3, 5)
    assert commitment_coverage(tree.other, YEAR) == (1, 3)
    assert commitment_coverage(tree.root, YEAR) == (4, 8)
    assert commitment_coverage(tree.root, YEAR - 1) == (1, 8)
    assert commitment_coverage(tree.root, YEAR + 1) == (0, 8)


def test_model_coverage_counts_base_organizations_with_a_model_for_the_year(tree):
    # own and other are base committees; add a base cell under the root
    base_cell = make_org(
        tree.root, code="YT", name="Chi bộ Trường Cao đẳng Y tế", kind=OrganizationKind.BASE_CELL
    )
    UnitModel.objects.create(organization=tree.own, year_from=2019, year_to=2020, title="Cũ")
    UnitModel.objects.create(organization=tree.own, year_from=2024, title="Mới")
    UnitModel.objects.create(organization=base_cell, year_from=2023, year_to=2024, title="A")
    UnitModel.objects.create(organization=tree.own_cell, year_from=2024, title="Chi bộ")

    assert model_coverage(tree.root, 2024) == (2, 3)
    assert model_coverage(tree.root, 2025) == (1, 3)
    assert model_coverage(tree.root, 2020) == (1, 3)
    assert model_coverage(tree.root, 2021) == (0, 3)
    assert model_coverage(tree.own, 2024) == (1, 1)
    assert model_coverage(tree.own_cell, 2024) == (0, 0)  # a plain cell is not a base org


def test_coverage_by_child_adds_up_to_the_subtree(tree):
    [member(organization=tree.own_cell) for _ in range(2)]
    commit(member(organization=tree.own_cell))
    commit(member(organization=tree.other_cell))
    commit(member(organization=tree.root))  # attached to the root itself
    UnitModel.objects.create(organization=tree.other, year_from=YEAR, title="Viễn thông")

    rows, total = coverage_by_child(tree.root, YEAR)
    figures = {
        (row.organization.code if row.organization else None): (
            row.committed,
            row.members,
            row.covered,
            row.bases,
        )
        for row in rows
    }
    assert figures == {None: (1, 1, 0, 0), "BDV": (1, 3, 0, 1), "VNPT": (1, 1, 1, 1)}
    assert (total.committed, total.members) == commitment_coverage(tree.root, YEAR) == (3, 5)
    assert (total.covered, total.bases) == model_coverage(tree.root, YEAR) == (1, 2)
    assert total.commitment_percent == 60.0
    assert rows[1].model_percent == 0.0
