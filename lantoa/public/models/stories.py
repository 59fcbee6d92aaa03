"""Stories: the exemplary examples told to the public (nhân rộng điển hình).

Only a published story is public. A story rests on what was commended or done: an award,
a unit model, a good deed; its subject may be an organization. The body is written in a
small Markdown subset and rendered through a sanitizer (`lantoa.public.formatting`).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.core.text import nfc, search_key
from lantoa.orgs.models import Organization

__all__ = ["Story", "StoryPhoto", "StoryStatus", "story_photo_upload_to"]


class StoryStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("story", "Draft")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", pgettext_lazy("story", "Withdrawn")


class Story(models.Model):
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("kept by"),
        on_delete=models.PROTECT,
        related_name="stories_written",
        help_text=_("The committee whose staff keep the story."),
    )
    title = models.CharField(pgettext_lazy("record", "title"), max_length=300)
    slug = models.SlugField(_("address"), max_length=120, unique=True, allow_unicode=False)
    summary = models.CharField(_("summary"), max_length=500, blank=True, default="")
    body = models.TextField(_("text"))
    status = models.CharField(
        _("status"), max_length=10, choices=StoryStatus.choices, default=StoryStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    subject_organization = models.ForeignKey(
        Organization,
        verbose_name=_("about the organization"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stories",
    )
    award = models.ForeignKey(
        "awards.Award",
        verbose_name=_("award"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stories",
    )
    unit_model = models.ForeignKey(
        "programs.UnitModel",
        verbose_name=_("unit model"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stories",
    )
    good_deed = models.ForeignKey(
        "movements.GoodDeed",
        verbose_name=_("good deed"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="stories",
    )
    comments_open = models.BooleanField(_("comments open"), default=True)
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
    search_key = models.TextField(editable=False, default="")

    class Meta:
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["status", "published_at"], name="story_status_published")]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        self.title = nfc(self.title)
        self.summary = nfc(self.summary)
        self.body = nfc(self.body)
        self.search_key = search_key(f"{self.title} {self.summary} {self.body}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_key"}
        super().save(*args, **kwargs)

    def audit_organization_path(self) -> str:
        return self.organization.path

    @property
    def is_public(self) -> bool:
        return self.status == StoryStatus.PUBLISHED and self.published_at is not None


def story_photo_upload_to(instance: "StoryPhoto", filename: str) -> str:
    extension = "png" if instance.format == "png" else "jpg"
    return f"stories/{timezone.localdate().year}/{uuid.uuid4().hex}.{extension}"


def story_thumbnail_upload_to(instance: "StoryPhoto", filename: str) -> str:
    return f"stories/{timezone.localdate().year}/{uuid.uuid4().hex}-thumb.jpg"


class StoryPhoto(models.Model):
    """A photo of a story, re-encoded without metadata (see lantoa.movements.photos)."""

    story = models.ForeignKey(
        Story, verbose_name=_("story"), on_delete=models.CASCADE, related_name="photos"
    )
    image = models.FileField(_("photo"), upload_to=story_photo_upload_to, max_length=200)
    thumbnail = models.FileField(
        _("thumbnail"), upload_to=story_thumbnail_upload_to, max_length=200
    )
    format = models.CharField(_("format"), max_length=10)
    width = models.PositiveIntegerField(_("width"))
    height = models.PositiveIntegerField(_("height"))
    caption = models.CharField(_("caption"), max_length=300, blank=True, default="")
    position = models.PositiveSmallIntegerField(pgettext_lazy("order", "position"), default=0)

    class Meta:
        verbose_name = _("story photo")
        verbose_name_plural = _("story photos")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.caption or f"#{self.pk}"

    def audit_organization_path(self) -> str:
        return self.story.organization.path
