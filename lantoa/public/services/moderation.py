"""Moderating readers' comments: approve, reject or mark as spam, one or many at once.

A comment on a story is moderated by those who hold `Perm.MANAGE_ROUNDS` on the story's
organization; a comment on a nominee (a round's publication window) by those who hold it
on the round's organization. Of the comments named, only those the user may moderate are
touched; all of them change in one transaction, each with an audit entry (without the
reader's email). A reply is approved only once its comment is, or with it.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lantoa.core import audit
from lantoa.core.errors import ValidationError, require
from lantoa.orgs.rules import Perm, User, can, scope_q
from lantoa.public.models import Comment, CommentStatus

__all__ = [
    "DECISIONS",
    "ModerationResult",
    "may_moderate",
    "moderatable_comments",
    "moderatable_q",
    "moderate",
    "pending_count",
]

DECISIONS = (CommentStatus.APPROVED, CommentStatus.REJECTED, CommentStatus.SPAM)
MAX_AT_ONCE = 500

STORY_PATH = "story__organization__path"
ROUND_PATH = "nomination__round__organization__path"


def moderatable_q(user: User) -> Q:
    """Comments the user may moderate: on stories or nominees within their grants."""
    return scope_q(user, Perm.MANAGE_ROUNDS, STORY_PATH) | scope_q(
        user, Perm.MANAGE_ROUNDS, ROUND_PATH
    )


def moderatable_comments(user: User) -> QuerySet[Comment]:
    if not can(user, Perm.MANAGE_ROUNDS):
        return Comment.objects.none()
    return Comment.objects.filter(moderatable_q(user))


def pending_count(user: User) -> int:
    """How many comments wait for this user's moderation."""
    return moderatable_comments(user).filter(status=CommentStatus.PENDING).count()


def may_moderate(user: User, comment: Comment) -> bool:
    if comment.story_id:
        organization = comment.story.organization
    else:
        organization = comment.nomination.round.organization
    return can(user, Perm.MANAGE_ROUNDS, organization)


@dataclass(frozen=True)
class ModerationResult:
    """What a moderation did: comments changed, replies left waiting for their comment,
    comments already in that status, comments the user may not moderate (left alone)."""

    status: str
    changed: int = 0
    replies_skipped: int = 0
    unchanged: int = 0
    not_allowed: int = 0

    def messages(self) -> list[str]:
        """The sentences that tell the moderator what happened, in their language."""
        lines = []
        done = {
            CommentStatus.APPROVED: ngettext(
                "%(count)s comment approved.", "%(count)s comments approved.", self.changed
            ),
            CommentStatus.REJECTED: ngettext(
                "%(count)s comment rejected.", "%(count)s comments rejected.", self.changed
            ),
            CommentStatus.SPAM: ngettext(
                "%(count)s comment marked as spam.",
                "%(count)s comments marked as spam.",
                self.changed,
            ),
        }
        lines.append(done[self.status] % {"count": self.changed})
        if self.replies_skipped:
            lines.append(
                ngettext(
                    "%(count)s reply was not approved: the comment it answers is not approved.",
                    "%(count)s replies were not approved: the comments they answer are not "
                    "approved.",
                    self.replies_skipped,
                )
                % {"count": self.replies_skipped}
            )
        if self.unchanged:
            lines.append(
                ngettext(
                    "%(count)s comment already had this status.",
                    "%(count)s comments already had this status.",
                    self.unchanged,
                )
                % {"count": self.unchanged}
            )
        if self.not_allowed:
            lines.append(
                ngettext(
                    "%(count)s comment is not yours to moderate and was left alone.",
                    "%(count)s comments are not yours to moderate and were left alone.",
                    self.not_allowed,
                )
                % {"count": self.not_allowed}
            )
        return lines


def _ids(comments: Iterable[Comment | int]) -> list[int]:
    ids = []
    for comment in comments:
        pk = comment if isinstance(comment, int) else comment.pk
        if pk is not None and pk not in ids:
            ids.append(pk)
    return ids


def _approvable(rows: list[Comment], chosen: set[int]) -> tuple[list[Comment], int]:
    """The comments that may be approved, and the number of replies held back because
    their comment is neither approved nor approved with them."""
    kept, skipped = [], 0
    for comment in rows:
        parent = comment.parent
        if parent is not None and not (
            parent.status == CommentStatus.APPROVED or parent.pk in chosen
        ):
            skipped += 1
            continue
        kept.append(comment)
    return kept, skipped


@transaction.atomic
def moderate(comments: Iterable[Comment | int], status: str, *, by: User) -> ModerationResult:
    """Give the comments named (those the user may moderate) the status: approved,
    rejected or spam. Replies whose comment stays unapproved are not approved."""
    require(can(by, Perm.MANAGE_ROUNDS))
    if status not in DECISIONS:
        raise ValidationError(_("Choose approve, reject or spam."))
    ids = _ids(comments)
    if not ids:
        raise ValidationError(_("Tick at least one comment."))
    if len(ids) > MAX_AT_ONCE:
        raise ValidationError(_("At most %(limit)s comments at once.") % {"limit": MAX_AT_ONCE})
    rows = list(
        Comment.objects.select_for_update(of=("self",))
        .filter(pk__in=ids)
        .select_related("parent", "story__organization", "nomination__round__organization")
        .order_by("pk")
    )
    allowed = [c for c in rows if may_moderate(by, c)]
    not_allowed = len(ids) - len(allowed)
    to_change = [c for c in allowed if c.status != status]
    unchanged = len(allowed) - len(to_change)
    skipped = 0
    if status == CommentStatus.APPROVED:
        chosen = {c.pk for c in to_change} | {c.pk for c in allowed if c.status == status}
        to_change, skipped = _approvable(to_change, chosen)
    if to_change:
        now = timezone.now()
        Comment.objects.filter(pk__in=[c.pk for c in to_change]).update(
            status=status, moderated_at=now, moderated_by=by
        )
        by_old: dict[str, list[Comment]] = {}
        for comment in to_change:
            by_old.setdefault(comment.status, []).append(comment)
        for old, group in by_old.items():
            for comment in group:
                comment.status, comment.moderated_at, comment.moderated_by = status, now, by
            audit.record_many(
                group, f"public.comment.{status}", changes={"status": [old, status]}, actor=by
            )
    return ModerationResult(
        status=status,
        changed=len(to_change),
        replies_skipped=skipped,
        unchanged=unchanged,
        not_allowed=not_allowed,
    )
