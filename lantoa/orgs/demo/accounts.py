"""Demo accounts: the system administrator and one account per role, same password."""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import AbstractUser

from lantoa.orgs import services
from lantoa.orgs.models import Organization, OrganizationKind, Person, Role

DEMO_PASSWORD = "LanToa-demo-2026"  # noqa: S105 — the published password of the demo
ADMIN_USERNAME = "admin"
MEMBER_USERNAME = "dangvien.1"
EMAIL_DOMAIN = "example.com"

# (username, role, code of the organization the role is granted on)
ROLE_ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("canbo.dcd", Role.COMMITTEE_STAFF, "DCD"),
    ("bithu.bdv", Role.ORGANIZATION_STAFF, "BDV"),
    ("hoidong.1", Role.COUNCIL_MEMBER, "DCD"),
    ("xem.dcd", Role.READ_ONLY, "DCD"),
)


# What each role does, for the command's output.
ROLE_DESCRIPTIONS: dict[str, str] = {
    Role.COMMITTEE_STAFF: "cán bộ cơ quan Đảng ủy",
    Role.ORGANIZATION_STAFF: "cán bộ tổ chức cơ sở đảng",
    Role.COUNCIL_MEMBER: "thành viên Hội đồng Thi đua – Khen thưởng",
    Role.READ_ONLY: "chỉ xem",
    Role.MEMBER: "đảng viên",
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    organization: str


def _user(username: str, password_hash: str, **fields: object) -> AbstractUser:
    user, _created = get_user_model().objects.get_or_create(
        username=username,
        defaults={"email": f"{username}@{EMAIL_DOMAIN}", "password": password_hash, **fields},
    )
    return user


def ensure_admin(password_hash: str) -> AbstractUser:
    """The demo's system administrator (an existing `admin` account is kept as it is)."""
    return _user(ADMIN_USERNAME, password_hash, is_staff=True, is_superuser=True)


def create_role_accounts(
    admin: AbstractUser, password_hash: str, member: Person
) -> list[DemoAccount]:
    """One account per role, granted on its organization; the member's linked to a person."""
    accounts = []
    for username, role, code in ROLE_ACCOUNTS:
        org = Organization.objects.get(code=code)
        accounts.append(_grant(admin, _user(username, password_hash), role, org))
    user = _user(
        MEMBER_USERNAME,
        password_hash,
        first_name=member.given_name,
        last_name=f"{member.family_name} {member.middle_name}".strip(),
    )
    member.account = user
    member.save(update_fields=["account"])
    accounts.append(_grant(admin, user, Role.MEMBER, member.organization))
    return accounts


def _grant(admin: AbstractUser, user: AbstractUser, role: str, org: Organization) -> DemoAccount:
    services.grant_role(by=admin, user=user, role=role, organization=org)
    return DemoAccount(user.username, ROLE_DESCRIPTIONS[role], _place(org))


def _place(org: Organization) -> str:
    """The organization's name, with its parent's for a cell ("Chi bộ Văn phòng" is common)."""
    if org.kind != OrganizationKind.CELL:
        return org.display_name
    return f"{org.display_name}, {Organization.objects.get_parent(org).display_name}"


def hash_demo_password() -> str:
    """Hashed once for every demo account: hashing is deliberately slow."""
    return make_password(DEMO_PASSWORD)
