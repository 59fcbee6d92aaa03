"""Shared models: the audit entry and one-time form tokens."""

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.db import models
from django.utils.translation import gettext_lazy as _


def organization_path_of(instance: models.Model) -> str:
    """The organization path an audited object belongs to ("" if none)."""
    getter = getattr(instance, "audit_organization_path", None)
    return getter() if callable(getter) else ""


class AuditEntryManager(LogEntryManager):
    def log_create(self, instance, force_log: bool = False, **kwargs):
        kwargs.setdefault("organization_path", organization_path_of(instance))
        return super().log_create(instance, force_log=force_log, **kwargs)


class AuditEntry(AbstractLogEntry):
    """Who changed or viewed what, when, with the values before and after.

    Written by django-auditlog for every save and delete of a registered model, and by
    `lantoa.core.audit` for bulk operations and named actions (`verb`).
    """

    organization_path = models.CharField(
        _("organization path"), max_length=255, blank=True, default="", db_index=True
    )
    verb = models.CharField(_("action name"), max_length=100, blank=True, default="")

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["organization_path", "timestamp"])]


class FormToken(models.Model):
    """A submitted form's one-time token: a double-clicked submit creates one record."""

    token = models.CharField(max_length=64, unique=True)
    result_url = models.CharField(max_length=500, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("form token")
        verbose_name_plural = _("form tokens")

    def __str__(self) -> str:
        return self.token
