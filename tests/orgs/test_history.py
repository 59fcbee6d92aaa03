"""The tree of a past day: figures before a restructuring stay under the organizations of
that day, checked against a replay of the moves."""

import datetime
import random

import pytest

from lantoa.orgs import services
from lantoa.orgs.history import subtree_q_on
from lantoa.orgs.models import Organization
from tests.factories import UserFactory, make_org

D = datetime.date


def members_of(org, day):
    return set(Organization.objects.filter(subtree_q_on(org, day)).values_list("code", flat=True))


def test_dissolved_bloc_keeps_its_past_subtree(db):
    admin = UserFactory(username="admin-h", is_superuser=True)
    province = make_org(code="TU", name="Tỉnh ủy")
    bloc = make_org(province, code="DCD", name="Đảng bộ DCĐ")
    base = [make_org(bloc, code=f"B{i}", name=f"Đảng bộ cơ sở {i}") for i in range(3)]
    successor = make_org(province, code="CQD", name="Đảng bộ các cơ quan Đảng tỉnh")
    for org in base:
        services.move_organization(
            Organization.objects.get(pk=org.pk),
            Organization.objects.get(pk=successor.pk),
            by=admin,
            on=D(2025, 7, 1),
        )
    bloc = Organization.objects.get(pk=bloc.pk)
    successor = Organization.objects.get(pk=successor.pk)
    assert members_of(bloc, D(2020, 1, 1)) == {"DCD", "B0", "B1", "B2"}
    assert members_of(bloc, D(2025, 8, 1)) == {"DCD"}
    assert members_of(successor, D(2020, 1, 1)) == {"CQD"}
    assert members_of(successor, D(2025, 8, 1)) == {"CQD", "B0", "B1", "B2"}


@pytest.mark.parametrize("seed", range(6))
def test_past_subtrees_match_a_replay_of_random_moves(db, seed):
    rng = random.Random(seed)
    admin = UserFactory(username=f"admin-{seed}", is_superuser=True)
    root = make_org(code="R", name="Gốc")
    nodes = [root]
    for i in range(12):
        nodes.append(make_org(rng.choice(nodes), code=f"N{i}", name=f"Tổ chức {i}"))
    codes = [n.code for n in nodes]
    parent = {
        o.code: (Organization.objects.get_parent(o).code if o.depth > 1 else None)
        for o in Organization.objects.all()
    }
    snapshots = [(D(2000, 1, 1), dict(parent))]
    day = D(2001, 1, 1)
    for _ in range(10):
        mover = Organization.objects.get(code=rng.choice(codes[1:]))
        target = Organization.objects.get(code=rng.choice(codes))
        if target.path.startswith(mover.path) or parent[mover.code] == target.code:
            continue
        services.move_organization(mover, target, by=admin, on=day)
        parent[mover.code] = target.code
        snapshots.append((day, dict(parent)))
        day += datetime.timedelta(days=100)

    def replay_subtree(code, parents):
        found = {code}
        changed = True
        while changed:
            changed = False
            for child, par in parents.items():
                if par in found and child not in found:
                    found.add(child)
                    changed = True
        return found

    for moved_on, parents in snapshots:
        probe = moved_on + datetime.timedelta(days=1)
        for code in codes:
            org = Organization.objects.get(code=code)
            assert members_of(org, probe) == replay_subtree(code, parents), (code, probe)
