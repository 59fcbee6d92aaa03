"""What users do with organizations and people: check, validate, write, audit — atomically."""

import datetime
from typing import Any

from django.contrib.admin.utils import NestedObjects
from django.db import router, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core import audit
from lantoa.core.errors import ValidationError, require
from lantoa.orgs.models import (
    Membership,
    Organization,
    OrganizationMove,
    Person,
    PersonPrivate,
    RoleGrant,
)
from lantoa.orgs.rules import Perm, can


def _today() -> datetime.date:
    return timezone.localdate()


def _locked(org: Organization) -> Organization:
    return Organization.objects.select_for_update().get(pk=org.pk)


# --- organizations -----------------------------------------------------------------------


@transaction.atomic
def create_organization(*, by, parent: Organization | None, **fields: Any) -> Organization:
    if parent is None:
        require(by.is_superuser)
        return Organization.objects.add_root(fields)
    require(can(by, Perm.MANAGE_ORGS, parent))
    if parent.archived:
        raise ValidationError({"parent": _("An archived organization cannot receive new units.")})
    return Organization.objects.add_child(_locked(parent), fields)


@transaction.atomic
def update_organization(org: Organization, *, by, **fields: Any) -> Organization:
    """Rename or correct an organization's attributes (the tree position is `move`'s job)."""
    require(can(by, Perm.MANAGE_ORGS, org))
    for name, value in fields.items():
        setattr(org, name, value)
    org.save(update_fields=list(fields))
    return org


def _reattach(
    org: Organization, new_parent: Organization, on: datetime.date, *, keep_history: bool = True
) -> None:
    """Move a node (and its subtree) under a new parent; the move is kept for history."""
    old_parent = Organization.objects.get_parent(org)
    Organization.objects.move(org, new_parent, "last-child")
    if keep_history:
        OrganizationMove.objects.create(
            organization=org, old_parent=old_parent, new_parent=new_parent, moved_on=on
        )


@transaction.atomic
def move_organization(
    org: Organization, new_parent: Organization, *, by, on: datetime.date | None = None
) -> Organization:
    require(can(by, Perm.MANAGE_ORGS, org) and can(by, Perm.MANAGE_ORGS, new_parent))
    org = _locked(org)
    new_parent = _locked(new_parent)
    if new_parent.pk == org.pk or new_parent.path.startswith(org.path):
        raise ValidationError(
            {"parent": _("An organization cannot be moved under itself or its own sub-units.")}
        )
    if new_parent.archived:
        raise ValidationError({"parent": _("An archived organization cannot receive new units.")})
    old_parent = Organization.objects.get_parent(org)
    _reattach(org, new_parent, on or _today())
    org.refresh_from_db()
    audit.record(
        org,
        "orgs.organization.moved",
        changes={"parent": [str(old_parent) if old_parent else "", str(new_parent)]},
    )
    return org


def _active_children(org: Organization):
    return Organization.objects.filter(
        path__startswith=org.path, depth=org.depth + 1, archived=False
    )


@transaction.atomic
def archive_organization(org: Organization, *, by, on: datetime.date | None = None) -> Organization:
    require(can(by, Perm.MANAGE_ORGS, org))
    on = on or _today()
    if _active_children(org).exists():
        raise ValidationError(_("Archive or move its sub-units first."))
    if Person.objects.filter(organization=org, archived=False).exists():
        raise ValidationError(_("Transfer its members to another organization first."))
    org.archived = True
    org.valid_to = on
    org.save(update_fields=["archived", "valid_to"])
    return org


def _records_referring_to(obj, allowed: tuple[type, ...] = ()) -> list[str]:
    """Kinds of records that would be deleted with, or that protect, an object.

    Any app's records count (commitments, ratings, nominations...), not only this app's.
    """
    collector = NestedObjects(using=router.db_for_write(type(obj)))
    collector.collect([obj])
    kinds = {
        str(model._meta.verbose_name_plural)
        for model, instances in collector.model_objs.items()
        if instances and model is not type(obj) and not issubclass(model, allowed)
    }
    kinds |= {str(type(record)._meta.verbose_name_plural) for record in collector.protected}
    return sorted(kinds)


def records_blocking_delete(org: Organization) -> list[str]:
    """Why an organization cannot be deleted: the records that still refer to it."""
    reasons = []
    if Organization.objects.filter(path__startswith=org.path).exclude(pk=org.pk).exists():
        reasons.append(_("it has sub-units"))
    if Organization.objects.filter(merged_into=org).exists():
        reasons.append(_("other organizations were merged into it"))
    records = _records_referring_to(org)
    if records:
        reasons.append(_("records refer to it (%(kinds)s)") % {"kinds": ", ".join(records)})
    return reasons


@transaction.atomic
def delete_organization(org: Organization, *, by) -> None:
    require(can(by, Perm.MANAGE_ORGS, org))
    reasons = records_blocking_delete(org)
    if reasons:
        raise ValidationError(
            _("This organization cannot be deleted because %(reasons)s. Archive it instead.")
            % {"reasons": ", ".join(reasons)}
        )
    org.delete()


@transaction.atomic
def merge_organizations(
    source: Organization, target: Organization, *, by, on: datetime.date
) -> Organization:
    """Merge `source` into `target` on a date.

    Members are transferred (their history kept), active sub-units move under the target,
    and the source is archived as a child of the target: figures dated before the merge
    still report under the old name and roll up under the new one.
    """
    require(can(by, Perm.MANAGE_ORGS, source) and can(by, Perm.MANAGE_ORGS, target))
    source, target = _locked(source), _locked(target)
    if source.pk == target.pk:
        raise ValidationError({"target": _("An organization cannot be merged into itself.")})
    if target.path.startswith(source.path):
        raise ValidationError(
            {"target": _("An organization cannot be merged into one of its own sub-units.")}
        )
    if source.archived or target.archived:
        raise ValidationError({"target": _("Archived organizations cannot be merged.")})
    for child in list(_active_children(source)):
        _reattach(child, target, on)
        target.refresh_from_db()
    source.refresh_from_db()
    people = list(Person.objects.filter(organization=source, archived=False))
    for person in people:
        _transfer(person, source, target, on, note=_("Merged into %(name)s") % {"name": target})
    source.archived = True
    source.valid_to = on - datetime.timedelta(days=1)
    source.merged_into = target
    source.save(update_fields=["archived", "valid_to", "merged_into"])
    # The merged organization rolls up under the target for every period: not a history move.
    _reattach(source, target, on, keep_history=False)
    source.refresh_from_db()
    audit.record(
        source,
        "orgs.organization.merged",
        changes={"merged_into": ["", str(target)], "date": ["", on.isoformat()]},
    )
    return target


# --- people ------------------------------------------------------------------------------


def _check_person_dates(person: Person) -> None:
    errors = {}
    if person.code and Person.objects.filter(code=person.code).exclude(pk=person.pk).exists():
        errors["code"] = _("Another person already has this code.")
    today = _today()
    if person.birth_date and not (datetime.date(1900, 1, 1) <= person.birth_date <= today):
        errors["birth_date"] = _("Enter a date of birth between 01/01/1900 and today.")
    if person.party_joined_on and person.party_joined_on > today:
        errors["party_joined_on"] = _("The date of joining cannot be in the future.")
    if person.birth_date and person.party_joined_on and person.party_joined_on <= person.birth_date:
        errors["party_joined_on"] = _("The date of joining must be after the date of birth.")
    if (
        person.party_joined_on
        and person.party_official_on
        and person.party_official_on < person.party_joined_on
    ):
        errors["party_official_on"] = _(
            "The date of full membership cannot be before the date of joining."
        )
    if errors:
        raise ValidationError(errors)


def _save_private(person: Person, private: dict[str, str] | None) -> None:
    if private is None:
        return
    record = PersonPrivate.objects.filter(person=person).first()
    if record is None:
        PersonPrivate.objects.create(person=person, **private)
        return
    changed = [name for name, value in private.items() if getattr(record, name) != value]
    for name in changed:
        setattr(record, name, private[name])
    if changed:
        record.save(update_fields=changed)


@transaction.atomic
def create_person(
    *,
    by,
    organization: Organization,
    private: dict[str, str] | None = None,
    joined_on: datetime.date | None = None,
    **fields: Any,
) -> Person:
    require(can(by, Perm.MANAGE_PEOPLE, organization))
    if organization.archived:
        raise ValidationError({"organization": _("This organization is archived.")})
    person = Person(organization=organization, **fields)
    _check_person_dates(person)
    person.save()
    Membership.objects.create(
        person=person, organization=organization, start_date=joined_on or _today()
    )
    _save_private(person, private)
    return person


@transaction.atomic
def update_person(
    person: Person, *, by, private: dict[str, str] | None = None, **fields: Any
) -> Person:
    require(person.organization is not None and can(by, Perm.MANAGE_PEOPLE, person.organization))
    for name, value in fields.items():
        setattr(person, name, value)
    _check_person_dates(person)
    person.save(update_fields=list(fields))
    if private is not None:
        require(can(by, Perm.VIEW_PRIVATE, person.organization))
        _save_private(person, private)
    return person


def _transfer(
    person: Person, source: Organization, target: Organization, on: datetime.date, note: str = ""
) -> None:
    current = (
        Membership.objects.filter(person=person, organization=source, end_date__isnull=True)
        .order_by("-start_date")
        .first()
    )
    if current is not None:
        if on <= current.start_date:
            raise ValidationError(
                {"date": _("The transfer date must be after the current membership began.")}
            )
        current.end_date = on - datetime.timedelta(days=1)
        current.save(update_fields=["end_date"])
    Membership.objects.create(person=person, organization=target, start_date=on, note=note)
    person.organization = target
    person.save(update_fields=["organization"])


@transaction.atomic
def transfer_person(
    person: Person, target: Organization, *, by, on: datetime.date, note: str = ""
) -> Person:
    """Move a person to another organization; the old membership is closed, not rewritten."""
    source = person.organization
    require(source is not None and can(by, Perm.MANAGE_PEOPLE, source))
    require(can(by, Perm.MANAGE_PEOPLE, target))
    if target.archived:
        raise ValidationError({"target": _("This organization is archived.")})
    if source.pk == target.pk:
        raise ValidationError({"target": _("The person is already in this organization.")})
    _transfer(person, source, target, on, note)
    return person


def records_blocking_person_delete(person: Person) -> list[str]:
    reasons = []
    if person.memberships.filter(~Q(organization=person.organization)).exists():
        reasons.append(_("it has a membership history"))
    if person.account_id:
        reasons.append(_("it is linked to an account"))
    records = _records_referring_to(person, allowed=(PersonPrivate, Membership))
    if records:
        reasons.append(_("records refer to it (%(kinds)s)") % {"kinds": ", ".join(records)})
    return reasons


@transaction.atomic
def delete_person(person: Person, *, by) -> None:
    """Delete a person entered by mistake; one with records must be archived instead."""
    require(person.organization is not None and can(by, Perm.MANAGE_PEOPLE, person.organization))
    reasons = records_blocking_person_delete(person)
    if reasons:
        raise ValidationError(
            _("This person cannot be deleted because %(reasons)s. Archive the record instead.")
            % {"reasons": ", ".join(reasons)}
        )
    person.delete()


@transaction.atomic
def archive_person(person: Person, *, by, on: datetime.date | None = None) -> Person:
    require(person.organization is not None and can(by, Perm.MANAGE_PEOPLE, person.organization))
    on = on or _today()
    Membership.objects.filter(person=person, end_date__isnull=True).update(end_date=on)
    audit.record_many(
        Membership.objects.filter(person=person, end_date=on),
        "orgs.membership.closed",
        changes={"end_date": ["", on.isoformat()]},
    )
    person.archived = True
    person.save(update_fields=["archived"])
    return person


def reveal_private(person: Person, *, by) -> PersonPrivate:
    """Private data for a user allowed to see it; every viewing is recorded."""
    require(person.organization is not None and can(by, Perm.VIEW_PRIVATE, person.organization))
    record, _created = PersonPrivate.objects.get_or_create(person=person)
    audit.record_access(record, "orgs.person.private_viewed", actor=by)
    return record


@transaction.atomic
def grant_role(*, by, user, role: str, organization: Organization) -> RoleGrant:
    require(can(by, Perm.MANAGE_ACCOUNTS, organization))
    grant, _created = RoleGrant.objects.get_or_create(
        user=user, role=role, organization=organization
    )
    return grant
