"""factory_boy factories for the tree, people and accounts."""

import factory
from django.contrib.auth import get_user_model

from lantoa.orgs.models import Organization, OrganizationKind, Person, RoleGrant

PASSWORD = "mật-khẩu-thử-nghiệm-2026"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.vn")
    password = factory.django.Password(PASSWORD)


def make_org(parent: Organization | None = None, **fields) -> Organization:
    """Create an organization node (treebeard needs add_root/add_child, not a factory)."""
    n = Organization.objects.count() + 1
    defaults = {
        "code": f"ORG{n:04d}",
        "name": f"Chi bộ {n}",
        "kind": OrganizationKind.CELL if parent else OrganizationKind.BLOC_COMMITTEE,
    }
    defaults.update(fields)
    if parent is None:
        return Organization.objects.add_root(defaults)
    parent.refresh_from_db()
    return Organization.objects.add_child(parent, defaults)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    family_name = factory.Iterator(["Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh"])
    middle_name = factory.Iterator(["Văn", "Thị", "Minh", "Ngọc"])
    given_name = factory.Iterator(["An", "Bình", "Cường", "Dũng", "Hà", "Lan"])


def grant(user, role: str, org: Organization) -> RoleGrant:
    return RoleGrant.objects.create(user=user, role=role, organization=org)


class MemberFactory(PersonFactory):
    """A person with an open membership of their organization since 2015, as real ones have
    (figures of past years count members from the membership history)."""

    class Meta:
        skip_postgeneration_save = True

    @factory.post_generation
    def membership(self, create, extracted, **kwargs):
        if create and self.organization_id:
            from lantoa.orgs.models import Membership

            Membership.objects.create(
                person=self, organization=self.organization, start_date="2015-01-01"
            )
