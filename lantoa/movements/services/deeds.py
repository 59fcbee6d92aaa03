"""Good people, good deeds: who did what, when, recorded by staff of an organization.

The doer is exactly one of a person (someone the user may see) or a collective (an
organization the user may see). The deed is recorded in an organization — by default the
person's organization or the collective itself — which must be within the user's reach for
`Perm.RECORD_ACTIVITIES`; that organization decides who sees the deed.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.errors import ValidationError, require
from lantoa.core.text import nfc
from lantoa.movements.models import GoodDeed
from lantoa.orgs.models import Organization, Person
from lantoa.orgs.rules import Perm, can, can_view_person

__all__ = ["FIRST_YEAR", "create_deed", "delete_deed", "update_deed"]

FIRST_YEAR = 1930


def _check(
    by,
    *,
    person: Person | None,
    collective: Organization | None,
    organization: Organization | None,
    title: str,
    description: str,
    date: datetime.date | None,
    kept: GoodDeed | None = None,
) -> tuple[Organization | None, dict[str, str]]:
    """Where the deed is recorded, and the errors found (all of them at once).

    On a correction, the doer already recorded stays allowed even if no longer visible.
    """
    errors: dict[str, str] = {}
    if (person is None) == (collective is None):
        errors["person"] = _("Choose either a person or a collective as the doer, not both.")
    elif person is not None:
        known = kept is not None and kept.person_id == person.pk
        if not known and not can_view_person(by, person):
            errors["person"] = _("Choose the person among the people you may see.")
    else:
        known = kept is not None and kept.collective_id == collective.pk
        if not known and not can(by, Perm.VIEW_ORGS, collective):
            errors["collective"] = _("Choose the collective among the organizations you may see.")
    if organization is None and not errors:
        organization = person.organization if person is not None else collective
    if organization is None:
        if not errors:
            errors["organization"] = _("Choose the organization where the deed is recorded.")
    elif not can(by, Perm.RECORD_ACTIVITIES, organization):
        errors["organization"] = _(
            "You may not record good deeds in %(organization)s: choose where it is recorded."
        ) % {"organization": organization.name}
    elif organization.archived and (kept is None or kept.organization_id != organization.pk):
        errors["organization"] = _("This organization is archived.")
    if not title:
        errors["title"] = _("Enter the title.")
    if not description:
        errors["description"] = _("Say what they did.")
    if date is None:
        errors["date"] = _("Enter the date.")
    elif date > timezone.localdate():
        errors["date"] = _("The date cannot be in the future.")
    elif date.year < FIRST_YEAR:
        errors["date"] = _("Enter a date from %(first)s on.") % {"first": FIRST_YEAR}
    return organization, errors


@transaction.atomic
def create_deed(
    *,
    by,
    title: str,
    description: str,
    date: datetime.date | None,
    person: Person | None = None,
    collective: Organization | None = None,
    organization: Organization | None = None,
) -> GoodDeed:
    """Record a good deed of a person or of a collective."""
    require(can(by, Perm.RECORD_ACTIVITIES))
    title, description = nfc(title or ""), nfc(description or "")
    organization, errors = _check(
        by,
        person=person,
        collective=collective,
        organization=organization,
        title=title,
        description=description,
        date=date,
    )
    if errors:
        raise ValidationError(errors)
    return GoodDeed.objects.create(
        person=person,
        collective=collective,
        organization=organization,
        title=title,
        description=description,
        date=date,
        recorded_by=by if getattr(by, "is_authenticated", False) else None,
    )


@transaction.atomic
def update_deed(
    deed: GoodDeed,
    *,
    by,
    title: str,
    description: str,
    date: datetime.date | None,
    person: Person | None = None,
    collective: Organization | None = None,
    organization: Organization | None = None,
) -> GoodDeed:
    require(can(by, Perm.RECORD_ACTIVITIES, deed.organization))
    deed = GoodDeed.objects.select_for_update().get(pk=deed.pk)
    title, description = nfc(title or ""), nfc(description or "")
    organization, errors = _check(
        by,
        person=person,
        collective=collective,
        organization=organization,
        title=title,
        description=description,
        date=date,
        kept=deed,
    )
    if errors:
        raise ValidationError(errors)
    deed.person, deed.collective, deed.organization = person, collective, organization
    deed.title, deed.description, deed.date = title, description, date
    deed.save()
    return deed


@transaction.atomic
def delete_deed(deed: GoodDeed, *, by) -> None:
    """Delete a deed recorded by mistake; one put forward must be withdrawn first."""
    require(can(by, Perm.RECORD_ACTIVITIES, deed.organization))
    if deed.is_put_forward:
        raise ValidationError(
            _("It has been put forward for commendation: withdraw it before deleting it.")
        )
    deed.delete()
