"""Load the Cà Mau demo: the tree, its members, the 2019 merger, then the other apps' data.

Everything goes through the application's services where one exists (organizations, the
merger, role grants), so the demo's history is recorded as users' actions would be.
People, memberships and private data are bulk-inserted, with one audit entry each.
After the organizations, every project app with a `demo` module that has
`load(ctx: DemoContext) -> dict[str, int]` adds its records (`lantoa.programs.demo`: the
direction and registration of 2016–2020); this app imports none of them by name.
The whole load is one transaction and draws from one seeded generator: the same data,
or nothing, every time.
"""

import contextlib
import contextvars
import importlib
import importlib.util
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from auditlog.context import set_actor
from django.apps import apps
from django.contrib.auth.models import AbstractUser
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from lantoa.core import audit
from lantoa.orgs import services
from lantoa.orgs.demo import accounts, tree
from lantoa.orgs.demo.accounts import DemoAccount
from lantoa.orgs.demo.context import DemoContext, Unit
from lantoa.orgs.demo.people import PeopleFactory, Placement
from lantoa.orgs.demo.tree import LEAD_JOBS, UnitSpec
from lantoa.orgs.models import (
    Membership,
    Organization,
    OrganizationKind,
    Person,
    PersonPrivate,
)

SEED = 20190401
Action = audit.Action
PROJECT_PACKAGE = "lantoa."
DEMO_MODULE = "demo"


@dataclass(frozen=True)
class Summary:
    organizations: int
    base_organizations: int
    cells: int
    people: int
    with_private_data: int
    merged_units: int
    accounts: list[DemoAccount]
    # What each other app's demo added: {app's verbose name: {what: how many}}.
    apps: dict[str, dict[str, int]] = field(default_factory=dict)


class DemoError(Exception):
    """The demo cannot be loaded into this database."""


def is_loaded() -> bool:
    return Organization.objects.filter(code=tree.PROVINCE_CODE).exists()


def load(seed: int = SEED) -> Summary | None:
    """Load the demo unless it is there already (then return None)."""
    with transaction.atomic(), _unlogged_queries():
        if is_loaded():
            return None
        password_hash = accounts.hash_demo_password()
        admin = accounts.ensure_admin(password_hash)
        if not admin.is_superuser:
            raise DemoError(f"Tài khoản “{admin.username}” đã có và không phải quản trị hệ thống.")
        # set_actor leaves its context variable set: keep it inside a copied context.
        context = contextvars.copy_context()
        return context.run(_load_as, admin, password_hash, random.Random(seed))


@contextlib.contextmanager
def _unlogged_queries() -> Iterator[None]:
    """Run without Django's debug cursor. With DEBUG on (as `make run` loads the demo),
    Django keeps the SQL of every query for the debug page and, on SQLite, quotes every
    parameter again with an extra query to write it: for the quarter of a million rows
    the demo inserts, a third of the load's time spent on a log nobody reads."""
    connection = connections[DEFAULT_DB_ALIAS]
    connection.make_debug_cursor = connection.make_cursor
    try:
        yield
    finally:
        del connection.make_debug_cursor


def _load_as(admin: AbstractUser, password_hash: str, rng: random.Random) -> Summary:
    with set_actor(admin):
        province = services.create_organization(by=admin, parent=None, **tree.PROVINCE)
        committee = _create(admin, province, **tree.COMMITTEE)
        units = [_create_unit(admin, committee, spec, rng) for spec in tree.COMMITTEE_UNITS]
        bloc = _create(admin, province, **tree.ENTERPRISE_BLOC)
        enterprises = [_create_unit(admin, bloc, spec, rng) for spec in tree.ENTERPRISE_UNITS]
        factory = PeopleFactory(rng)
        for unit in units + enterprises:
            _add_members(factory, unit)
        _add_bloc_staff(factory, bloc)
        _save_people(factory)
        services.merge_organizations(bloc, committee, by=admin, on=tree.MERGER_DATE)
        member = _demo_member(units)
        demo_accounts = accounts.create_role_accounts(admin, password_hash, member)
        context = _context(admin, province, committee, bloc, units, enterprises, rng)
        app_counts = {label: load_app(context) for label, load_app in app_demo_loaders()}
    return _summary(province, committee, len(enterprises), demo_accounts, app_counts)


def _create(admin: AbstractUser, parent: Organization, **fields: object) -> Organization:
    return services.create_organization(by=admin, parent=parent, **fields)


def _create_unit(
    admin: AbstractUser, parent: Organization, spec: UnitSpec, rng: random.Random
) -> Unit:
    org = _create(
        admin,
        parent,
        code=spec.code,
        name=spec.name,
        kind=spec.kind,
        host_name=spec.host_name,
        host_kind=spec.host_kind,
    )
    if spec.kind == OrganizationKind.BASE_CELL:
        return Unit(spec, org, [org])
    cells = [
        _create(admin, org, code=f"{spec.code}-CB{i}", name=name, kind=OrganizationKind.CELL)
        for i, name in enumerate(_cell_names(spec, rng), start=1)
    ]
    return Unit(spec, org, cells)


def _cell_names(spec: UnitSpec, rng: random.Random) -> list[str]:
    """The listed cells, or 2–5 from the sector's usual ones (about one per 40 members)."""
    if spec.cells:
        return list(spec.cells)
    pool = tree.CELL_NAMES[spec.sector]
    count = min(len(pool), 5, max(2, round(spec.members / 40)))
    return [pool[0], *rng.sample(pool[1:], count - 1)]


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """Split members over cells unevenly, at least 3 each (a cell needs 3 full members)."""
    weights = [rng.uniform(0.6, 1.4) for _ in range(parts)]
    sizes = [max(3, int(total * w / sum(weights))) for w in weights]
    sizes[0] += total - sum(sizes)
    return sizes


def _leaf_positions(factory: PeopleFactory, spec: UnitSpec, size: int, first: bool) -> list[str]:
    """Positions in one cell: its committee (chi ủy) first, then ordinary members."""
    lead, deputy = LEAD_JOBS[spec.sector]
    officers = []
    if first and spec.kind == OrganizationKind.BASE_COMMITTEE:
        officers.append(f"Bí thư Đảng ủy, {spec.head}")
    head_job = spec.head if first and spec.kind == OrganizationKind.BASE_CELL else lead
    officers += [f"Bí thư chi bộ, {head_job}", f"Phó Bí thư chi bộ, {deputy}"]
    ordinary_officers = 1 if size < 15 else 3
    officers += [f"Chi ủy viên, {factory.job(spec.sector)}" for _ in range(ordinary_officers)]
    return officers[:size] + [""] * max(0, size - len(officers))


def _add_members(factory: PeopleFactory, unit: Unit) -> None:
    spec = unit.spec
    male_share = spec.male_share or tree.SECTOR_MALE_SHARE[spec.sector]
    sizes = _split(spec.members, len(unit.leaves), factory.rng)
    for index, (leaf, size) in enumerate(zip(unit.leaves, sizes, strict=True)):
        for position in _leaf_positions(factory, spec, size, first=index == 0):
            factory.add(Placement(leaf, spec.sector, male_share, position))


def _add_bloc_staff(factory: PeopleFactory, bloc: Organization) -> None:
    """The bloc's office staff, members since before 2015, transferred by the merger."""
    before = tree.BLOC_STAFF_JOINED_BEFORE
    for position in tree.BLOC_STAFF_POSITIONS:
        factory.add(Placement(bloc, tree.Sector.AGENCY, 0.6, position, joined_before=before))


def _save_people(factory: PeopleFactory) -> None:
    batch = factory.batch
    Person.objects.bulk_create(batch.people, batch_size=500)
    audit.record_many(batch.people, "orgs.person.created", action=Action.CREATE)
    memberships = factory.memberships()
    Membership.objects.bulk_create(memberships, batch_size=500)
    audit.record_many(memberships, "orgs.membership.created", action=Action.CREATE)
    PersonPrivate.objects.bulk_create(batch.privates, batch_size=500)
    audit.record_many(batch.privates, "orgs.person_private.created", action=Action.CREATE)


def _context(
    admin: AbstractUser,
    province: Organization,
    committee: Organization,
    bloc: Organization,
    units: list[Unit],
    enterprises: list[Unit],
    rng: random.Random,
) -> DemoContext:
    """The organizations as they are after the merger (moved units have new paths)."""
    fresh = Organization.objects.filter(path__startswith=province.path).in_bulk()

    def reread(unit: Unit) -> Unit:
        return Unit(unit.spec, fresh[unit.org.pk], [fresh[leaf.pk] for leaf in unit.leaves])

    people = Person.objects.filter(organization__path__startswith=province.path).order_by("pk")
    return DemoContext(
        admin=admin,
        province=fresh[province.pk],
        committee=fresh[committee.pk],
        enterprise_bloc=fresh[bloc.pk],
        merger_date=tree.MERGER_DATE,
        committee_units=tuple(reread(unit) for unit in units),
        enterprise_units=tuple(reread(unit) for unit in enterprises),
        people=tuple(people.select_related("organization")),
        rng=rng,
    )


def app_demo_loaders() -> list[tuple[str, Callable[[DemoContext], dict[str, int]]]]:
    """`load` of every project app's `demo` module, in INSTALLED_APPS order (this app's
    own demo is the package this module belongs to, and is not one of them)."""
    loaders = []
    for config in apps.get_app_configs():
        if not config.name.startswith(PROJECT_PACKAGE) or config.name == "lantoa.orgs":
            continue
        name = f"{config.name}.{DEMO_MODULE}"
        if importlib.util.find_spec(name) is None:
            continue
        load_app = getattr(importlib.import_module(name), "load", None)
        if callable(load_app):
            loaders.append((str(config.verbose_name), load_app))
    return loaders


def _demo_member(units: list[Unit]) -> Person:
    """The person behind the member account: an ordinary member of the Ban Dân vận."""
    cell = next(unit for unit in units if unit.spec.code == "BDV").leaves[0]
    return Person.objects.filter(organization=cell).order_by("id").last()


def _summary(
    province: Organization,
    committee: Organization,
    merged: int,
    demo: list[DemoAccount],
    app_counts: dict[str, dict[str, int]],
) -> Summary:
    subtree = Organization.objects.subtree_of(committee).filter(archived=False)
    base_kinds = [OrganizationKind.BASE_COMMITTEE, OrganizationKind.BASE_CELL]
    return Summary(
        organizations=Organization.objects.subtree_of(province).count(),
        base_organizations=subtree.filter(kind__in=base_kinds).count(),
        cells=subtree.filter(kind=OrganizationKind.CELL).count(),
        people=Person.objects.in_subtree(province).filter(archived=False).count(),
        with_private_data=PersonPrivate.objects.filter(
            person__organization__path__startswith=province.path
        ).count(),
        merged_units=merged,
        accounts=demo,
        apps=app_counts,
    )
