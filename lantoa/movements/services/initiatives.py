"""What organization and committee staff do with initiatives and applied projects: record
them with their authors, correct them, attach their write-ups, delete them.

Every write checks `Perm.RECORD_ACTIVITIES` on the initiative's organization and validates
everything before saving anything; auditlog records each change. Attachments are PDF or
DOCX files checked from their content; a file written to storage is removed again when the
write it belongs to fails, and a deleted file goes once the deletion is committed.
"""

import datetime
from collections.abc import Iterable, Sequence

from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.core.errors import ValidationError, require
from lantoa.core.files import files_removed_on_error, uploaded_file_name
from lantoa.core.text import nfc
from lantoa.movements.models import (
    Initiative,
    InitiativeAttachment,
    InitiativeAuthor,
    InitiativeKind,
    RecognitionLevel,
)
from lantoa.orgs.models import Organization, Person
from lantoa.orgs.rules import Perm, can, visible_people
from lantoa.programs.uploads import CheckedFile, check_document_file

__all__ = [
    "FIRST_YEAR",
    "MAX_ATTACHMENTS",
    "MAX_AUTHORS",
    "MAX_BENEFIT",
    "add_attachment",
    "create_initiative",
    "delete_attachment",
    "delete_initiative",
    "initiative_authors",
    "update_initiative",
]

FIRST_YEAR = 1930  # the Party's founding: no initiative recorded here is older
MAX_AUTHORS = 50
MAX_ATTACHMENTS = 20
MAX_BENEFIT = 10**15  # đồng; beyond this a figure is taken for a typing mistake


def _today() -> datetime.date:
    return timezone.localdate()


def initiative_authors(initiative: Initiative) -> list[Person]:
    """The authors in their order."""
    rows = InitiativeAuthor.objects.filter(initiative=initiative).select_related("person")
    return [row.person for row in rows.order_by("position", "id")]


# --- checks ------------------------------------------------------------------------------


def _check_fields(
    *,
    organization: Organization,
    kind: str,
    title: str,
    year: int | None,
    level: str,
    recognized_on: datetime.date | None,
    benefit: int | None,
) -> dict[str, str]:
    errors: dict[str, str] = {}
    today = _today()
    if organization.archived:
        errors["organization"] = _("This organization is archived.")
    if kind not in InitiativeKind.values:
        errors["kind"] = _("Choose whether it is an initiative or an applied project.")
    if not title:
        errors["title"] = _("Enter the title.")
    if year is None or not FIRST_YEAR <= year <= today.year:
        errors["year"] = _("Enter a year between %(first)s and this year.") % {"first": FIRST_YEAR}
    if level not in RecognitionLevel.values:
        errors["level"] = _("Choose the level at which it was recognized.")
    elif level == RecognitionLevel.NONE:
        if recognized_on is not None:
            errors["recognized_on"] = _(
                "Leave the date of recognition empty: it has not been recognized."
            )
    elif recognized_on is None:
        errors["recognized_on"] = _("Enter the date it was recognized.")
    elif recognized_on > today:
        errors["recognized_on"] = _("The date of recognition cannot be in the future.")
    elif year is not None and recognized_on.year < year:
        errors["recognized_on"] = _(
            "It cannot have been recognized before the year of the initiative (%(year)s)."
        ) % {"year": year}
    if benefit is None or benefit < 0:
        errors["benefit"] = _("The benefit cannot be negative.")
    elif benefit > MAX_BENEFIT:
        errors["benefit"] = _("This benefit is too large: check the figure.")
    return errors


def _check_authors(
    by, authors: Sequence[Person], kept: Iterable[int] = ()
) -> tuple[list[Person], str | None]:
    """The authors without repeats, in order, or the reason they are refused.

    Each must be someone the user may see; on a correction, the authors already recorded
    stay allowed (someone transferred away since is still the author).
    """
    unique: list[Person] = []
    seen: set[int] = set()
    for person in authors:
        if person.pk not in seen:
            seen.add(person.pk)
            unique.append(person)
    if not unique:
        return unique, _("Choose at least one author.")
    if len(unique) > MAX_AUTHORS:
        return unique, _("At most %(count)s authors.") % {"count": MAX_AUTHORS}
    unknown = seen - set(kept)
    if unknown:
        found = set(visible_people(by).filter(pk__in=unknown).values_list("pk", flat=True))
        if unknown - found:
            return unique, _("Choose the authors among the people you may see.")
    return unique, None


def _check_upload(upload: UploadedFile) -> CheckedFile:
    try:
        return check_document_file(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


# --- storing files -----------------------------------------------------------------------


def _store(
    initiative: Initiative,
    upload: UploadedFile,
    checked: CheckedFile,
    by,
    written: list[tuple[Storage, str]],
) -> InitiativeAttachment:
    attachment = InitiativeAttachment(
        initiative=initiative,
        file_type=checked.kind,
        file_name=uploaded_file_name(upload),
        size=checked.size,
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    attachment.file.save(attachment.file_name, upload, save=False)
    written.append((attachment.file.storage, attachment.file.name))
    attachment.save()
    return attachment


def _delete_files_on_commit(names: Iterable[tuple[Storage, str]]) -> None:
    names = [(storage, name) for storage, name in names if name]
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


# --- writing -----------------------------------------------------------------------------


def _set_authors(initiative: Initiative, authors: Sequence[Person]) -> None:
    """Record the authors in their order, touching only the rows that change (each row's
    change is audited)."""
    current = {row.person_id: row for row in InitiativeAuthor.objects.filter(initiative=initiative)}
    wanted = {person.pk: position for position, person in enumerate(authors)}
    for person_id, row in current.items():
        if person_id not in wanted:
            row.delete()
        elif row.position != wanted[person_id]:
            row.position = wanted[person_id]
            row.save(update_fields=["position"])
    for position, person in enumerate(authors):
        if person.pk not in current:
            InitiativeAuthor.objects.create(initiative=initiative, person=person, position=position)


@transaction.atomic
def create_initiative(
    *,
    by,
    organization: Organization,
    title: str,
    year: int | None,
    authors: Sequence[Person],
    kind: str = InitiativeKind.INITIATIVE,
    field: str = "",
    level: str = RecognitionLevel.NONE,
    recognized_on: datetime.date | None = None,
    effect: str = "",
    benefit: int | None = 0,
    attachments: Sequence[UploadedFile] = (),
) -> Initiative:
    """Record an initiative or applied project with its authors (in order) and files."""
    require(can(by, Perm.RECORD_ACTIVITIES, organization))
    title, field, effect = nfc(title or ""), nfc(field or ""), nfc(effect or "")
    errors = _check_fields(
        organization=organization,
        kind=kind,
        title=title,
        year=year,
        level=level,
        recognized_on=recognized_on,
        benefit=benefit,
    )
    authors, problem = _check_authors(by, authors)
    if problem:
        errors["authors"] = problem
    checked = []
    if len(attachments) > MAX_ATTACHMENTS:
        errors["file"] = _("At most %(count)s files.") % {"count": MAX_ATTACHMENTS}
    else:
        try:
            checked = [_check_upload(upload) for upload in attachments]
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    with files_removed_on_error() as written:
        initiative = Initiative.objects.create(
            organization=organization,
            kind=kind,
            title=title,
            year=year,
            field=field,
            level=level,
            recognized_on=recognized_on,
            effect=effect,
            benefit=benefit,
            recorded_by=by if getattr(by, "is_authenticated", False) else None,
        )
        _set_authors(initiative, authors)
        for upload, check in zip(attachments, checked, strict=True):
            _store(initiative, upload, check, by, written)
    return initiative


@transaction.atomic
def update_initiative(
    initiative: Initiative,
    *,
    by,
    organization: Organization,
    title: str,
    year: int | None,
    authors: Sequence[Person],
    kind: str,
    field: str = "",
    level: str = RecognitionLevel.NONE,
    recognized_on: datetime.date | None = None,
    effect: str = "",
    benefit: int | None = 0,
) -> Initiative:
    """Correct an initiative; moving it to another organization needs the right on both."""
    require(can(by, Perm.RECORD_ACTIVITIES, initiative.organization))
    require(can(by, Perm.RECORD_ACTIVITIES, organization))
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    title, field, effect = nfc(title or ""), nfc(field or ""), nfc(effect or "")
    errors = _check_fields(
        organization=organization,
        kind=kind,
        title=title,
        year=year,
        level=level,
        recognized_on=recognized_on,
        benefit=benefit,
    )
    if organization.archived and organization.pk == initiative.organization_id:
        errors.pop("organization")  # it stays where it was recorded
    kept = InitiativeAuthor.objects.filter(initiative=initiative).values_list(
        "person_id", flat=True
    )
    authors, problem = _check_authors(by, authors, kept=list(kept))
    if problem:
        errors["authors"] = problem
    if errors:
        raise ValidationError(errors)
    initiative.organization = organization
    initiative.kind, initiative.title, initiative.year = kind, title, year
    initiative.field, initiative.level, initiative.recognized_on = field, level, recognized_on
    initiative.effect, initiative.benefit = effect, benefit
    initiative.save()
    _set_authors(initiative, authors)
    return initiative


@transaction.atomic
def delete_initiative(initiative: Initiative, *, by) -> None:
    """Delete an initiative recorded by mistake, with its files (once that is committed).
    One put forward for commendation must be withdrawn first."""
    require(can(by, Perm.RECORD_ACTIVITIES, initiative.organization))
    if initiative.is_put_forward:
        raise ValidationError(
            _("It has been put forward for commendation: withdraw it before deleting it.")
        )
    files = [(a.file.storage, a.file.name) for a in initiative.attachments.all()]
    initiative.delete()  # its authors and attachments too, each deletion audited
    _delete_files_on_commit(files)


@transaction.atomic
def add_attachment(initiative: Initiative, *, by, file: UploadedFile) -> InitiativeAttachment:
    """Attach a PDF or DOCX (its type read from the content) of at most 20 MB."""
    require(can(by, Perm.RECORD_ACTIVITIES, initiative.organization))
    initiative = Initiative.objects.select_for_update().get(pk=initiative.pk)
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    if initiative.attachments.count() >= MAX_ATTACHMENTS:
        raise ValidationError({"file": _("At most %(count)s files.") % {"count": MAX_ATTACHMENTS}})
    checked = _check_upload(file)
    with files_removed_on_error() as written:
        return _store(initiative, file, checked, by, written)


@transaction.atomic
def delete_attachment(attachment: InitiativeAttachment, *, by) -> None:
    require(can(by, Perm.RECORD_ACTIVITIES, attachment.initiative.organization))
    files = [(attachment.file.storage, attachment.file.name)]
    attachment.delete()
    _delete_files_on_commit(files)
