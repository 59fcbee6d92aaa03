"""The Cà Mau demo (`manage.py load_demo`): loaded once per module, checked against the case.

Only this app's part is loaded here (the other apps' demos are switched off, which also
shows that the orgs demo stands on its own); the whole command, with the direction and
registration records of the programs app, is checked in tests/programs/test_demo.py.
"""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import transaction
from django.db.models import F
from django.test import override_settings

from lantoa.core.models import AuditEntry
from lantoa.orgs.demo import loader
from lantoa.orgs.demo.tree import BLOC_STAFF_POSITIONS, ENTERPRISE_UNITS
from lantoa.orgs.models import (
    Membership,
    Organization,
    OrganizationKind,
    Person,
    PersonPrivate,
    Role,
    RoleGrant,
)
from lantoa.orgs.queries import members_on

NAMED_UNITS = (
    "Ban Dân vận Tỉnh ủy Cà Mau",
    "Trường Cao đẳng Y tế Cà Mau",
    "Công ty Điện lực Cà Mau",
    "Viễn thông Cà Mau",
)
MODELS = (Organization, Person, Membership, PersonPrivate, RoleGrant, AuditEntry)
# the real finder: `demo_output` below patches the module's attribute while its tests run
APP_DEMO_LOADERS = loader.app_demo_loaders


FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def demo_output(django_db_setup, django_db_blocker):
    """Load the orgs demo once for the module, inside a transaction rolled back at the end."""
    with (
        django_db_blocker.unblock(),
        override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        mock.patch.object(loader, "app_demo_loaders", return_value=[]),
        transaction.atomic(),
    ):
        out = StringIO()
        call_command("load_demo", stdout=out)
        yield out.getvalue()
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_output, db) -> str:
    return demo_output


def _counts() -> dict[str, int]:
    counts = {model.__name__: model.objects.count() for model in MODELS}
    counts["User"] = get_user_model().objects.count()
    return counts


def _org(code: str) -> Organization:
    return Organization.objects.get(code=code)


def _parent(org: Organization) -> Organization:
    return Organization.objects.get_parent(org)


def _children(org: Organization):
    return Organization.objects.get_children(org)


def test_the_command_loads_the_demo_and_prints_a_summary(demo):
    assert "Số đảng viên" in demo
    assert "admin / LanToa-demo-2026" in demo
    assert 2500 <= Person.objects.count() <= 3500
    assert 30 <= Organization.objects.filter(kind__startswith="base_").count() <= 40


def test_a_second_run_creates_nothing(demo):
    before = _counts()
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "đã được nạp" in out.getvalue()
    assert _counts() == before


def test_the_named_units_sit_under_the_committee(demo):
    committee = _org("DCD")
    assert committee.kind == OrganizationKind.BLOC_COMMITTEE
    assert _org("TU-CM").depth == 1 and _parent(committee).code == "TU-CM"
    for host in NAMED_UNITS:
        unit = Organization.objects.get(host_name=host)
        assert unit.path.startswith(committee.path) and unit.depth == committee.depth + 1
        assert not unit.archived


def test_base_committees_have_cells_and_base_cells_none(demo):
    for base in Organization.objects.filter(kind=OrganizationKind.BASE_COMMITTEE):
        assert 2 <= _children(base).filter(kind=OrganizationKind.CELL).count() <= 5
    for base in Organization.objects.filter(kind=OrganizationKind.BASE_CELL):
        assert base.numchild == 0


def test_the_enterprise_bloc_was_merged_into_the_committee(demo):
    committee, bloc = _org("DCD"), _org("KDN")
    assert bloc.archived and bloc.merged_into_id == committee.pk
    assert bloc.valid_to == datetime.date(2019, 3, 31)
    for code in ("PCCM", "VNPT"):
        unit = _org(code)
        assert _parent(unit).pk == committee.pk
        assert unit.host_kind == "enterprise"
    assert not _children(bloc).filter(archived=False).exists()


def test_membership_figures_follow_the_merger(demo):
    committee, bloc = _org("DCD"), _org("KDN")
    before, after = datetime.date(2018, 1, 1), datetime.date(2020, 1, 1)
    assert members_on(bloc, before) > 0
    assert members_on(bloc, after) == 0
    # Before the merger the bloc counts its enterprises' members, not only its own staff.
    assert members_on(bloc, before) > len(BLOC_STAFF_POSITIONS)
    # The committee's figure for 2018 counts its own units and the merged bloc.
    moved = {spec.code for spec in ENTERPRISE_UNITS} | {bloc.code}
    own = [unit for unit in _children(committee) if unit.code not in moved]
    own_members = sum(members_on(unit, before) for unit in own)
    assert members_on(committee, before) == own_members + members_on(bloc, before)


def test_every_person_has_an_audit_entry(demo):
    person_type = ContentType.objects.get_for_model(Person)
    audited = set(
        AuditEntry.objects.filter(content_type=person_type).values_list("object_pk", flat=True)
    )
    assert {str(pk) for pk in Person.objects.values_list("pk", flat=True)} <= audited


def test_people_look_real_and_a_share_has_private_data(demo):
    people = Person.objects.all()
    total = people.count()
    assert people.filter(sort_key=b"").count() == 0
    assert people.filter(search_key="").count() == 0
    assert not people.filter(party_official_on__lt=F("party_joined_on")).exists()
    private = PersonPrivate.objects.all()
    assert 0.25 * total <= private.count() <= 0.35 * total
    for record in private[:50]:
        assert len(record.citizen_id) == 12 and record.citizen_id.startswith("096")
        assert record.phone.startswith("09") and len(record.phone) == 10


def test_demo_accounts_hold_their_roles(demo):
    users = get_user_model().objects
    admin = users.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.check_password("LanToa-demo-2026")
    expected = {
        ("canbo.dcd", Role.COMMITTEE_STAFF, "DCD"),
        ("bithu.bdv", Role.ORGANIZATION_STAFF, "BDV"),
        ("hoidong.1", Role.COUNCIL_MEMBER, "DCD"),
        ("xem.dcd", Role.READ_ONLY, "DCD"),
    }
    grants = set(RoleGrant.objects.values_list("user__username", "role", "organization__code"))
    assert expected <= grants
    member = users.get(username="dangvien.1")
    assert Person.objects.get(account=member).organization.code.startswith("BDV")
    assert RoleGrant.objects.filter(user=member, role=Role.MEMBER).exists()


def test_the_other_apps_demos_are_found_without_importing_them_by_name():
    names = [load.__module__ for _label, load in APP_DEMO_LOADERS()]
    assert names == [
        "lantoa.programs.demo",
        "lantoa.movements.demo",
        "lantoa.awards.demo",
        "lantoa.public.demo",
    ]
