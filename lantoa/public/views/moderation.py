"""The moderation queue: readers' comments waiting for approval (or any status), on the
stories and nominees the user moderates, approved, rejected or marked as spam one by one
or ticked together. The reader's email is shown here, to moderators only."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lantoa.awards.models import Round
from lantoa.core.errors import ValidationError
from lantoa.core.exports import Export
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import nfc, search_key
from lantoa.orgs.rules import Perm, can, scope_q
from lantoa.orgs.views.common import scoped_org_q
from lantoa.public.forms.moderation import ModerationForm
from lantoa.public.models import Comment, CommentStatus, Story
from lantoa.public.services import moderation as services

ROUNDS_OFFERED = 50
ALL = "all"


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _in_scope(request: HttpRequest) -> QuerySet[Comment]:
    """Comments the user moderates, narrowed to the working scope."""
    return Comment.objects.filter(
        services.moderatable_q(request.user)
        & (
            scoped_org_q(request, Perm.MANAGE_ROUNDS, services.STORY_PATH)
            | scoped_org_q(request, Perm.MANAGE_ROUNDS, services.ROUND_PATH)
        )
    )


def _matching(comments: QuerySet[Comment], text: str) -> QuerySet[Comment]:
    """By the reader's name, email or words (as typed), or the story's title or the
    nominee's name without diacritics."""
    text = nfc(text)
    key = search_key(text)
    query = Q(name__icontains=text) | Q(email__icontains=text) | Q(body__icontains=text)
    if key:
        query |= Q(story__search_key__contains=key) | Q(nomination__nominee_key__contains=key)
    return comments.filter(query)


def _filtered(request: HttpRequest) -> tuple[QuerySet[Comment], dict[str, Any]]:
    comments = _in_scope(request)
    base = comments
    status = request.GET.get("status", CommentStatus.PENDING)
    if status in CommentStatus.values:
        comments = comments.filter(status=status)
    else:
        status = ALL
    story = round_ = None
    story_id, round_id = _int_param(request, "story"), _int_param(request, "round")
    if story_id is not None:
        story = Story.objects.filter(pk=story_id).select_related("organization").first()
        if story is None or not can(request.user, Perm.MANAGE_ROUNDS, story.organization):
            raise Http404
        comments, base = comments.filter(story=story), base.filter(story=story)
    if round_id is not None:
        round_ = Round.objects.filter(pk=round_id).select_related("organization").first()
        if round_ is None or not can(request.user, Perm.MANAGE_ROUNDS, round_.organization):
            raise Http404
        comments = comments.filter(nomination__round=round_)
        base = base.filter(nomination__round=round_)
    q = request.GET.get("q", "").strip()[:200]
    if q:
        comments, base = _matching(comments, q), _matching(base, q)
    return comments, {"status": status, "story": story, "round": round_, "q": q, "base": base}


def _status_counts(comments: QuerySet[Comment]) -> dict[str, int]:
    counts = comments.order_by().aggregate(
        **{value: Count("id", filter=Q(status=value)) for value in CommentStatus.values},
        all=Count("id"),
    )
    return counts


def _rows(comments: QuerySet[Comment], status: str) -> QuerySet[Comment]:
    """The queue's order: the oldest first while waiting for approval, else newest first."""
    rows = comments.select_related(
        "story",
        "nomination__round",
        "nomination__person",
        "nomination__collective",
        "parent",
        "moderated_by",
    ).order_by("created_at", "id")
    if status != CommentStatus.PENDING:
        rows = rows.order_by("-created_at", "-id")
    return rows


@login_required
def moderation(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.MANAGE_ROUNDS):
        raise Http404
    comments, filters = _filtered(request)
    counts = _status_counts(filters.pop("base"))
    rows = _rows(comments, filters["status"])
    rounds = Round.objects.filter(
        scoped_org_q(request, Perm.MANAGE_ROUNDS, "organization__path"),
        public_comments_from__isnull=False,
    ).order_by("-year", "-id")[:ROUNDS_OFFERED]
    statuses = [(value, label, counts[value]) for value, label in CommentStatus.choices]
    context = {
        "page": paginate(request, rows),
        "filters": filters,
        "statuses": statuses,
        "count_all": counts["all"],
        "rounds": rounds,
        "query": query_without_page(request),
        "decisions": services.DECISIONS,
        "next": request.get_full_path(),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "public/moderation/queue.html", context)


def _subject(comment: Comment) -> str:
    if comment.story_id:
        return comment.story.title
    if comment.nomination_id:
        return str(comment.nomination.nominee)
    return ""


MODERATION_EXPORT = Export(
    "binh-luan",
    gettext_lazy("Comments to moderate"),
    (
        (gettext_lazy("Sent at"), lambda c: c.created_at),
        (gettext_lazy("Reader"), lambda c: c.name),
        # Shown to every moderator on the queue's page, hence in their export; never public.
        (gettext_lazy("Email"), lambda c: c.email),
        (gettext_lazy("Comment"), lambda c: c.body),
        (gettext_lazy("Reply to"), lambda c: c.parent.name if c.parent_id else ""),
        (gettext_lazy("On"), lambda c: _("Story") if c.story_id else _("Nominee")),
        (gettext_lazy("Story or nominee"), _subject),
        (
            gettext_lazy("Round"),
            lambda c: c.nomination.round.title if c.nomination_id else "",
        ),
        (gettext_lazy("Status"), lambda c: c.get_status_display()),
        (gettext_lazy("Moderated at"), lambda c: c.moderated_at),
        (
            gettext_lazy("Moderated by"),
            lambda c: c.moderated_by.get_username() if c.moderated_by_id else "",
        ),
    ),
)


@login_required
def moderation_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The queue with its filters (status, story, round, search), limited to the subtrees
    where the user may export. The reader's email is in it as on the page, which shows it
    to every moderator; the address hash never."""
    if not (can(request.user, Perm.MANAGE_ROUNDS) and can(request.user, Perm.EXPORT)):
        raise Http404
    comments, filters = _filtered(request)
    comments = comments.filter(
        scope_q(request.user, Perm.EXPORT, services.STORY_PATH)
        | scope_q(request.user, Perm.EXPORT, services.ROUND_PATH)
    )
    return MODERATION_EXPORT.response(request, _rows(comments, filters["status"]), fmt)


@login_required
@require_POST
def moderation_bulk(request: HttpRequest) -> HttpResponse:
    """Approve, reject or mark as spam the comments ticked (or the one whose button was
    pressed); only those the user may moderate change."""
    if not can(request.user, Perm.MANAGE_ROUNDS):
        raise Http404
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("public:moderation")
    form = ModerationForm(request.POST)
    if not form.is_valid():
        for message in [*form.non_field_errors(), *form.errors.get("comments", [])]:
            messages.error(request, message)
        return redirect(back)
    try:
        result = services.moderate(
            form.cleaned_data["ids"], form.cleaned_data["status"], by=request.user
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(back)
    lines = result.messages()
    messages.success(request, lines[0])
    for line in lines[1:]:
        messages.warning(request, line)
    return redirect(back)
