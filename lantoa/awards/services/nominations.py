"""Nominations: what an organization puts up in a round, and the rules of submitting it.

A nomination names exactly one nominee — a person the user may see, or a collective of the
round's subtree — the nominating organization (in the round's subtree, where the user may
nominate), a form of commendation in the catalog of the round's date that suits the
nominee, the achievements, the records it rests on and evidence files. It is written and
corrected while a draft or returned for changes; its status changes only through
`lantoa.awards.workflow.transition`, for which this module registers the checks of
submitting and resubmitting:

- nominations close on the round's date (a nomination returned for changes may come back
  until voting opens);
- a round that requires evidence refuses a nomination without a file;
- the nominating organization's quota of individuals or collectives is not exceeded;
- the same nominee already put up in the round (matched without diacritics, with the birth
  date for people) is flagged, not refused: `duplicate_of` names the earlier nomination.
"""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.files.storage import Storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Model, Q, QuerySet
from django.utils.translation import gettext as _

from lantoa.awards import workflow
from lantoa.awards.models import (
    AwardForm,
    Evidence,
    Nomination,
    NominationStatus,
    NomineeKind,
    Review,
    Round,
    RoundQuota,
    valid_on_q,
)
from lantoa.awards.services.rounds import COUNTED_STATUSES, in_round_subtree, short_date
from lantoa.core.errors import ValidationError, require
from lantoa.core.files import files_removed_on_error, uploaded_file_name
from lantoa.core.text import nfc
from lantoa.movements.models import Activity, GoodDeed, Initiative
from lantoa.orgs.models import Organization, Person
from lantoa.orgs.queries import subtree_q
from lantoa.orgs.rules import Perm, User, can, can_view_person, scope_q
from lantoa.programs.models import UnitModel
from lantoa.programs.uploads import CheckedFile, check_document_file

__all__ = [
    "EDITABLE_STATUSES",
    "REVIEWABLE_STATUSES",
    "DuplicateWarning",
    "add_evidence",
    "add_review",
    "available_forms",
    "can_edit",
    "can_view_nomination",
    "check_resubmit",
    "check_submit",
    "create_nomination",
    "delete_evidence",
    "duplicate_warnings",
    "find_duplicate",
    "linkable",
    "update_nomination",
    "visible_nominations",
]

S = NominationStatus
EDITABLE_STATUSES = (S.DRAFT, S.RETURNED)
REVIEWABLE_STATUSES = (S.SUBMITTED, S.IN_REVIEW, S.VOTING)
# nominations that no longer count as putting the nominee up
CLOSED_STATUSES = (S.WITHDRAWN, S.REJECTED)
MAX_EVIDENCE = 20
MAX_ACHIEVEMENTS = 20_000
LINK_KINDS = ("good_deeds", "initiatives", "activities", "unit_models")


# --- reading -----------------------------------------------------------------------------


def visible_nominations(user: User) -> QuerySet[Nomination]:
    """Nominations made by organizations in the user's reach, or in rounds run there."""
    query = scope_q(user, Perm.VIEW_PROGRAMS, "nominating_organization__path") | scope_q(
        user, Perm.VIEW_PROGRAMS, "round__organization__path"
    )
    return Nomination.objects.filter(query)


def can_view_nomination(user: User, nomination: Nomination) -> bool:
    return can(user, Perm.VIEW_PROGRAMS, nomination.nominating_organization) or can(
        user, Perm.VIEW_PROGRAMS, nomination.round.organization
    )


def can_edit(user: User, nomination: Nomination) -> bool:
    """Whether the user may correct the nomination now (a draft, or returned for changes)."""
    return nomination.status in EDITABLE_STATUSES and can(
        user, Perm.NOMINATE, nomination.nominating_organization
    )


def available_forms(round_: Round, kind: str | None = None) -> QuerySet[AwardForm]:
    """Forms of the catalog in force when the round's nominations close (for the kind)."""
    forms = AwardForm.objects.filter(valid_on_q(round_.submissions_close))
    if kind == NomineeKind.PERSON:
        forms = forms.filter(for_people=True)
    elif kind == NomineeKind.COLLECTIVE:
        forms = forms.filter(for_collectives=True)
    return forms.order_by("rank", "id")


def _put_forward_first(records: QuerySet, *latest: str) -> QuerySet:
    return records.order_by(F("put_forward_at").desc(nulls_last=True), *latest)


def linkable(
    nominating_organization: Organization,
    person: Person | None = None,
    collective: Organization | None = None,
) -> dict[str, QuerySet]:
    """The records a nomination may rest on: those of the nominating organization's
    subtree, and the nominee's own (their good deeds and initiatives; a collective's
    activities and unit models); those put forward for commendation come first."""
    paths = [nominating_organization.path]
    if collective is not None:
        paths.append(collective.path)
    in_reach = Q()
    for path in paths:
        in_reach |= subtree_q(path, "organization__path")
    deeds = in_reach
    initiatives = in_reach
    if person is not None:
        deeds |= Q(person=person)
        initiatives |= Q(authors=person)
    if collective is not None:
        deeds |= Q(collective=collective)
    initiative_ids = Initiative.objects.filter(initiatives).values("pk")
    return {
        "good_deeds": _put_forward_first(
            GoodDeed.objects.filter(deeds), "-date", "-id"
        ).select_related("organization"),
        "initiatives": _put_forward_first(
            Initiative.objects.filter(pk__in=initiative_ids), "-year", "-id"
        ).select_related("organization"),
        "activities": _put_forward_first(
            Activity.objects.filter(in_reach), "-date", "-id"
        ).select_related("organization"),
        "unit_models": UnitModel.objects.filter(in_reach)
        .select_related("organization")
        .order_by("-year_from", "-id"),
    }


# --- duplicates --------------------------------------------------------------------------


def _name_and_birth(key: str) -> tuple[str, str]:
    """A person's key "p:<name>:<birth date>" as ("p:<name>:", "<birth date>")."""
    stem, _sep, born = key.rpartition(":")
    return f"{stem}:", born


def find_duplicate(nomination: Nomination) -> tuple[Nomination | None, bool]:
    """The earliest other nomination of the round (not withdrawn or rejected) that seems to
    put up the same nominee, and whether it matched on the name alone (a person without a
    recorded birth date, on either side)."""
    key = nomination.nominee_key
    if not key:
        return None, False
    others = (
        Nomination.objects.filter(round_id=nomination.round_id)
        .exclude(pk=nomination.pk)
        .exclude(status__in=CLOSED_STATUSES)
        .order_by("id")
    )
    if not key.startswith("p:"):
        return others.filter(nominee_key=key).first(), False
    name, born = _name_and_birth(key)
    if born:
        other = others.filter(Q(nominee_key=key) | Q(nominee_key=name)).first()
    else:
        other = others.filter(nominee_key__startswith=name).first()
    if other is None:
        return None, False
    return other, not born or not _name_and_birth(other.nominee_key)[1]


@dataclass(frozen=True)
class DuplicateWarning:
    other: Nomination
    name_only: bool  # matched on the name alone: no birth date on one side
    visible: bool  # the user may open the other nomination


def duplicate_warnings(user: User, nomination: Nomination) -> list[DuplicateWarning]:
    """The other nominations of the round flagged as perhaps the same nominee: the one this
    nomination was flagged against, and those flagged against it."""
    query = Q(duplicate_of=nomination)
    if nomination.duplicate_of_id:
        query |= Q(pk=nomination.duplicate_of_id)
    others = (
        Nomination.objects.filter(query, round_id=nomination.round_id)
        .exclude(pk=nomination.pk)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("nominating_organization", "round__organization", "person", "collective")
        .order_by("id")
    )
    warnings = []
    for other in others:
        name_only = other.is_person and not (
            _name_and_birth(nomination.nominee_key)[1] and _name_and_birth(other.nominee_key)[1]
        )
        warnings.append(DuplicateWarning(other, name_only, can_view_nomination(user, other)))
    return warnings


# --- the checks of submitting ------------------------------------------------------------


def _check_evidence(nomination: Nomination) -> None:
    if nomination.round.evidence_required and not nomination.evidence.exists():
        raise ValidationError(
            _("This round requires evidence: attach at least one file before submitting."),
            code="evidence",
        )


def _check_quota(nomination: Nomination) -> None:
    """Refuse when the nominating organization's quota of the nominee's kind is full."""
    quota = (
        RoundQuota.objects.select_for_update()
        .filter(round_id=nomination.round_id, organization_id=nomination.nominating_organization_id)
        .first()
    )
    if quota is None:
        return
    counted = Nomination.objects.filter(
        round_id=nomination.round_id,
        nominating_organization_id=nomination.nominating_organization_id,
        status__in=COUNTED_STATUSES,
    ).exclude(pk=nomination.pk)
    if nomination.is_person:
        used, allowed = counted.filter(person__isnull=False).count(), quota.max_people
        message = _(
            "%(organization)s has already nominated %(used)s/%(quota)s individuals in this "
            "round: its quota is full."
        )
    else:
        used, allowed = counted.filter(collective__isnull=False).count(), quota.max_collectives
        message = _(
            "%(organization)s has already nominated %(used)s/%(quota)s collectives in this "
            "round: its quota is full."
        )
    if used + 1 > allowed:
        raise ValidationError(
            message
            % {
                "organization": nomination.nominating_organization.name,
                "used": used,
                "quota": allowed,
            },
            code="quota",
        )


def _flag_duplicate(nomination: Nomination) -> None:
    nomination.duplicate_of, _name_only = find_duplicate(nomination)


def check_submit(nomination: Nomination, today: datetime.date) -> None:
    """Submitting: before nominations close, with evidence if required, within the quota;
    a nominee already put up in the round is flagged."""
    close = nomination.round.submissions_close
    if today > close:
        raise ValidationError(
            _("Nominations for this round closed on %(date)s.") % {"date": short_date(close)},
            code="closed",
        )
    _check_evidence(nomination)
    _check_quota(nomination)
    _flag_duplicate(nomination)


def check_resubmit(nomination: Nomination, today: datetime.date) -> None:
    """Resubmitting after changes: the same rules, but the committee returns nominations
    while reviewing them, after nominations close: they may come back until voting opens."""
    opens = nomination.round.voting_opens
    if today >= opens:
        raise ValidationError(
            _("Voting opened on %(date)s: a returned nomination can no longer come back.")
            % {"date": short_date(opens)},
            code="closed",
        )
    _check_evidence(nomination)
    _check_quota(nomination)
    _flag_duplicate(nomination)


workflow.CHECKS[workflow.Action.SUBMIT] = check_submit
workflow.CHECKS[workflow.Action.RESUBMIT] = check_resubmit


# --- writing -----------------------------------------------------------------------------


def _check_nominee(
    by: User,
    round_: Round,
    person: Person | None,
    collective: Organization | None,
    kept: Nomination | None,
) -> dict[str, str]:
    if (person is None) == (collective is None):
        return {"person": _("Choose either a person or a collective as the nominee, not both.")}
    if person is not None:
        known = kept is not None and kept.person_id == person.pk
        if not known and not can_view_person(by, person):
            return {"person": _("Choose the person among the people you may see.")}
        return {}
    known = kept is not None and kept.collective_id == collective.pk
    if not known and not (
        in_round_subtree(round_, collective) and can(by, Perm.VIEW_ORGS, collective)
    ):
        return {
            "collective": _(
                "Choose the collective among the organizations of %(organization)s you may see."
            )
            % {"organization": round_.organization.name}
        }
    if collective.archived and not known:
        return {"collective": _("This organization is archived.")}
    return {}


def _check_nominating(
    by: User, round_: Round, organization: Organization | None, kept: Nomination | None
) -> dict[str, str]:
    if organization is None:
        return {"nominating_organization": _("Choose the nominating organization.")}
    if not in_round_subtree(round_, organization):
        return {
            "nominating_organization": _(
                "Only organizations of %(organization)s nominate in this round."
            )
            % {"organization": round_.organization.name}
        }
    if not can(by, Perm.NOMINATE, organization):
        return {
            "nominating_organization": _("You may not nominate on behalf of %(organization)s.")
            % {"organization": organization.name}
        }
    known = kept is not None and kept.nominating_organization_id == organization.pk
    if organization.archived and not known:
        return {"nominating_organization": _("This organization is archived.")}
    return {}


def _check_form(round_: Round, form: AwardForm | None, kind: str | None) -> dict[str, str]:
    if form is None:
        return {"proposed_form": _("Choose the proposed form of commendation.")}
    if not available_forms(round_).filter(pk=form.pk).exists():
        return {
            "proposed_form": _("“%(form)s” is not in the catalog on %(date)s.")
            % {"form": form.name, "date": short_date(round_.submissions_close)}
        }
    if kind is not None and not form.allows(kind):
        message = (
            _("“%(form)s” is not given to individuals.")
            if kind == NomineeKind.PERSON
            else _("“%(form)s” is not given to collectives.")
        )
        return {"proposed_form": message % {"form": form.name}}
    return {}


def _check_links(
    links: dict[str, Sequence[Model] | None],
    offered: dict[str, QuerySet],
    kept: Nomination | None,
) -> dict[str, str]:
    """Every record linked is one the nomination may rest on (or was already linked)."""
    errors: dict[str, str] = {}
    for name, records in links.items():
        if records is None:
            continue
        ids = {record.pk for record in records}
        if kept is not None:
            ids -= set(getattr(kept, name).values_list("pk", flat=True))
        if ids and offered[name].filter(pk__in=ids).count() != len(ids):
            errors[name] = _("Choose records of the nominating organization or of the nominee.")
    return errors


def _kind(person: Person | None, collective: Organization | None) -> str | None:
    if person is not None and collective is None:
        return NomineeKind.PERSON
    if collective is not None and person is None:
        return NomineeKind.COLLECTIVE
    return None


def _validate(
    by: User,
    round_: Round,
    *,
    nominating_organization: Organization | None,
    person: Person | None,
    collective: Organization | None,
    proposed_form: AwardForm | None,
    achievements: str,
    links: dict[str, Sequence[Model] | None],
    kept: Nomination | None = None,
) -> None:
    errors = _check_nominating(by, round_, nominating_organization, kept)
    errors.update(_check_nominee(by, round_, person, collective, kept))
    errors.update(_check_form(round_, proposed_form, _kind(person, collective)))
    if not achievements:
        errors["achievements"] = _("Describe the achievements.")
    elif len(achievements) > MAX_ACHIEVEMENTS:
        errors["achievements"] = _("At most %(count)s characters.") % {"count": MAX_ACHIEVEMENTS}
    if "nominating_organization" not in errors:
        offered = linkable(nominating_organization, person, collective)
        errors.update(_check_links(links, offered, kept))
    if errors:
        raise ValidationError(errors)


def _set_links(nomination: Nomination, links: dict[str, Sequence[Model] | None]) -> None:
    for name, records in links.items():
        if records is not None:
            getattr(nomination, name).set(records)


@transaction.atomic
def create_nomination(
    round_: Round,
    *,
    by: User,
    nominating_organization: Organization,
    proposed_form: AwardForm,
    achievements: str,
    person: Person | None = None,
    collective: Organization | None = None,
    good_deeds: Sequence[GoodDeed] = (),
    initiatives: Sequence[Initiative] = (),
    activities: Sequence[Activity] = (),
    unit_models: Sequence[UnitModel] = (),
    evidence: Sequence[UploadedFile] = (),
) -> Nomination:
    """Draft a nomination in the round (it is submitted by a workflow step)."""
    require(can(by, Perm.NOMINATE))
    achievements = nfc(achievements or "")
    links = {
        "good_deeds": good_deeds,
        "initiatives": initiatives,
        "activities": activities,
        "unit_models": unit_models,
    }
    _validate(
        by,
        round_,
        nominating_organization=nominating_organization,
        person=person,
        collective=collective,
        proposed_form=proposed_form,
        achievements=achievements,
        links=links,
    )
    checked = _check_uploads(evidence)
    with files_removed_on_error() as written:
        nomination = Nomination.objects.create(
            round=round_,
            nominating_organization=nominating_organization,
            person=person,
            collective=collective,
            proposed_form=proposed_form,
            achievements=achievements,
            created_by=by if getattr(by, "is_authenticated", False) else None,
        )
        _set_links(nomination, links)
        for upload, check in zip(evidence, checked, strict=True):
            _store(nomination, upload, check, by, written)
    return nomination


def _lock_editable(nomination: Nomination, by: User) -> Nomination:
    require(can(by, Perm.NOMINATE, nomination.nominating_organization))
    locked = (
        Nomination.objects.select_for_update()
        .select_related("round__organization", "nominating_organization")
        .get(pk=nomination.pk)
    )
    if locked.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("A nomination that is “%(status)s” can no longer be changed.")
            % {"status": locked.get_status_display()},
            code="wrong_state",
        )
    return locked


@transaction.atomic
def update_nomination(
    nomination: Nomination,
    *,
    by: User,
    nominating_organization: Organization,
    proposed_form: AwardForm,
    achievements: str,
    person: Person | None = None,
    collective: Organization | None = None,
    good_deeds: Sequence[GoodDeed] | None = None,
    initiatives: Sequence[Initiative] | None = None,
    activities: Sequence[Activity] | None = None,
    unit_models: Sequence[UnitModel] | None = None,
) -> Nomination:
    """Correct a draft or a nomination returned for changes (links left None stay)."""
    locked = _lock_editable(nomination, by)
    achievements = nfc(achievements or "")
    links = {
        "good_deeds": good_deeds,
        "initiatives": initiatives,
        "activities": activities,
        "unit_models": unit_models,
    }
    _validate(
        by,
        locked.round,
        nominating_organization=nominating_organization,
        person=person,
        collective=collective,
        proposed_form=proposed_form,
        achievements=achievements,
        links=links,
        kept=locked,
    )
    locked.nominating_organization = nominating_organization
    locked.person, locked.collective = person, collective
    locked.proposed_form, locked.achievements = proposed_form, achievements
    locked.save()
    _set_links(locked, links)
    return locked


# --- evidence ----------------------------------------------------------------------------


def _check_uploads(uploads: Sequence[UploadedFile]) -> list[CheckedFile]:
    if len(uploads) > MAX_EVIDENCE:
        raise ValidationError({"file": _("At most %(count)s files.") % {"count": MAX_EVIDENCE}})
    try:
        return [check_document_file(upload) for upload in uploads]
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error


def _store(
    nomination: Nomination,
    upload: UploadedFile,
    checked: CheckedFile,
    by: User,
    written: list[tuple[Storage, str]],
    description: str = "",
) -> Evidence:
    evidence = Evidence(
        nomination=nomination,
        file_type=checked.kind,
        file_name=uploaded_file_name(upload),
        size=checked.size,
        description=description[:300],
        uploaded_by=by if getattr(by, "is_authenticated", False) else None,
    )
    evidence.file.save(evidence.file_name, upload, save=False)
    written.append((evidence.file.storage, evidence.file.name))
    evidence.save()
    return evidence


def _delete_files_on_commit(names: Iterable[tuple[Storage, str]]) -> None:
    names = [(storage, name) for storage, name in names if name]
    if names:
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


@transaction.atomic
def add_evidence(
    nomination: Nomination, *, by: User, file: UploadedFile | None, description: str = ""
) -> Evidence:
    """Attach a PDF or DOCX (its type read from the content) of at most 20 MB."""
    locked = _lock_editable(nomination, by)
    if file is None:
        raise ValidationError({"file": _("Choose a file.")})
    if locked.evidence.count() >= MAX_EVIDENCE:
        raise ValidationError({"file": _("At most %(count)s files.") % {"count": MAX_EVIDENCE}})
    checked = _check_uploads([file])[0]
    with files_removed_on_error() as written:
        return _store(locked, file, checked, by, written, nfc(description or ""))


@transaction.atomic
def delete_evidence(evidence: Evidence, *, by: User) -> None:
    _lock_editable(evidence.nomination, by)
    files = [(evidence.file.storage, evidence.file.name)]
    evidence.delete()
    _delete_files_on_commit(files)


# --- reviews -----------------------------------------------------------------------------


@transaction.atomic
def add_review(nomination: Nomination, *, by: User, opinion: str, text: str) -> Review:
    """The staff's opinion of a nomination, for the council."""
    require(can(by, Perm.REVIEW_NOMINATIONS, nomination.round.organization))
    locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if locked.status not in REVIEWABLE_STATUSES:
        raise ValidationError(
            _("A nomination that is “%(status)s” is not being reviewed.")
            % {"status": locked.get_status_display()},
            code="wrong_state",
        )
    text = nfc(text or "")
    errors = {}
    if opinion not in Review.Opinion.values:
        errors["opinion"] = _("Choose the opinion.")
    if not text:
        errors["text"] = _("Give the reasons of the opinion.")
    if errors:
        raise ValidationError(errors)
    return Review.objects.create(
        nomination=locked,
        reviewer=by if getattr(by, "is_authenticated", False) else None,
        opinion=opinion,
        text=text,
    )
