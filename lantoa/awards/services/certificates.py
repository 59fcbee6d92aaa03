"""Certificates: one PDF per award of an issued decision, made on demand or for a whole
decision at once by a background job whose progress the batch row records."""

import datetime
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lantoa.awards.certificates import render_certificate
from lantoa.awards.models import Award, CertificateBatch, Decision, DecisionStatus
from lantoa.awards.models.decisions import CODE_ALPHABET, CODE_LENGTH
from lantoa.awards.tasks import make_certificates
from lantoa.core.errors import ValidationError, require
from lantoa.core.text import nfc, search_key
from lantoa.orgs.rules import Perm, User, can

__all__ = [
    "PublicAward",
    "award_rows",
    "batch_awards",
    "certificate_name",
    "find_award",
    "generate_certificate",
    "is_well_formed",
    "normalize_code",
    "run_batch",
    "start_batch",
    "verify_url",
    "write_zip",
]

Status = CertificateBatch.Status
# a batch unfinished after this long was lost (the worker stopped): another may start
STALE_AFTER = datetime.timedelta(hours=1)
_CODE_SEPARATORS = str.maketrans("", "", " -\u00a0\t\r\n._")


# --- verification -------------------------------------------------------------------------


def normalize_code(raw: str) -> str:
    """A code as people type it: spaces and dashes dropped, upper case."""
    return nfc(raw[:100]).translate(_CODE_SEPARATORS).upper()


def is_well_formed(code: str) -> bool:
    return len(code) == CODE_LENGTH and all(ch in CODE_ALPHABET for ch in code)


@dataclass(frozen=True)
class PublicAward:
    """What the public verification page may say of an award: nothing private."""

    code: str
    recipient: str
    is_person: bool
    form: str
    decision_symbol: str
    decision_date: datetime.date
    issuer: str
    revoked_by_symbol: str = ""
    revoked_on: datetime.date | None = None

    @property
    def revoked(self) -> bool:
        return bool(self.revoked_by_symbol)


def find_award(code: str) -> PublicAward | None:
    """The award of an issued decision with this (well-formed) code, as the public sees it."""
    award = (
        Award.objects.select_related("decision__organization", "form", "person", "collective")
        .select_related("revoked_by")
        .filter(verification_code=code, decision__status=DecisionStatus.ISSUED)
        .first()
    )
    if award is None:
        return None
    revoking = award.revoked_by
    revoked = revoking is not None and revoking.is_issued
    return PublicAward(
        code=award.verification_code,
        recipient=award.person.full_name if award.person_id else award.collective.name,
        is_person=award.person_id is not None,
        form=award.form.name,
        decision_symbol=award.decision.symbol,
        decision_date=award.decision.date,
        issuer=award.decision.organization.name,
        revoked_by_symbol=revoking.symbol if revoked else "",
        revoked_on=revoking.date if revoked else None,
    )


# --- certificates -------------------------------------------------------------------------


def verify_url(award: Award) -> str:
    """The absolute address of the award's public verification page."""
    base = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return base + reverse("awards:verify_code", args=[award.verification_code])


def certificate_name(award: Award) -> str:
    """Where the award's PDF is stored: certificates/<year>/<code>.pdf."""
    return f"certificates/{award.decision.date.year}/{award.verification_code}.pdf"


def award_rows() -> QuerySet[Award]:
    return Award.objects.select_related(
        "decision__organization",
        "decision__round",
        "form",
        "person__organization",
        "collective",
        "nomination__round",
    )


def generate_certificate(award: Award) -> Award:
    """Draw the award's certificate and store it (replacing an earlier one)."""
    if not award.decision.is_issued:
        raise ValidationError(_("Certificates are made only for issued decisions."))
    content = render_certificate(award, verify_url(award))
    name = certificate_name(award)
    storage = award.certificate.storage
    if storage.exists(name):
        storage.delete(name)
    award.certificate.name = storage.save(name, ContentFile(content))
    award.save(update_fields=["certificate"])
    return award


def batch_awards(decision: Decision) -> QuerySet[Award]:
    """The awards a batch prints: the decision's, except those since revoked."""
    return (
        award_rows().filter(decision=decision, revoked_by__isnull=True).order_by("position", "id")
    )


@transaction.atomic
def _create_batch(decision: Decision, by: User) -> CertificateBatch:
    require(can(by, Perm.MANAGE_ROUNDS, decision.organization))
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.is_issued:
        raise ValidationError(_("Certificates are made only once the decision is issued."))
    total = batch_awards(decision).count()
    if not total:
        raise ValidationError(_("This decision commends no one: there is no certificate to make."))
    busy = decision.certificate_batches.filter(
        status__in=[Status.QUEUED, Status.RUNNING],
        created_at__gte=timezone.now() - STALE_AFTER,
    )
    if busy.exists():
        raise ValidationError(
            _("The certificates of this decision are already being made: wait for them.")
        )
    return CertificateBatch.objects.create(decision=decision, total=total, requested_by=by)


def start_batch(decision: Decision, by: User) -> CertificateBatch:
    """Queue the making of every certificate of an issued decision; the batch row shows
    how far the background job has gone."""
    batch = _create_batch(decision, by)
    result = make_certificates.enqueue(batch.pk)
    CertificateBatch.objects.filter(pk=batch.pk).update(task_id=str(result.id)[:64])
    batch.refresh_from_db()
    return batch


def _finish(batch: CertificateBatch, status: str, error: str = "") -> None:
    batch.status = status
    batch.error = error
    batch.finished_at = timezone.now()
    batch.save(update_fields=["status", "error", "finished_at"])


def run_batch(batch_id: int) -> CertificateBatch:
    """Make the batch's certificates one by one, counting each (the job's body)."""
    batch = CertificateBatch.objects.select_related("decision").get(pk=batch_id)
    if batch.status in (Status.DONE, Status.FAILED):
        return batch
    awards = list(batch_awards(batch.decision))
    batch.status, batch.done, batch.total = Status.RUNNING, 0, len(awards)
    batch.save(update_fields=["status", "done", "total"])
    try:
        for award in awards:
            generate_certificate(award)
            batch.done += 1
            batch.save(update_fields=["done"])
    except Exception as error:
        _finish(batch, Status.FAILED, f"{type(error).__name__}: {error}"[:2000])
        raise
    _finish(batch, Status.DONE)
    return batch


def _zip_name(index: int, award: Award) -> str:
    name = award.person.full_name if award.person_id else award.collective.name
    return f"{index:03d}-{slugify(search_key(name))[:60]}-{award.verification_code}.pdf"


def write_zip(batch: CertificateBatch, out: io.IOBase) -> None:
    """Every certificate of the batch's decision into one ZIP (missing ones made again)."""
    day = batch.decision.date or datetime.date(1980, 1, 1)
    stamp = (max(day.year, 1980), day.month, day.day, 0, 0, 0)
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for index, award in enumerate(batch_awards(batch.decision), start=1):
            if not award.certificate.name or not award.certificate.storage.exists(
                award.certificate.name
            ):
                generate_certificate(award)
            with award.certificate.storage.open(award.certificate.name, "rb") as handle:
                info = zipfile.ZipInfo(_zip_name(index, award), date_time=stamp)
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, handle.read())
