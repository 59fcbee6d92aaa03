"""Readers' comments, without login: sending one on a story, and the nominees of a round
published for comments (its publication window) with a comment form under each.

A comment is sent once (the form's token), waits for a moderator, and the reader is told
so. A refused comment comes back with the message next to the field and the text kept.
"""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from lantoa.awards.models import Nomination, Round
from lantoa.core.forms import submit_once
from lantoa.core.pages import paginate
from lantoa.core.text import nfc, search_key
from lantoa.public.forms.comments import CommentForm
from lantoa.public.models import Comment, Story, StoryStatus
from lantoa.public.queries.site import absolute_url
from lantoa.public.services import comments as services
from lantoa.public.views.site import OpenGraph, render_story

__all__ = [
    "NOMINEES_PAGE_SIZE",
    "client_address",
    "nominee_comment",
    "nominees",
    "story_comment",
]

NOMINEES_PAGE_SIZE = 20
NOMINEES_TEMPLATE = "public/nominees/list.html"
CLOSED_TEMPLATE = "public/nominees/closed.html"


def client_address(request: HttpRequest) -> str:
    """The sender's address: REMOTE_ADDR, or, behind a proxy the settings trust
    (COMMENT_TRUSTED_PROXY), the last address that proxy added to X-Forwarded-For (the
    first ones are whatever the client wrote)."""
    if settings.COMMENT_TRUSTED_PROXY:
        hops = [hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",")]
        hops = [hop for hop in hops if hop]
        if hops:
            return hops[-1][:100]
    return request.META.get("REMOTE_ADDR", "")


def awaiting_approval(request: HttpRequest) -> None:
    messages.success(request, _("Your comment is awaiting approval."))


# --- stories -----------------------------------------------------------------------------


def _public_story(slug: str) -> Story:
    return get_object_or_404(
        Story.objects.select_related(
            "organization", "subject_organization", "unit_model__organization", "good_deed"
        ),
        slug=slug,
        status=StoryStatus.PUBLISHED,
        published_at__isnull=False,
        published_at__lte=timezone.now(),
    )


def _story_url(story: Story) -> str:
    return reverse("public:story", args=[story.slug])


@require_http_methods(["GET", "HEAD", "POST"])
def story_comment(request: HttpRequest, slug: str) -> HttpResponse:
    """A reader's comment (or reply) on a published story."""
    story = _public_story(slug)
    if request.method != "POST":  # a reload of the page that showed the errors
        return HttpResponseRedirect(_story_url(story) + "#comment-form")
    form = CommentForm(request.POST)
    if form.is_valid():
        response = submit_once(
            form,
            lambda: services.post_comment(
                story=story, address=client_address(request), **form.comment_data()
            ),
            # the top of the page, where the reader reads that the comment awaits approval
            lambda comment: _story_url(story),
        )
        if response:
            awaiting_approval(request)
            return response
    if "parent" in form.errors:
        form.forget_parent()
    return render_story(request, story, form)


# --- the nominees of a round, published for comments -----------------------------------


def _round_with_window(pk: int) -> Round:
    """A round that publishes its nominees (whether or not today is in the window)."""
    round_ = get_object_or_404(Round.objects.select_related("organization"), pk=pk)
    if round_.public_comments_from is None or round_.public_comments_until is None:
        raise Http404
    return round_


# what the public page reads of a nomination: never a person's birth date or contacts
NOMINEE_FIELDS = (
    "id",
    "round_id",
    "status",
    "achievements",
    "person_id",
    "person__family_name",
    "person__middle_name",
    "person__given_name",
    "collective_id",
    "collective__name",
    "nominating_organization_id",
    "nominating_organization__name",
    "proposed_form_id",
    "proposed_form__name",
)


def published_nominations(round_: Round) -> QuerySet[Nomination]:
    """The nominations of the round shown to the public (submitted or in review)."""
    return (
        Nomination.objects.filter(round=round_, status__in=services.PUBLISHED_NOMINATION_STATUSES)
        .select_related("person", "collective", "nominating_organization", "proposed_form")
        .only(*NOMINEE_FIELDS)
        .order_by("id")
    )


def _page_url(round_: Round, nomination: Nomination) -> str:
    """The list's page that shows the nomination (its top, where the message is)."""
    before = published_nominations(round_).filter(id__lt=nomination.pk).count()
    page = before // NOMINEES_PAGE_SIZE + 1
    url = reverse("public:nominees", args=[round_.pk])
    return f"{url}?page={page}" if page > 1 else url


def _reply_key(request: HttpRequest, form: CommentForm | None) -> str:
    if form is not None and form.is_bound:
        return str(form.data.get("parent") or "")
    return request.GET.get("reply_to", "").strip()[:20]


def _nominee_item(
    request: HttpRequest,
    nomination: Nomination,
    thread: list[Comment],
    page_url: str,
    form: CommentForm | None = None,
) -> dict[str, Any]:
    """A nominee and the names its comments section reads."""
    reply_key = _reply_key(request, form)
    replying = reply_key and any(str(c.pk) == reply_key for c in thread)
    if form is None:
        form = CommentForm(auto_id=f"id_n{nomination.pk}_%s")
    return {
        "nomination": nomination,
        "thread": thread,
        "comment_form": form,
        "comment_post_url": reverse("public:nominee_comment", args=[nomination.pk]),
        "comment_page_url": page_url,
        "comment_reply_prefix": page_url + ("&" if "?" in page_url else "?"),
        "comments_css_in_head": True,
        "comment_anchor": f"nominee-{nomination.pk}-form",
        "reply_to": reply_key if replying else "",
    }


def _search(nominations: QuerySet[Nomination], text: str) -> QuerySet[Nomination]:
    for word in search_key(text).split():
        nominations = nominations.filter(
            Q(person__search_key__contains=word) | Q(collective__search_key__contains=word)
        )
    return nominations


def _og(round_: Round, description: str) -> OpenGraph:
    """The page's tags: not indexed (the list is published for a while, not for good)."""
    return OpenGraph(
        title=round_.title,
        description=description,
        url=absolute_url(reverse("public:nominees", args=[round_.pk])),
        noindex=True,
    )


def _closed(request: HttpRequest, round_: Round, error: str = "") -> HttpResponse:
    today = timezone.localdate()
    context = {
        "round": round_,
        "not_yet": today < round_.public_comments_from,
        "error": error,
        "og": _og(round_, _("The nominees of this round are not open for comments.")),
    }
    return render(request, CLOSED_TEMPLATE, context)


@require_safe
def nominees(request: HttpRequest, round_pk: int) -> HttpResponse:
    """The round's nominees, each with its approved comments and a comment form, while
    the round publishes them for comments; otherwise a page saying when that is."""
    round_ = _round_with_window(round_pk)
    if not services.window_open(round_):
        return _closed(request, round_)
    q = nfc(request.GET.get("q", ""))[:100]
    page = paginate(request, _search(published_nominations(round_), q), NOMINEES_PAGE_SIZE)
    threads = services.approved_threads(page.object_list)
    params = request.GET.copy()
    params.pop("reply_to", None)
    query = params.copy()
    query.pop("page", None)
    page_url = reverse("public:nominees", args=[round_.pk])
    if params:
        page_url += "?" + params.urlencode()
    items = [
        _nominee_item(request, nomination, threads.get(nomination.pk, []), page_url)
        for nomination in page.object_list
    ]
    context = {
        "round": round_,
        "items": items,
        "page": page,
        "q": q,
        "query": query.urlencode(),
        "single": False,
        "og": _og(round_, _("The nominees of this round, published for readers' comments.")),
    }
    return render(request, NOMINEES_TEMPLATE, context)


@require_http_methods(["GET", "HEAD", "POST"])
def nominee_comment(request: HttpRequest, nomination_pk: int) -> HttpResponse:
    """A reader's comment (or reply) on a nominee, during the publication window."""
    nomination = get_object_or_404(
        Nomination.objects.select_related("round__organization"),
        pk=nomination_pk,
        status__in=services.PUBLISHED_NOMINATION_STATUSES,
    )
    round_ = nomination.round
    if round_.public_comments_from is None or round_.public_comments_until is None:
        raise Http404
    if request.method != "POST":
        return HttpResponseRedirect(reverse("public:nominees", args=[round_.pk]))
    if not services.window_open(round_):
        return _closed(request, round_, error=_("Comments on this nominee are closed."))
    form = CommentForm(request.POST, auto_id=f"id_n{nomination.pk}_%s")
    if form.is_valid():
        response = submit_once(
            form,
            lambda: services.post_comment(
                nomination=nomination, address=client_address(request), **form.comment_data()
            ),
            lambda comment: _page_url(round_, nomination),
        )
        if response:
            awaiting_approval(request)
            return response
    if "parent" in form.errors:
        form.forget_parent()
    shown = published_nominations(round_).get(pk=nomination.pk)
    thread = services.approved_thread(nomination=shown)
    url = reverse("public:nominees", args=[round_.pk])
    context = {
        "round": round_,
        "items": [_nominee_item(request, shown, thread, url, form)],
        "page": None,
        "q": "",
        "query": "",
        "single": True,
        "og": _og(round_, _("The nominees of this round, published for readers' comments.")),
    }
    return render(request, NOMINEES_TEMPLATE, context)
