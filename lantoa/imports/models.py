"""An uploaded spreadsheet being imported, how far its background job has gone, and every
row it rejected (so that the bad rows can be listed and downloaded again)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.orgs.models import Organization

__all__ = ["ImportJob", "ImportRowError"]


def import_file_name(job: "ImportJob", filename: str) -> str:
    """`imports/<year>/<job id>/<name>` (the job row is saved before its file)."""
    when = job.created_at or timezone.now()
    return f"imports/{when:%Y}/{job.pk or 'new'}/{filename}"


class ImportJob(models.Model):
    """One uploaded file imported as one kind of data into one organization's subtree."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Uploaded")
        READY = "ready", _("Ready to import")
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(pgettext_lazy("record", "kind"), max_length=32)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    file = models.FileField(_("file"), upload_to=import_file_name, max_length=300, blank=True)
    filename = models.CharField(_("file name"), max_length=255, blank=True, default="")
    file_kind = models.CharField(_("file type"), max_length=8, blank=True, default="")
    sheet = models.CharField(_("sheet"), max_length=255, blank=True, default="")
    headers = models.JSONField(_("headers"), default=list, blank=True)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    total_estimate = models.PositiveIntegerField(_("rows in the file"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    step = models.CharField(_("step"), max_length=20, blank=True, default="")
    error = models.TextField(_("error"), blank=True, default="")
    total = models.PositiveIntegerField(_("rows"), default=0)
    done = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(_("created"), default=0)
    updated = models.PositiveIntegerField(_("updated"), default=0)
    unchanged = models.PositiveIntegerField(_("unchanged"), default=0)
    rejected = models.PositiveIntegerField(_("rejected rows"), default=0)
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
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organization", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"

    def audit_organization_path(self) -> str:
        return self.organization.path if self.organization_id else ""

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(100, round(100 * self.done / self.total))

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


class ImportRowError(models.Model):
    """One reason a row was rejected: its line in the sheet, the column and why."""

    job = models.ForeignKey(
        ImportJob, verbose_name=_("import"), on_delete=models.CASCADE, related_name="row_errors"
    )
    line = models.PositiveIntegerField(_("line"))
    column = models.CharField(_("column"), max_length=255, blank=True, default="")
    message = models.TextField(_("reason"))
    cells = models.JSONField(_("cells"), null=True, blank=True)

    class Meta:
        verbose_name = _("rejected row")
        verbose_name_plural = _("rejected rows")
        ordering = ["job", "line", "id"]
        indexes = [models.Index(fields=["job", "line"])]

    def __str__(self) -> str:
        return f"{self.line} {self.column}: {self.message}"
