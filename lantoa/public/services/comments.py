"""Readers' comments: posting one (on a story, or on a nominee during a round's publication
window) and reading the approved thread.

Rules:
- Every comment waits for a moderator (pre-moderation): it is saved as pending.
- Replies go one level deep. A reply must answer an approved top-level comment of the same
  story or nomination; a reply to a reply is refused rather than silently re-attached to
  its thread (the page offers "Reply" on top-level comments only, so only a stale page or
  a forged request asks for it, and the reader should see what happened).
- A filled honeypot field marks a bot: the comment is stored with the status spam (so a
  moderator can still rescue a reader whose browser filled the field) and the sender is
  told, as everyone is, that the comment awaits approval.
- At most `settings.COMMENT_RATE_LIMIT` comments per sender address in ten minutes. The
  address is kept only as an HMAC-SHA256 keyed with SECRET_KEY; the raw address is never
  stored, not even in the audit trail.
- The email is the moderators' only: nothing here that feeds a public page selects it.
"""

import contextlib
import datetime
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable, Iterator

from auditlog.context import auditlog_value
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.awards.models import Nomination, NominationStatus, Round
from lantoa.core.text import nfc
from lantoa.public.models import Comment, CommentStatus, Story, StoryStatus

__all__ = [
    "MAX_BODY",
    "MAX_EMAIL",
    "MAX_NAME",
    "PUBLIC_FIELDS",
    "PUBLISHED_NOMINATION_STATUSES",
    "RATE_WINDOW",
    "address_hash",
    "approved_thread",
    "approved_threads",
    "nomination_open_for_comments",
    "post_comment",
    "story_open_for_comments",
    "window_open",
]

MAX_NAME = 100
MAX_EMAIL = 254
MAX_BODY = 3000
RATE_WINDOW = datetime.timedelta(minutes=10)
# the nominations a round's publication window shows the public
PUBLISHED_NOMINATION_STATUSES = (NominationStatus.SUBMITTED, NominationStatus.IN_REVIEW)
# what a public page may read of a comment: never the email nor the address hash
PUBLIC_FIELDS = ("id", "story_id", "nomination_id", "parent_id", "name", "body", "created_at")


# --- open or closed ----------------------------------------------------------------------


def window_open(round_: Round, day: datetime.date | None = None) -> bool:
    """Whether the round's nominees are published for comments on that day (today)."""
    start, end = round_.public_comments_from, round_.public_comments_until
    if start is None or end is None:
        return False
    return start <= (day or timezone.localdate()) <= end


def story_open_for_comments(story: Story) -> bool:
    """A published story (its publication time past) whose comments were not closed."""
    published = story.status == StoryStatus.PUBLISHED and story.published_at is not None
    return published and story.published_at <= timezone.now() and story.comments_open


def nomination_open_for_comments(nomination: Nomination, day: datetime.date | None = None) -> bool:
    return nomination.status in PUBLISHED_NOMINATION_STATUSES and window_open(nomination.round, day)


# --- posting -----------------------------------------------------------------------------


def address_hash(address: str) -> str:
    """The sender's address as a keyed hash: equal for equal addresses, not reversible
    without the site's secret key."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, (address or "").encode(), hashlib.sha256).hexdigest()


def _check_fields(name: str, email: str, body: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not name:
        errors["name"] = _("Enter your name.")
    elif len(name) > MAX_NAME:
        errors["name"] = _("A name can be at most %(limit_value)s characters long.") % {
            "limit_value": MAX_NAME
        }
    if not email:
        errors["email"] = _("Enter your email address.")
    else:
        try:
            if len(email) > MAX_EMAIL:
                raise ValidationError("too long")
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter a valid email address, such as ten@example.vn.")
    if not body:
        errors["body"] = _("Write your comment.")
    elif len(body) > MAX_BODY:
        errors["body"] = _(
            "A comment can be at most %(limit_value)s characters long; yours has %(show_value)s."
        ) % {"limit_value": MAX_BODY, "show_value": len(body)}
    return errors


def _subject_q(story: Story | None, nomination: Nomination | None) -> Q:
    return Q(story=story) if story is not None else Q(nomination=nomination)


def _check_parent(
    parent_id: int | None, story: Story | None, nomination: Nomination | None
) -> Comment | None:
    """The comment replied to, or a ValidationError on the field `parent`."""
    if parent_id is None:
        return None
    parent = (
        Comment.objects.filter(pk=parent_id)
        .only("id", "story_id", "nomination_id", "parent_id", "status")
        .first()
    )
    same_subject = parent is not None and (
        parent.story_id == story.pk if story is not None else parent.nomination_id == nomination.pk
    )
    if not same_subject:
        raise ValidationError({"parent": _("You can only reply to a comment shown on this page.")})
    if parent.status != CommentStatus.APPROVED:
        raise ValidationError(
            {"parent": _("This comment cannot be answered: it has not been approved.")}
        )
    if parent.parent_id is not None:
        raise ValidationError(
            {
                "parent": _(
                    "Replies go one level deep: answer the first comment of the thread instead."
                )
            }
        )
    return parent


def _check_rate(hashed: str, now: datetime.datetime) -> None:
    recent = Comment.objects.filter(address_hash=hashed, created_at__gt=now - RATE_WINDOW)
    if recent.count() >= settings.COMMENT_RATE_LIMIT:
        raise ValidationError(
            _("You have sent several comments in a short time. Please try again later.")
        )


@contextlib.contextmanager
def _without_address() -> Iterator[None]:
    """Keep the sender's raw address out of the audit entry written with the comment
    (django-auditlog's middleware records the request's address)."""
    try:
        current = auditlog_value.get()
    except LookupError:
        yield
        return
    token = auditlog_value.set({**current, "remote_addr": None, "remote_port": None})
    try:
        yield
    finally:
        auditlog_value.reset(token)


@transaction.atomic
def post_comment(
    *,
    story: Story | None = None,
    nomination: Nomination | None = None,
    name: str,
    email: str,
    body: str,
    parent_id: int | None = None,
    address: str,
    honeypot: str,
) -> Comment:
    """A reader's comment on a story or on a nominee, pending a moderator's approval."""
    if (story is None) == (nomination is None):
        raise TypeError("post_comment needs a story or a nomination, not both")
    if story is not None and not story_open_for_comments(story):
        raise ValidationError(_("Comments are closed on this story."))
    if nomination is not None and not nomination_open_for_comments(nomination):
        raise ValidationError(_("Comments on this nominee are closed."))
    name, email, body = nfc(name or ""), nfc(email or ""), nfc(body or "")
    errors = _check_fields(name, email, body)
    if errors:
        raise ValidationError(errors)
    parent = _check_parent(parent_id, story, nomination)
    hashed = address_hash(address)
    now = timezone.now()
    _check_rate(hashed, now)
    status = CommentStatus.SPAM if (honeypot or "").strip() else CommentStatus.PENDING
    with _without_address():
        return Comment.objects.create(
            story=story,
            nomination=nomination,
            parent=parent,
            name=name,
            email=email,
            body=body,
            status=status,
            address_hash=hashed,
        )


# --- reading -----------------------------------------------------------------------------


def _approved() -> QuerySet[Comment]:
    return Comment.objects.filter(status=CommentStatus.APPROVED).only(*PUBLIC_FIELDS)


def _threads(subject: Q) -> list[Comment]:
    """Approved top-level comments (oldest first), each with `.approved_replies`: two
    queries whatever their number."""
    replies = _approved().order_by("created_at", "id")
    return list(
        _approved()
        .filter(subject, parent__isnull=True)
        .order_by("created_at", "id")
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="approved_replies"))
    )


def approved_thread(
    story: Story | None = None, nomination: Nomination | None = None
) -> list[Comment]:
    """What the public sees of a story's (or a nominee's) comments, in order."""
    if (story is None) == (nomination is None):
        raise TypeError("approved_thread needs a story or a nomination, not both")
    return _threads(_subject_q(story, nomination))


def approved_threads(nominations: Iterable[Nomination]) -> dict[int, list[Comment]]:
    """The approved threads of several nominees at once (two queries): nomination id →
    its thread."""
    ids = [n.pk for n in nominations]
    threads: dict[int, list[Comment]] = defaultdict(list)
    if ids:
        for comment in _threads(Q(nomination_id__in=ids)):
            threads[comment.nomination_id].append(comment)
    return dict(threads)
