"""Decisions on commendation: drafted from the council's selected list, numbered and issued
through the issuer's counter (a `programs.Document`, e.g. 15-QĐ/ĐU), then frozen.

A draft is edited freely (text, date, signer, the awards and their forms). Issuing takes
the next number of the issuer's "QĐ" counter in the term of the date, registers the numbered
document, freezes the decision and moves every nomination to "commended" through the
workflow — all in one transaction: a refusal anywhere leaves nothing written. An issued
decision is changed only by another decision that refers to it: a correction (which may
replace awards by awards of another form) or a revocation (which revokes awards).

The text of the decisions is Vietnamese, as the documents are: it is not translated.
"""

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from lantoa.awards import workflow
from lantoa.awards.models import (
    Award,
    AwardForm,
    Decision,
    DecisionKind,
    DecisionStatus,
    Nomination,
    NominationStatus,
    NomineeKind,
    Round,
)
from lantoa.awards.workflow import Action
from lantoa.core.errors import ValidationError, require
from lantoa.core.text import collation_key, nfc
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, User, can
from lantoa.programs.models import DocumentSystem, DocumentType
from lantoa.programs.services.documents import own_issuer, register_own_document

__all__ = [
    "DECISION_TYPE_CODE",
    "DEFAULT_PREAMBLE",
    "annex_key",
    "available_nominations",
    "correct_decision",
    "correction_subject",
    "create_decision",
    "default_subject",
    "delete_decision",
    "issue_decision",
    "last_signature",
    "revocation_subject",
    "revoke_decision",
    "update_decision",
]

DECISION_TYPE_CODE = "QĐ"
DEFAULT_PREAMBLE = (
    "Căn cứ Điều lệ Đảng Cộng sản Việt Nam;\n"
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;\n"
    "Xét đề nghị của Hội đồng Thi đua – Khen thưởng,"
)
FIRST_YEAR = 1930
KEEP = object()  # an argument not given: the value stays as it is


def default_subject(round_: Round) -> str:
    return f"Về việc khen thưởng tập thể, cá nhân tiêu biểu năm {round_.year}"


def correction_subject(original: Decision) -> str:
    return f"Về việc đính chính Quyết định số {original.symbol}"


def revocation_subject(original: Decision) -> str:
    return f"Về việc thu hồi khen thưởng tại Quyết định số {original.symbol}"


class _Errors:
    """Messages collected field by field, raised together."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _user(by: User) -> Any:
    return by if getattr(by, "is_authenticated", False) else None


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


# --- reading ------------------------------------------------------------------------------


def available_nominations(round_: Round) -> QuerySet[Nomination]:
    """The round's selected nominations that no decision (draft or issued) holds yet."""
    return round_.nominations.filter(status=NominationStatus.SELECTED, award__isnull=True)


def last_signature(organization: Organization) -> dict[str, str]:
    """Signer and place of the organization's latest issued decision: the issue form's
    defaults."""
    latest = (
        Decision.objects.filter(organization=organization, status=DecisionStatus.ISSUED)
        .order_by("-date", "-id")
        .values("signer_name", "signer_title", "place")
        .first()
    )
    return latest or {"signer_name": "", "signer_title": "", "place": ""}


def annex_key(record: Award | Nomination) -> tuple:
    """The annex order of an award (or a nomination): collectives first, then individuals,
    each by name (Vietnamese collation; people by given name, middle name, family name)."""
    if record.collective_id:
        return (0, collation_key(record.collective.name), record.pk or 0)
    return (1, bytes(record.person.sort_key), record.pk or 0)


def _renumber(decision: Decision) -> None:
    awards = sorted(decision.awards.select_related("person", "collective"), key=annex_key)
    for position, award in enumerate(awards, 1):
        award.position = position
    Award.objects.bulk_update(awards, ["position"])


# --- checks -------------------------------------------------------------------------------


def _draft(decision: Decision) -> Decision:
    """The decision's row, locked, if it is still a draft; an issued one is refused."""
    locked = Decision.objects.select_for_update().select_related("organization").get(pk=decision.pk)
    if locked.status == DecisionStatus.ISSUED:
        raise ValidationError(
            _("Decision %(symbol)s is issued and frozen: issue a correcting or revoking one.")
            % {"symbol": locked.symbol}
        )
    return locked


def _check_nominations(
    round_: Round, nominations: list[Nomination], errors: _Errors, decision: Decision | None
) -> None:
    for nomination in nominations:
        name = str(nomination.nominee)
        if nomination.round_id != round_.pk:
            errors.add(
                "nominations",
                _("“%(name)s” is a nomination of another round.") % {"name": name},
            )
        elif nomination.status != NominationStatus.SELECTED:
            errors.add(
                "nominations",
                _(
                    "“%(name)s” was not selected by the council (it is “%(status)s”): a "
                    "decision commends only selected nominations."
                )
                % {"name": name, "status": nomination.get_status_display()},
            )
        else:
            held = Award.objects.filter(nomination=nomination).select_related("decision").first()
            if held is not None and (decision is None or held.decision_id != decision.pk):
                errors.add(
                    "nominations",
                    _("“%(name)s” is already in the decision “%(decision)s”.")
                    % {"name": name, "decision": held.decision},
                )


def _kind(nomination: Nomination) -> str:
    return NomineeKind.PERSON if nomination.person_id else NomineeKind.COLLECTIVE


def _check_form(form: AwardForm, kind: str, name: str, errors: _Errors) -> None:
    if not form.allows(kind):
        message = (
            _("“%(form)s” is not given to individuals (“%(name)s”).")
            if kind == NomineeKind.PERSON
            else _("“%(form)s” is not given to collectives (“%(name)s”).")
        )
        errors.add("forms", message % {"form": form.name, "name": name})


def _locked_nominations(nominations: Iterable[Nomination]) -> list[Nomination]:
    ids = sorted({nomination.pk for nomination in nominations})
    return list(
        Nomination.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("person", "collective", "proposed_form")
        .order_by("pk")
    )


def _forms_for(
    nominations: list[Nomination],
    forms: Mapping[int, AwardForm] | None,
    errors: _Errors,
    current: Mapping[int, AwardForm] | None = None,
) -> dict[int, AwardForm]:
    """The form of each nomination's award: the one chosen, else the award's present one,
    else the one proposed."""
    chosen: dict[int, AwardForm] = {}
    for nomination in nominations:
        form = (
            (forms or {}).get(nomination.pk)
            or (current or {}).get(nomination.pk)
            or nomination.proposed_form
        )
        _check_form(form, _kind(nomination), str(nomination.nominee), errors)
        chosen[nomination.pk] = form
    return chosen


def _add_awards(decision: Decision, nominations: list[Nomination], forms: dict) -> None:
    awards = [
        Award(
            decision=decision,
            nomination=nomination,
            person_id=nomination.person_id,
            collective_id=nomination.collective_id,
            form=forms[nomination.pk],
        )
        for nomination in nominations
    ]
    try:
        with transaction.atomic():
            for award in awards:
                award.save()
    except IntegrityError as error:
        raise ValidationError(
            {"nominations": _("A nomination was put in another decision at the same time.")}
        ) from error


# --- drafts -------------------------------------------------------------------------------


@transaction.atomic
def create_decision(
    *,
    round: Round,
    by: User,
    nominations: Iterable[Nomination],
    subject: str = "",
    body: str = "",
    forms: Mapping[int, AwardForm] | None = None,
) -> Decision:
    """A draft decision commending the round's selected nominations; each award takes the
    nomination's proposed form unless `forms` (by nomination id) says otherwise."""
    require(can(by, Perm.ISSUE_DECISIONS, round.organization))
    errors = _Errors()
    chosen = _locked_nominations(nominations)
    if not chosen:
        errors.add("nominations", _("Tick at least one selected nomination."))
    _check_nominations(round, chosen, errors, None)
    award_forms = _forms_for(chosen, forms, errors)
    errors.raise_any()
    decision = Decision.objects.create(
        organization=round.organization,
        round=round,
        kind=DecisionKind.COMMENDATION,
        subject=nfc(subject or "") or default_subject(round),
        body=nfc(body or "") or DEFAULT_PREAMBLE,
        place=last_signature(round.organization)["place"],
        created_by=_user(by),
    )
    _add_awards(decision, chosen, award_forms)
    _renumber(decision)
    return decision


@transaction.atomic
def update_decision(
    decision: Decision,
    *,
    by: User,
    subject: str | None = None,
    body: str | None = None,
    date: datetime.date | object | None = KEEP,
    place: str | None = None,
    signer_name: str | None = None,
    signer_title: str | None = None,
    nominations: Iterable[Nomination] | None = None,
    forms: Mapping[int, AwardForm] | None = None,
) -> Decision:
    """Edit a draft: its text, date and signer (a value not given stays as it is; a date
    of None clears it); with `nominations`, the whole list it commends (those left out are
    removed, new selected ones added); `forms` (by nomination id) changes the forms of the
    awards."""
    require(can(by, Perm.ISSUE_DECISIONS, decision.organization))
    decision = _draft(decision)
    errors = _Errors()
    texts = {
        "subject": subject,
        "body": body,
        "place": place,
        "signer_name": signer_name,
        "signer_title": signer_title,
    }
    for name, value in texts.items():
        if value is not None:
            setattr(decision, name, nfc(value))
    if not decision.subject:
        errors.add("subject", _("Enter the subject of the decision."))
    if date is not KEEP:
        decision.date = date
    if decision.date is not None and decision.date > timezone.localdate():
        errors.add("date", _("The date cannot be in the future."))
    keep, add = _changed_nominations(decision, nominations, errors)
    present = {
        award.nomination_id: award.form
        for award in decision.awards.select_related("form")
        if award.nomination_id
    }
    award_forms = _forms_for(keep + add, forms, errors, present)
    if decision.kind == DecisionKind.COMMENDATION and nominations is not None and not keep + add:
        errors.add("nominations", _("A decision commends at least one selected nomination."))
    errors.raise_any()
    decision.save()
    if nominations is not None:
        decision.awards.exclude(nomination__in=keep).delete()
    for award in decision.awards.filter(nomination__in=keep):
        form = award_forms[award.nomination_id]
        if award.form_id != form.pk:
            award.form = form
            award.save(update_fields=["form"])
    _add_awards(decision, add, award_forms)
    _renumber(decision)
    return decision


def _changed_nominations(
    decision: Decision, nominations: Iterable[Nomination] | None, errors: _Errors
) -> tuple[list[Nomination], list[Nomination]]:
    """The nominations the draft keeps and those it adds."""
    current = {award.nomination_id for award in decision.awards.all() if award.nomination_id}
    if nominations is None:
        return _locked_nominations(Nomination.objects.filter(pk__in=current)), []
    wanted = _locked_nominations(nominations)
    keep = [n for n in wanted if n.pk in current]
    add = [n for n in wanted if n.pk not in current]
    if add:
        if decision.round is None:
            errors.add("nominations", _("This decision belongs to no round."))
        else:
            _check_nominations(decision.round, add, errors, decision)
    return keep, add


@transaction.atomic
def delete_decision(decision: Decision, *, by: User) -> None:
    """Delete a draft (its awards with it); an issued decision is never deleted."""
    require(can(by, Perm.ISSUE_DECISIONS, decision.organization))
    locked = Decision.objects.select_for_update().get(pk=decision.pk)
    if locked.status == DecisionStatus.ISSUED:
        raise ValidationError(
            _("Decision %(symbol)s is issued: it cannot be deleted, only revoked by another.")
            % {"symbol": locked.symbol}
        )
    locked.awards.all().delete()
    locked.delete()


# --- issuing ------------------------------------------------------------------------------


def _decision_type(errors: _Errors) -> DocumentType | None:
    found = DocumentType.objects.filter(
        system=DocumentSystem.PARTY, code=DECISION_TYPE_CODE
    ).first()
    if found is None:
        errors.add(
            "organization",
            _(
                "The party document type “QĐ” (quyết định) is not in the catalog of document "
                "types: ask an administrator to add it."
            ),
        )
    return found


def _check_signature(
    errors: _Errors,
    *,
    date: datetime.date | None,
    signer_name: str,
    signer_title: str,
    place: str,
    after: Decision | None = None,
) -> None:
    if date is None:
        errors.add("date", _("Enter the date of the decision."))
    elif date > timezone.localdate():
        errors.add("date", _("The date cannot be in the future."))
    elif date.year < FIRST_YEAR:
        errors.add("date", _("Enter a date from %(first)s on.") % {"first": FIRST_YEAR})
    elif after is not None and after.date and date < after.date:
        errors.add(
            "date",
            _("It cannot be dated before the decision it amends (%(day)s).")
            % {"day": _day(after.date)},
        )
    if not signer_name:
        errors.add("signer_name", _("Enter the name of the signer."))
    if not signer_title:
        errors.add("signer_title", _("Enter the signer's title (e.g. Bí thư, Phó Bí thư)."))
    if not place:
        errors.add("place", _("Enter the place written before the date (e.g. Cà Mau)."))


def _check_commended(decision: Decision, errors: _Errors) -> list[Nomination]:
    """The nominations a commendation moves on: each must still be selected."""
    awards = list(decision.awards.select_related("nomination__person", "nomination__collective"))
    if decision.kind == DecisionKind.COMMENDATION and not awards:
        errors.add("nominations", _("A decision commends at least one selected nomination."))
    nominations = [award.nomination for award in awards if award.nomination_id]
    for nomination in nominations:
        if nomination.status != NominationStatus.SELECTED:
            errors.add(
                "nominations",
                _("“%(name)s” is no longer selected (it is “%(status)s”): remove it first.")
                % {"name": nomination.nominee, "status": nomination.get_status_display()},
            )
    return nominations


@transaction.atomic
def _issue(
    decision: Decision,
    *,
    by: User,
    date: datetime.date | None,
    signer_name: str,
    signer_title: str,
    place: str,
    revoking: Iterable[Award] = (),
    replacing: Mapping[int, Award] | None = None,
) -> Decision:
    require(can(by, Perm.ISSUE_DECISIONS, decision.organization))
    decision = _draft(decision)
    organization = decision.organization
    issuer = own_issuer(organization)
    if issuer is None:
        raise ValidationError(
            _(
                "%(organization)s has no party issuer code (such as ĐU) in the catalog of "
                "issuers, so its decisions cannot be numbered: ask an administrator to "
                "register it."
            )
            % {"organization": organization.name}
        )
    signer_name, signer_title, place = (nfc(v or "") for v in (signer_name, signer_title, place))
    errors = _Errors()
    _check_signature(
        errors,
        date=date,
        signer_name=signer_name,
        signer_title=signer_title,
        place=place,
        after=decision.refers_to,
    )
    doc_type = _decision_type(errors)
    nominations = _check_commended(decision, errors)
    errors.raise_any()
    document = register_own_document(
        by=by,
        organization=organization,
        doc_type=doc_type,
        title=decision.subject,
        issued_on=date,
        summary=decision.body,
    )
    decision.document, decision.symbol, decision.date = document, document.symbol, date
    decision.place, decision.signer_name, decision.signer_title = place, signer_name, signer_title
    decision.status, decision.issued_at = DecisionStatus.ISSUED, timezone.now()
    decision.save(issuing=True)
    for nomination in nominations:
        workflow.transition(nomination, Action.COMMEND, by=by)
    for award in revoking:
        award.revoked_by = decision
        award.save(update_fields=["revoked_by"])
    _replace(decision, replacing or {})
    return decision


def _replace(correction: Decision, replacing: Mapping[int, Award]) -> None:
    """A correction's new awards take the place of the old: the old ones are revoked by
    it, and the nomination moves to the new award."""
    for new in correction.awards.filter(pk__in=list(replacing)):
        old = replacing[new.pk]
        nomination_id = old.nomination_id
        old.revoked_by, old.nomination = correction, None
        old.save(update_fields=["revoked_by", "nomination"])
        if nomination_id:
            new.nomination_id = nomination_id
            new.save(update_fields=["nomination"])


def issue_decision(
    decision: Decision,
    *,
    by: User,
    date: datetime.date | None,
    signer_name: str,
    signer_title: str,
    place: str,
) -> Decision:
    """Number, date and sign a draft; from then on it is frozen. The nominations it
    commends become "commended"."""
    return _issue(
        decision,
        by=by,
        date=date,
        signer_name=signer_name,
        signer_title=signer_title,
        place=place,
    )


# --- amending -----------------------------------------------------------------------------


def _issued(original: Decision) -> Decision:
    original = Decision.objects.select_for_update().get(pk=original.pk)
    if original.status != DecisionStatus.ISSUED:
        raise ValidationError(
            _("Only an issued decision is corrected or revoked: edit the draft instead.")
        )
    return original


def _signature_defaults(original: Decision, values: dict[str, Any]) -> dict[str, Any]:
    return {
        "date": values.get("date") or timezone.localdate(),
        "signer_name": values.get("signer_name") or original.signer_name,
        "signer_title": values.get("signer_title") or original.signer_title,
        "place": values.get("place") or original.place,
    }


@transaction.atomic
def correct_decision(
    original: Decision,
    *,
    by: User,
    body: str,
    subject: str = "",
    forms: Mapping[int, AwardForm] | None = None,
    **signature: Any,
) -> Decision:
    """Issue a decision correcting an issued one. `body` says what it corrects; `forms`
    (by award id) gives awards of the original another form: the correction makes the new
    awards and revokes the old. Date, signer and place default to today and the original's.
    """
    require(can(by, Perm.ISSUE_DECISIONS, original.organization))
    original = _issued(original)
    errors = _Errors()
    body = nfc(body or "")
    if not body:
        errors.add("body", _("Say what the correction changes."))
    changed = _changed_forms(original, forms or {}, errors)
    errors.raise_any()
    correction = Decision.objects.create(
        organization=original.organization,
        round=original.round,
        kind=DecisionKind.CORRECTION,
        refers_to=original,
        subject=nfc(subject or "") or correction_subject(original),
        body=body,
        created_by=_user(by),
    )
    replacing = {}
    for old, form in changed:
        new = Award.objects.create(
            decision=correction,
            person_id=old.person_id,
            collective_id=old.collective_id,
            form=form,
            position=old.position,
        )
        replacing[new.pk] = old
    return _issue(
        correction, by=by, replacing=replacing, **_signature_defaults(original, signature)
    )


def _changed_forms(
    original: Decision, forms: Mapping[int, AwardForm], errors: _Errors
) -> list[tuple[Award, AwardForm]]:
    awards = original.awards.filter(revoked_by__isnull=True).select_related(
        "person", "collective", "form"
    )
    changed = []
    for award in awards:
        form = forms.get(award.pk)
        if form is None or form.pk == award.form_id:
            continue
        kind = NomineeKind.PERSON if award.person_id else NomineeKind.COLLECTIVE
        _check_form(form, kind, str(award.recipient), errors)
        changed.append((award, form))
    unknown = set(forms) - {award.pk for award in awards}
    if unknown:
        errors.add("forms", _("Only awards of this decision not revoked can be corrected."))
    return changed


@transaction.atomic
def revoke_decision(
    original: Decision,
    *,
    by: User,
    awards: Iterable[Award],
    reason: str,
    subject: str = "",
    **signature: Any,
) -> Decision:
    """Issue a decision revoking awards of an issued one, for the reason given. Date,
    signer and place default to today and the original's."""
    require(can(by, Perm.ISSUE_DECISIONS, original.organization))
    original = _issued(original)
    errors = _Errors()
    reason = nfc(reason or "")
    if not reason:
        errors.add("reason", _("Give the reason for the revocation."))
    chosen = list(
        Award.objects.select_for_update(of=("self",))
        .filter(pk__in=[award.pk for award in awards])
        .select_related("person", "collective", "revoked_by")
    )
    if not chosen:
        errors.add("awards", _("Tick the awards to revoke."))
    for award in chosen:
        if award.decision_id != original.pk:
            errors.add(
                "awards",
                _("“%(name)s” is not commended by this decision.") % {"name": award.recipient},
            )
        elif award.revoked_by_id:
            errors.add(
                "awards",
                _("The award of “%(name)s” is already revoked by %(decision)s.")
                % {"name": award.recipient, "decision": award.revoked_by.symbol},
            )
    errors.raise_any()
    revocation = Decision.objects.create(
        organization=original.organization,
        round=original.round,
        kind=DecisionKind.REVOCATION,
        refers_to=original,
        subject=nfc(subject or "") or revocation_subject(original),
        body=reason,
        created_by=_user(by),
    )
    return _issue(revocation, by=by, revoking=chosen, **_signature_defaults(original, signature))
