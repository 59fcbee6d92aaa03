"""Shared models: the audit entry and one-time form tokens."""

from auditlog.models import AbstractLogEntry, LogEntryManager
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lantoa.core.fields import KeyCharField


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

    # Fields of django-auditlog redeclared for cheaper writes (docs/decisions.md, "Audit
    # entries: indexes and keys"): every audited change writes one row, so each index and
    # foreign-key check is paid on every save; only what the audit pages query is indexed.
    # The entry is evidence, kept after its object type or actor is gone: no database
    # constraint (Django still sets `actor` to NULL when a user is deleted).
    content_type = models.ForeignKey(
        to="contenttypes.ContentType",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("content type"),
        db_constraint=False,
    )
    actor = models.ForeignKey(
        to=settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        blank=True,
        null=True,
        related_name="+",
        verbose_name=_("actor"),
        db_constraint=False,
    )
    object_pk = KeyCharField(max_length=255, verbose_name=_("object pk"))
    action = models.PositiveSmallIntegerField(
        choices=AbstractLogEntry.Action.choices, verbose_name=_("action")
    )
    cid = models.CharField(  # noqa: DJ001 -- as django-auditlog declares it
        max_length=255, blank=True, null=True, verbose_name=_("Correlation ID")
    )
    organization_path = KeyCharField(_("organization path"), max_length=255, blank=True, default="")
    verb = models.CharField(_("action name"), max_length=100, blank=True, default="")

    objects = AuditEntryManager()

    class Meta(AbstractLogEntry.Meta):
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            # The audit page: a subtree (path prefix, a byte-compared key), newest first.
            models.Index(fields=["organization_path", "timestamp"]),
            # The page's object filter (equality only).
            models.Index(fields=["object_pk"], name="auditentry_object_pk"),
        ]


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
