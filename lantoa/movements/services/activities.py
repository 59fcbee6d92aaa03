"""What users do with the activity ledger: record, correct and delete activities, add and
remove their photos.

Every write checks the permission, validates everything (collecting the errors field by
field), then writes inside one transaction. Photos come already checked and re-encoded
(`lantoa.movements.photos.process_photo`); their files are written last and removed again
if the transaction fails, so a refused or failed input leaves nothing behind. Files of
deleted photos are removed once the deletion is committed.
"""

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from lantoa.core.errors import ValidationError, require
from lantoa.core.files import files_removed_on_error, remove_after_commit
from lantoa.core.text import nfc
from lantoa.movements.models import (
    Activity,
    ActivityPhoto,
    ActivityType,
    BeneficiaryCategory,
    Movement,
)
from lantoa.movements.photos import ProcessedPhoto
from lantoa.movements.queries.movements import movement_period_error, reaches
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, User, can

__all__ = [
    "FIRST_DATE",
    "MAX_MONEY",
    "MAX_PEOPLE",
    "MAX_PHOTOS",
    "add_photos",
    "delete_activity",
    "delete_photo",
    "record_activity",
    "update_activity",
]

FIRST_DATE = datetime.date(1930, 1, 1)  # the Party's founding: no activity is older
MAX_MONEY = 100_000_000_000  # 100 billion đồng for one activity: beyond, a typing mistake
MAX_PEOPLE = 1_000_000  # participants or beneficiaries of one activity
MAX_PHOTOS = 20  # photos of one activity
MAX_PARTNERS = 50

FIELDS = (
    "organization",
    "activity_type",
    "movement",
    "title",
    "date",
    "place",
    "description",
    "participants",
    "beneficiary_category",
    "beneficiaries",
    "quantity",
    "money",
)


def _figure(value: int) -> str:
    return number_format(value, force_grouping=True)


class _Errors:
    """Messages collected field by field, raised together."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


# --- checks -------------------------------------------------------------------------------


def _whole(value: Any) -> int | None:
    """The value as an int when it is a whole number, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, Decimal | float):
        try:
            return int(value) if value % 1 == 0 else None
        except (ArithmeticError, ValueError):  # infinities, NaN
            return None
    return None


def _check_count(errors: _Errors, field: str, value: Any, label: str) -> None:
    number = _whole(value)
    if number is None:
        errors.add(field, _("Enter a whole number."))
    elif number < 0:
        errors.add(field, _("The number of %(what)s cannot be negative.") % {"what": label})
    elif number > MAX_PEOPLE:
        errors.add(
            field,
            _("At most %(limit)s %(what)s for one activity.")
            % {"limit": _figure(MAX_PEOPLE), "what": label},
        )


def _check_quantity(errors: _Errors, activity_type: ActivityType, value: Any) -> None:
    number = _whole(value)
    if number is None:
        errors.add("quantity", _("Enter a whole number."))
    elif number < 0:
        errors.add("quantity", _("The quantity cannot be negative."))
    elif number > activity_type.max_quantity:
        errors.add(
            "quantity",
            _(
                "%(quantity)s %(unit)s is too many for one activity of this type: at most "
                "%(limit)s %(unit)s."
            )
            % {
                "quantity": _figure(number),
                "unit": activity_type.unit,
                "limit": _figure(activity_type.max_quantity),
            },
        )


def _check_money(errors: _Errors, value: Any) -> None:
    number = _whole(value)
    if number is None:
        errors.add("money", _("Enter the value in whole đồng."))
    elif number < 0:
        errors.add("money", _("The value cannot be negative."))
    elif number > MAX_MONEY:
        errors.add(
            "money",
            _("At most %(limit)s đồng for one activity.") % {"limit": _figure(MAX_MONEY)},
        )


def _check_date(errors: _Errors, day: datetime.date | None) -> None:
    if not isinstance(day, datetime.date):
        errors.add("date", _("Enter the date."))
    elif day > timezone.localdate():
        errors.add("date", _("The date cannot be in the future."))
    elif day < FIRST_DATE:
        errors.add("date", _("The date cannot be before 1930."))


def _check_movement(errors: _Errors, activity: Activity) -> None:
    movement = activity.movement
    if movement is None:
        return
    if not reaches(movement, activity.organization):
        errors.add("movement", _("This movement was not sent down to this organization."))
    elif isinstance(activity.date, datetime.date):
        problem = movement_period_error(movement, activity.date)
        if problem:
            errors.add("date", problem)


def _check_organization(
    errors: _Errors, activity: Activity, changed: bool, organization: Organization
) -> None:
    if changed and organization.archived:
        errors.add("organization", _("This organization is archived."))
    elif isinstance(activity.date, datetime.date) and not organization.is_active_on(activity.date):
        errors.add("organization", _("The organization did not exist on that date."))


def _check_partners(
    errors: _Errors, by: User, organization: Organization, partners: Sequence[Organization]
) -> None:
    if len(partners) > MAX_PARTNERS:
        errors.add(
            "partners", _("At most %(limit)s partner organizations.") % {"limit": MAX_PARTNERS}
        )
    for partner in partners:
        if partner.pk == organization.pk:
            errors.add(
                "partners", _("The organization that held the activity is not its own partner.")
            )
        elif not can(by, Perm.VIEW_ORGS, partner):
            errors.add("partners", _("Choose partner organizations from your list."))
            return


def _check(
    by: User,
    activity: Activity,
    partners: Sequence[Organization] | None,
    *,
    new_type: bool,
    new_org: bool,
) -> _Errors:
    errors = _Errors()
    activity_type = activity.activity_type
    if new_type and not activity_type.active:
        errors.add("activity_type", _("This type of activity is no longer in use."))
    if not (activity.title or "").strip():
        errors.add("title", _("Enter the title of the activity."))
    _check_date(errors, activity.date)
    _check_organization(errors, activity, new_org, activity.organization)
    _check_movement(errors, activity)
    _check_quantity(errors, activity_type, activity.quantity)
    _check_money(errors, activity.money)
    _check_count(errors, "participants", activity.participants, _("participants"))
    _check_count(errors, "beneficiaries", activity.beneficiaries, _("beneficiaries"))
    beneficiaries = _whole(activity.beneficiaries)
    if beneficiaries and beneficiaries > 0 and activity.beneficiary_category_id is None:
        errors.add("beneficiary_category", _("Choose the category of the beneficiaries."))
    if partners is not None:
        _check_partners(errors, by, activity.organization, partners)
    return errors


def _check_photo_count(errors: _Errors, existing: int, added: int) -> None:
    if existing + added > MAX_PHOTOS:
        errors.add(
            "photos",
            _("An activity has at most %(limit)s photos; it has %(existing)s already.")
            % {"limit": MAX_PHOTOS, "existing": existing}
            if existing
            else _("An activity has at most %(limit)s photos.") % {"limit": MAX_PHOTOS},
        )


def _check_photos(photos: Iterable[Any]) -> list[ProcessedPhoto]:
    photos = list(photos)
    if any(not isinstance(photo, ProcessedPhoto) for photo in photos):
        raise TypeError("photos must be checked with lantoa.movements.photos.process_photo")
    return photos


# --- files --------------------------------------------------------------------------------


def _store_photos(
    activity: Activity,
    photos: Sequence[ProcessedPhoto],
    by: User,
    written: list[tuple[Storage, str]],
) -> list[ActivityPhoto]:
    stored = []
    for processed in photos:
        photo = ActivityPhoto(
            activity=activity,
            format=processed.format,
            width=processed.width,
            height=processed.height,
            size=processed.size,
            original_name=nfc(processed.original_name)[:255],
            uploaded_by=by,
        )
        photo.image.save("photo", ContentFile(processed.content), save=False)
        written.append((photo.image.storage, photo.image.name))
        photo.thumbnail.save("thumbnail", ContentFile(processed.thumbnail), save=False)
        written.append((photo.thumbnail.storage, photo.thumbnail.name))
        photo.save()
        stored.append(photo)
    return stored


def _remove_files_after_commit(photos: Iterable[ActivityPhoto]) -> None:
    remove_after_commit(
        (f.storage, f.name) for photo in photos for f in (photo.image, photo.thumbnail)
    )


# --- activities ---------------------------------------------------------------------------


def record_activity(
    *,
    by: User,
    organization: Organization,
    activity_type: ActivityType,
    movement: Movement | None = None,
    title: str,
    date: datetime.date,
    place: str = "",
    description: str = "",
    participants: int = 0,
    beneficiary_category: BeneficiaryCategory | None = None,
    beneficiaries: int = 0,
    quantity: int = 0,
    money: int = 0,
    partners: Sequence[Organization] = (),
    photos: Sequence[ProcessedPhoto] = (),
) -> Activity:
    """Record what an organization did, with its figures, partners and photos: all of it,
    or nothing if anything is refused."""
    require(can(by, Perm.RECORD_ACTIVITIES, organization))
    photos = _check_photos(photos)
    partners = list(partners)
    activity = Activity(
        organization=organization,
        activity_type=activity_type,
        movement=movement,
        title=nfc(title or "").strip(),
        date=date,
        place=nfc(place or "").strip(),
        description=nfc(description or "").strip(),
        participants=participants,
        beneficiary_category=beneficiary_category,
        beneficiaries=beneficiaries,
        quantity=quantity,
        money=money,
        recorded_by=by,
    )
    errors = _check(by, activity, partners, new_type=True, new_org=True)
    _check_photo_count(errors, 0, len(photos))
    errors.raise_any()
    with files_removed_on_error() as written, transaction.atomic():
        activity.save()
        if partners:
            activity.partners.set(partners)
        _store_photos(activity, photos, by, written)
    return activity


def update_activity(
    activity: Activity,
    *,
    by: User,
    partners: Sequence[Organization] | None = None,
    **fields: Any,
) -> Activity:
    """Correct an activity; moving it to another organization needs the right on both.

    Returns the activity as saved (the instance passed is left as it was).
    """
    require(can(by, Perm.RECORD_ACTIVITIES, activity.organization))
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {', '.join(sorted(unknown))}")
    related = ("organization", "activity_type", "movement__organization")
    activity = Activity.objects.select_related(*related).get(pk=activity.pk)
    organization = fields.get("organization", activity.organization)
    require(can(by, Perm.RECORD_ACTIVITIES, organization))
    new_org = organization.pk != activity.organization_id
    new_type = "activity_type" in fields and fields["activity_type"].pk != activity.activity_type_id
    for name in ("title", "place", "description"):
        if name in fields:
            fields[name] = nfc(fields[name] or "").strip()
    for name, value in fields.items():
        setattr(activity, name, value)
    partners = list(partners) if partners is not None else None
    errors = _check(by, activity, partners, new_type=new_type, new_org=new_org)
    errors.raise_any()
    with transaction.atomic():
        activity.save()
        if partners is not None:
            activity.partners.set(partners)
    return activity


@transaction.atomic
def delete_activity(activity: Activity, *, by: User) -> None:
    """Delete an activity recorded by mistake, with its photos (their files go once the
    deletion is committed). One put forward for commendation must be withdrawn first."""
    require(can(by, Perm.RECORD_ACTIVITIES, activity.organization))
    if activity.is_put_forward:
        raise ValidationError(
            _("This activity was put forward for commendation: withdraw it before deleting it.")
        )
    photos = list(activity.photos.all())
    for photo in photos:
        photo.delete()
    activity.delete()
    _remove_files_after_commit(photos)


# --- photos -------------------------------------------------------------------------------


def add_photos(
    activity: Activity, *, by: User, photos: Sequence[ProcessedPhoto]
) -> list[ActivityPhoto]:
    """Add checked photos to an activity, all of them or none."""
    require(can(by, Perm.RECORD_ACTIVITIES, activity.organization))
    photos = _check_photos(photos)
    errors = _Errors()
    if not photos:
        errors.add("photos", _("Choose at least one photo."))
    with files_removed_on_error() as written, transaction.atomic():
        # Counted inside the transaction, so that two uploads at once cannot pass 20.
        locked = Activity.objects.select_for_update().get(pk=activity.pk)
        _check_photo_count(errors, locked.photos.count(), len(photos))
        errors.raise_any()
        return _store_photos(locked, photos, by, written)


@transaction.atomic
def delete_photo(photo: ActivityPhoto, *, by: User) -> None:
    require(can(by, Perm.RECORD_ACTIVITIES, photo.activity.organization))
    photo.delete()
    _remove_files_after_commit([photo])
