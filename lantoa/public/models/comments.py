"""Readers' comments on stories and on nominees during a round's publication window.

The email is kept for the moderators only: it is never shown on a page, in a feed or in
any public response. Comments wait for a moderator (pre-moderation) before anyone sees
them; replies go one level deep.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lantoa.core.text import nfc

__all__ = ["Comment", "CommentStatus"]


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", pgettext_lazy("comment", "Rejected")
    SPAM = "spam", _("Spam")


class Comment(models.Model):
    story = models.ForeignKey(
        "public.Story",
        verbose_name=_("story"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="comments",
    )
    nomination = models.ForeignKey(
        "awards.Nomination",
        verbose_name=_("nomination"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="public_comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("reply to"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="replies",
    )
    name = models.CharField(_("name"), max_length=100)
    email = models.EmailField(_("email"), max_length=254)
    body = models.TextField(_("comment"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=10, choices=CommentStatus.choices, default=CommentStatus.PENDING
    )
    # a keyed hash of the sender's address, for the rate limit: the address itself is not kept
    address_hash = models.CharField(max_length=64, editable=False, default="", db_index=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True, db_index=True)
    moderated_at = models.DateTimeField(_("moderated at"), null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = pgettext_lazy("reader", "comments")
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["story", "status"], name="comment_story_status"),
            models.Index(fields=["status", "created_at"], name="comment_status_created"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(story__isnull=False) & Q(nomination__isnull=True))
                | (Q(story__isnull=True) & Q(nomination__isnull=False)),
                name="comment_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:50]}"

    def save(self, *args, **kwargs) -> None:
        self.name = nfc(self.name)
        self.body = nfc(self.body)
        super().save(*args, **kwargs)

    def audit_organization_path(self) -> str:
        if self.story_id:
            return self.story.organization.path
        return self.nomination.round.organization.path
