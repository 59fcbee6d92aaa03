"""A generated summary report (year or term) and how far its background job has gone.

The figures are never stored here: the job computes them when it runs
(`lantoa.reports.figures.compute`) and keeps only the files it wrote.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.orgs.models import Organization

__all__ = ["ReportJob", "ReportKind"]


class ReportKind(models.TextChoices):
    YEAR = "year", _("Year summary")
    TERM = "term", _("Term summary")


def report_file_name(job: "ReportJob", filename: str) -> str:
    return f"reports/{job.created_at:%Y}/{job.pk}/{filename}"


class ReportJob(models.Model):
    """One request for a report of a subtree over a period, and its three files."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(
        pgettext_lazy("record", "kind"), max_length=10, choices=ReportKind.choices
    )
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("to"))
    label = models.CharField(_("period"), max_length=200, blank=True, default="")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    step = models.CharField(_("step"), max_length=20, blank=True, default="")
    total = models.PositiveIntegerField(_("steps"), default=0)
    done = models.PositiveIntegerField(_("steps done"), default=0)
    docx = models.FileField(_("DOCX"), upload_to=report_file_name, blank=True, max_length=300)
    xlsx = models.FileField(_("XLSX"), upload_to=report_file_name, blank=True, max_length=300)
    pdf = models.FileField(_("PDF"), upload_to=report_file_name, blank=True, max_length=300)
    pdf_engine = models.CharField(_("PDF made by"), max_length=20, blank=True, default="")
    error = models.TextField(_("error"), blank=True, default="")
    task_id = models.CharField(max_length=64, blank=True, default="")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.kind} {self.period_start}–{self.period_end}"

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
