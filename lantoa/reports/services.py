"""Generating summary reports: the figures of a subtree over a year or a term, written out
as DOCX, XLSX annexes and PDF, by a background job whose progress the `ReportJob` row
records step by step (the figures, then each file).
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.awards.documents.decision import parent_body
from lantoa.awards.services.decisions import last_signature
from lantoa.core.errors import ValidationError, require
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, User, can
from lantoa.programs.models import DocumentSystem, Issuer
from lantoa.programs.services.documents import own_issuer
from lantoa.reports.documents import Report, file_stem
from lantoa.reports.documents.annex_xlsx import annex_xlsx
from lantoa.reports.documents.report_docx import report_docx
from lantoa.reports.documents.report_pdf import report_pdf
from lantoa.reports.figures import Period, compute
from lantoa.reports.models import ReportJob, ReportKind
from lantoa.reports.tasks import make_report

__all__ = [
    "ReportFiles",
    "build_report",
    "committee_name",
    "issuer_of",
    "render_files",
    "run_report",
    "start_report",
]

Status = ReportJob.Status
FILE_STEPS = ("docx", "xlsx", "pdf")
Progress = Callable[[str], None]


# --- the report ---------------------------------------------------------------------------------


def issuer_of(organization: Organization) -> Issuer | None:
    """The party issuer of the organization, else of the nearest organization above it."""
    step = Organization.steplen
    line = [organization.path[:end] for end in range(step, len(organization.path) + 1, step)]
    return (
        Issuer.objects.filter(organization__path__in=line, system=DocumentSystem.PARTY)
        .order_by("-organization__depth", "pk")
        .first()
    )


def committee_name(organization: Organization) -> str:
    """Who speaks for an organization with no issuer here: "Đảng ủy X" for "Đảng bộ X"."""
    name = organization.name
    if name.startswith("Đảng bộ "):
        return "Đảng ủy " + name[len("Đảng bộ ") :]
    return name


def _noop(step: str) -> None:
    return None


def build_report(
    organization: Organization,
    period: Period,
    kind: str,
    *,
    day: datetime.date | None = None,
    progress: Progress = _noop,
) -> Report:
    """The figures of the subtree over the period, with who issues the report and who
    signs it."""
    figures = compute(organization, period)
    progress("figures")
    own = own_issuer(organization)
    issuer = own or issuer_of(organization)
    signature = last_signature(organization)
    return Report(
        kind=str(kind),
        figures=figures,
        issuer=own.name if own is not None else committee_name(organization),
        issuer_code=issuer.code if issuer is not None else "ĐU",
        parent_body=parent_body(organization),
        place=signature["place"],
        day=day or timezone.localdate(),
        signer_title=signature["signer_title"] or "Bí thư",
        signer_name=signature["signer_name"],
    )


@dataclass
class ReportFiles:
    docx: bytes
    xlsx: bytes
    pdf: bytes
    pdf_engine: str


def render_files(report: Report, progress: Progress = _noop) -> ReportFiles:
    """The three files of the report, each step reported."""
    docx = report_docx(report)
    progress("docx")
    xlsx = annex_xlsx(report)
    progress("xlsx")
    pdf, engine = report_pdf(report, docx)
    progress("pdf")
    return ReportFiles(docx, xlsx, pdf, engine)


# --- the background job -------------------------------------------------------------------------


STEPS = 1 + len(FILE_STEPS)  # the figures, then each file


def start_report(organization: Organization, period: Period, kind: str, *, by: User) -> ReportJob:
    """Queue the report of the subtree over the period; the job row shows its progress."""
    require(can(by, Perm.VIEW_PROGRAMS, organization))
    if kind not in ReportKind.values:
        raise ValidationError(_("Choose a year or a term summary."))
    if period.end < period.start:
        raise ValidationError(_("The period ends before it starts."))
    job = ReportJob.objects.create(
        organization=organization,
        kind=kind,
        period_start=period.start,
        period_end=period.end,
        label=period.label[:200],
        total=STEPS,
        requested_by=by,
    )
    result = make_report.enqueue(job.pk)
    ReportJob.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


def _finish(job: ReportJob, status: str, error: str = "") -> None:
    job.status = status
    job.error = error
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "error", "finished_at"])


def run_report(job_id: int) -> ReportJob:
    """The job's body: compute, write the three files, count each step."""
    job = ReportJob.objects.select_related("organization").get(pk=job_id)
    if job.status in (Status.DONE, Status.FAILED):
        return job
    period = Period(job.period_start, job.period_end, job.label)
    job.status, job.done, job.total = Status.RUNNING, 0, STEPS
    job.save(update_fields=["status", "done", "total"])

    def progress(step: str) -> None:
        job.done = min(job.done + 1, job.total)
        job.step = step
        job.save(update_fields=["done", "step"])

    try:
        report = build_report(job.organization, period, job.kind, progress=progress)
        files = render_files(report, progress)
        stem = file_stem(report)
        job.docx.save(f"{stem}.docx", ContentFile(files.docx), save=False)
        job.xlsx.save(f"phu-luc-{stem}.xlsx", ContentFile(files.xlsx), save=False)
        job.pdf.save(f"{stem}.pdf", ContentFile(files.pdf), save=False)
        job.pdf_engine = files.pdf_engine
        job.save(update_fields=["docx", "xlsx", "pdf", "pdf_engine"])
    except Exception as error:
        _finish(job, Status.FAILED, f"{type(error).__name__}: {error}"[:2000])
        raise
    _finish(job, Status.DONE)
    return job
