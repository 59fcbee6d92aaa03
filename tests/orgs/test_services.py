"""What users do with the tree and people, through the services (permission, rules, audit)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lantoa.core.models import AuditEntry
from lantoa.orgs import services
from lantoa.orgs.models import Membership, Organization, Person
from lantoa.orgs.queries import members_on
from tests.factories import PersonFactory

D = datetime.date


def person_in(org, **fields):
    person = PersonFactory(organization=org, **fields)
    Membership.objects.create(person=person, organization=org, start_date=D(2015, 1, 1))
    return person


def test_subtree_is_one_query_at_any_depth(tree, django_assert_num_queries):
    deep = tree.own_cell
    for level in range(6):
        deep = services.create_organization(
            by=_admin(), parent=deep, code=f"DEEP{level}", name=f"Tổ {level}", kind="cell"
        )
    with django_assert_num_queries(1):
        codes = set(Organization.objects.subtree_of(tree.own).values_list("code", flat=True))
    assert {"BDV", "BDV-CB1", "DEEP5"} <= codes
    assert "VNPT" not in codes


def _admin():
    from tests.factories import UserFactory

    return UserFactory(username="root-admin", is_superuser=True, is_staff=True)


def test_move_under_own_descendant_is_refused(tree, committee_staff):
    with pytest.raises(ValidationError) as error:
        services.move_organization(tree.own, tree.own_cell, by=committee_staff)
    assert "parent" in error.value.error_dict
    tree.own.refresh_from_db()
    assert Organization.objects.get_parent(tree.own).pk == tree.root.pk


def test_move_changes_the_subtree_and_is_audited(tree, committee_staff):
    services.move_organization(tree.own_cell, tree.other, by=committee_staff)
    cell = Organization.objects.get(pk=tree.own_cell.pk)
    assert Organization.objects.get_parent(cell).pk == tree.other.pk
    assert (
        AuditEntry.objects.filter(verb="orgs.organization.moved", object_pk=str(cell.pk)).count()
        == 1
    )


def test_organization_staff_cannot_restructure_the_tree(tree, base_secretary):
    with pytest.raises(PermissionDenied):
        services.move_organization(tree.own_cell, tree.own, by=base_secretary)


def test_delete_with_records_is_refused_with_the_reason(tree, committee_staff):
    person_in(tree.own_cell)
    with pytest.raises(ValidationError) as error:
        services.delete_organization(tree.own_cell, by=committee_staff)
    assert str(Membership._meta.verbose_name_plural) in str(error.value)
    assert Organization.objects.filter(pk=tree.own_cell.pk).exists()


def test_delete_of_an_empty_leaf_works_and_is_audited(tree, committee_staff):
    pk = tree.own_cell.pk
    services.delete_organization(tree.own_cell, by=committee_staff)
    assert not Organization.objects.filter(pk=pk).exists()
    assert AuditEntry.objects.filter(object_pk=str(pk), action=AuditEntry.Action.DELETE).exists()


def test_transfer_keeps_the_membership_history(tree, committee_staff):
    person = person_in(tree.own_cell)
    services.transfer_person(person, tree.other_cell, by=committee_staff, on=D(2020, 3, 1))
    history = list(
        person.memberships.order_by("start_date").values_list(
            "organization__code", "start_date", "end_date"
        )
    )
    assert history == [
        ("BDV-CB1", D(2015, 1, 1), D(2020, 2, 29)),
        ("VNPT-CB2", D(2020, 3, 1), None),
    ]
    assert Person.objects.get(pk=person.pk).organization_id == tree.other_cell.pk


def test_organization_staff_cannot_transfer_into_another_subtree(tree, base_secretary):
    person = person_in(tree.own_cell)
    with pytest.raises(PermissionDenied):
        services.transfer_person(person, tree.other_cell, by=base_secretary, on=D(2020, 3, 1))


def test_merge_reports_old_figures_under_old_names_and_rolls_up_under_the_new(
    tree, committee_staff
):
    for _ in range(3):
        person_in(tree.own_cell)
    for _ in range(2):
        person_in(tree.other_cell)
    before, after = D(2018, 6, 1), D(2019, 6, 1)
    assert (members_on(tree.own, before), members_on(tree.other, before)) == (3, 2)

    services.merge_organizations(tree.own, tree.other, by=committee_staff, on=D(2019, 4, 1))

    own = Organization.objects.get(pk=tree.own.pk)
    other = Organization.objects.get(pk=tree.other.pk)
    assert own.archived and own.merged_into_id == other.pk
    assert own.valid_to == D(2019, 3, 31)
    assert (
        Organization.objects.get_parent(own).pk == other.pk
    )  # the old name rolls up under the new one
    # before the merge: figures under the old names are unchanged...
    assert members_on(own, before) == 3
    # ...and roll up under the surviving organization
    assert members_on(other, before) == 5
    # after the merge: everyone is counted under the new name only
    assert members_on(own, after) == 0
    assert members_on(other, after) == 5
    assert members_on(tree.root, after) == 5
    assert AuditEntry.objects.filter(verb="orgs.organization.merged").count() == 1


def test_merge_of_direct_members_closes_and_reopens_their_membership(tree, committee_staff):
    direct = person_in(tree.own)
    services.merge_organizations(tree.own, tree.other, by=committee_staff, on=D(2019, 4, 1))
    codes = list(
        direct.memberships.order_by("start_date").values_list("organization__code", "end_date")
    )
    assert codes == [("BDV", D(2019, 3, 31)), ("VNPT", None)]
    own = Organization.objects.get(pk=tree.own.pk)
    assert members_on(own, D(2019, 1, 1)) == 1
    assert members_on(own, D(2019, 5, 1)) == 0


def test_merge_into_own_descendant_is_refused(tree, committee_staff):
    with pytest.raises(ValidationError):
        services.merge_organizations(tree.own, tree.own_cell, by=committee_staff, on=D(2019, 4, 1))
    assert not Organization.objects.get(pk=tree.own.pk).archived


def test_person_dates_are_checked(tree, committee_staff):
    with pytest.raises(ValidationError) as error:
        services.create_person(
            by=committee_staff,
            organization=tree.own_cell,
            family_name="Lê",
            given_name="Hà",
            birth_date=D(1990, 1, 1),
            party_joined_on=D(1985, 1, 1),
        )
    assert "party_joined_on" in error.value.error_dict
    assert not Person.objects.exists()


def test_creating_a_person_writes_an_audit_entry_with_the_organization(tree, base_secretary):
    person = services.create_person(
        by=base_secretary,
        organization=tree.own_cell,
        family_name="Võ",
        given_name="Ánh",
        private={"citizen_id": "096123456789", "phone": "0912345678", "email": "anh@example.vn"},
    )
    entry = AuditEntry.objects.get(object_pk=str(person.pk), content_type__model="person")
    assert entry.organization_path == tree.own_cell.path
    private_entry = AuditEntry.objects.get(content_type__model="personprivate")
    assert "096123456789" not in str(private_entry.changes)  # masked in the trail


def test_viewing_private_data_is_recorded(tree, base_secretary):
    person = person_in(tree.own_cell)
    services.reveal_private(person, by=base_secretary)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.ACCESS)
    assert entry.actor == base_secretary
    assert entry.verb == "orgs.person.private_viewed"


def test_private_data_is_refused_outside_the_grant(tree, base_secretary, council_member):
    person = person_in(tree.other_cell)
    with pytest.raises(PermissionDenied):
        services.reveal_private(person, by=base_secretary)
    with pytest.raises(PermissionDenied):
        services.reveal_private(person_in(tree.own_cell), by=council_member)


def test_person_with_history_cannot_be_deleted(tree, committee_staff):
    person = person_in(tree.own_cell)
    services.transfer_person(person, tree.other_cell, by=committee_staff, on=D(2020, 1, 1))
    with pytest.raises(ValidationError):
        services.delete_person(person, by=committee_staff)
    assert Person.objects.filter(pk=person.pk).exists()


def test_archiving_a_person_closes_the_membership_and_audits_it(tree, committee_staff):
    person = person_in(tree.own_cell)
    services.archive_person(person, by=committee_staff, on=D(2021, 1, 1))
    assert person.memberships.get().end_date == D(2021, 1, 1)
    assert AuditEntry.objects.filter(verb="orgs.membership.closed").count() == 1
