"""Documents of direction (văn bản chỉ đạo) and the counters that number our own.

A document is identified by its issuer, type and number within a term (party documents:
numbers restart every term) or within a year (state documents). Its symbol (số, ký hiệu)
is stored in normal form for display and search, and is written from those parts.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lantoa.core.text import nfc, search_key
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, User, granted_paths
from lantoa.programs.models.catalog import DocumentSystem, DocumentType, Issuer, Term

__all__ = ["Document", "DocumentFileType", "NumberCounter", "document_upload_to"]


class DocumentFileType(models.TextChoices):
    PDF = "pdf", "PDF"
    DOCX = "docx", "DOCX"


def document_upload_to(instance: "Document", filename: str) -> str:
    """A random name under documents/<year>/ with the extension of the checked content:
    the name a user gave the file is kept apart (`file_name`) and never used on disk."""
    extension = instance.file_type or "bin"
    return f"documents/{timezone.localdate().year}/{uuid.uuid4().hex}.{extension}"


def reach_q(paths: list[str], field: str = "organization__path") -> Q:
    """Documents that reach the subtrees at `paths`: higher documents (no owner), those
    owned inside the subtrees and those owned above them (direction flows down the tree)."""
    if "" in paths:
        return Q()
    step = Organization.steplen
    above = sorted({path[:i] for path in paths for i in range(step, len(path) + 1, step)})
    query = Q(**{f"{field.removesuffix('__path')}__isnull": True}) | Q(**{f"{field}__in": above})
    for path in paths:
        query |= Q(**{f"{field}__startswith": path})
    return query


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user: User, perm: Perm = Perm.VIEW_PROGRAMS) -> "DocumentQuerySet":
        paths = granted_paths(user, perm)
        return self.filter(reach_q(paths)) if paths else self.none()

    def matching(self, text: str) -> "DocumentQuerySet":
        """Documents whose symbol or title contains the text, ignoring case and diacritics."""
        key = search_key(text)
        return self.filter(search_key__contains=key) if key else self


class Document(models.Model):
    system = models.CharField(_("system"), max_length=10, choices=DocumentSystem.choices)
    number = models.PositiveIntegerField(_("number"))
    doc_type = models.ForeignKey(
        DocumentType,
        verbose_name=_("document type"),
        on_delete=models.PROTECT,
        related_name="documents",
    )
    issuer = models.ForeignKey(
        Issuer, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="documents"
    )
    term = models.ForeignKey(
        Term,
        verbose_name=_("term"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("Party document numbers restart every term."),
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        help_text=_("State document numbers restart every year."),
    )
    symbol = models.CharField(_("number and symbol"), max_length=60, editable=False)
    issued_on = models.DateField(_("date issued"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=500)
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(_("file"), upload_to=document_upload_to, blank=True, max_length=200)
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    file_type = models.CharField(
        _("file type"), max_length=10, choices=DocumentFileType.choices, blank=True
    )
    file_size = models.PositiveIntegerField(_("file size"), null=True, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("owner organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="documents",
        help_text=_("Empty for a document of a higher body, which everyone may read."),
    )
    numbered_here = models.BooleanField(_("numbered in Lan Tỏa"), default=False, editable=False)
    implements = models.ManyToManyField(
        "self",
        verbose_name=_("implements"),
        symmetrical=False,
        related_name="implemented_by",
        blank=True,
    )
    search_key = models.CharField(max_length=600, editable=False, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "doc_type", "number", "term"],
                condition=Q(system=DocumentSystem.PARTY),
                name="document_party_identity",
            ),
            models.UniqueConstraint(
                fields=["issuer", "doc_type", "number", "year"],
                condition=Q(system=DocumentSystem.STATE),
                name="document_state_identity",
            ),
            models.CheckConstraint(
                condition=Q(system=DocumentSystem.STATE) | Q(term__isnull=False),
                name="document_party_has_term",
            ),
            models.CheckConstraint(
                condition=Q(system=DocumentSystem.PARTY) | Q(year__isnull=False),
                name="document_state_has_year",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="document_number_positive"),
        ]
        indexes = [
            models.Index(fields=["issued_on", "id"], name="document_issued"),
            models.Index(fields=["symbol"], name="document_symbol"),
            models.Index(fields=["organization", "issued_on"], name="document_owner_issued"),
        ]

    def __str__(self) -> str:
        return f"{self.symbol} {self.title}".strip()

    def save(self, *args, **kwargs) -> None:
        self.title = nfc(self.title)
        self.summary = nfc(self.summary)
        self.search_key = search_key(f"{self.symbol} {self.title}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def audit_organization_path(self) -> str:
        return self.organization.path if self.organization_id else ""

    @property
    def is_higher(self) -> bool:
        return self.organization_id is None

    @property
    def download_name(self) -> str:
        """The name offered on download: the user's name, with the checked extension."""
        stem = (self.file_name.rsplit(".", 1)[0] if self.file_name else "") or self.symbol
        stem = "".join(ch if ch.isprintable() and ch not in '/\\:*?"<>|' else "-" for ch in stem)
        return f"{stem}.{self.file_type}" if self.file_type else stem


class NumberCounter(models.Model):
    """The last number given to our own documents of a type, by an issuer, in a term.

    `lantoa.programs.services.documents.next_number` moves it forward under a row lock:
    a number is never given twice, even to concurrent requests.
    """

    issuer = models.ForeignKey(
        Issuer, verbose_name=_("issuer"), on_delete=models.PROTECT, related_name="+"
    )
    doc_type = models.ForeignKey(
        DocumentType, verbose_name=_("document type"), on_delete=models.PROTECT, related_name="+"
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="+"
    )
    last_number = models.PositiveIntegerField(_("last number given"), default=0)

    class Meta:
        verbose_name = _("number counter")
        verbose_name_plural = _("number counters")
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "doc_type", "term"], name="numbercounter_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.doc_type.code}/{self.issuer.code} {self.term}: {self.last_number}"

    def audit_organization_path(self) -> str:
        organization = self.issuer.organization
        return organization.path if organization else ""
