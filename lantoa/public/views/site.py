"""The public site's pages, without login: home, honor roll, stories, organizations, search.

Only what is public is read (published stories; awards of issued decisions not revoked),
through `lantoa.public.queries.site`; every page carries its canonical address and Open
Graph tags made absolute from settings.SITE_URL.
"""

import importlib
from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.urls import NoReverseMatch, reverse
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import nfc
from lantoa.movements.photos import CONTENT_TYPES
from lantoa.orgs.models import Organization
from lantoa.orgs.queries import ancestors
from lantoa.orgs.rules import Perm, can
from lantoa.public.formatting import render_body
from lantoa.public.models import Story, StoryPhoto
from lantoa.public.queries import site as queries

__all__ = [
    "COMMENTS_TEMPLATE",
    "STORY_TEMPLATE",
    "OpenGraph",
    "home",
    "honor_roll",
    "organization",
    "render_story",
    "search",
    "story",
    "story_context",
    "story_photo",
]

STORY_TEMPLATE = "public/site/story.html"
COMMENTS_TEMPLATE = "public/comments/_section.html"
HONOR_ROLL_PAGE_SIZE = 50
ORGANIZATION_CHOICES = 300  # organizations offered in the honor roll's filter (top levels)
DESCRIPTION_LENGTH = 200
YEAR_MIN, YEAR_MAX = 1900, 2200


@dataclass(frozen=True)
class OpenGraph:
    """What a page says of itself to search engines and link previews (absolute URLs)."""

    title: str
    description: str
    url: str
    type: str = "website"
    image: str = ""
    noindex: bool = False


def _og(
    request: HttpRequest, title: str, description: str, *, path: str = "", **extra: Any
) -> OpenGraph:
    return OpenGraph(
        title=title,
        description=Truncator(" ".join(description.split())).chars(DESCRIPTION_LENGTH),
        url=queries.absolute_url(path or request.path),
        **extra,
    )


def _int(request: HttpRequest, name: str, low: int = 1, high: int = 2**31 - 1) -> int | None:
    value = request.GET.get(name, "").strip()
    if not value.isdigit() or not low <= int(value) <= high:
        return None
    return int(value)


# --- home ---------------------------------------------------------------------------------


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The latest stories and the headline figures of the term."""
    context = {
        "stories": queries.latest_stories(),
        "headline": queries.headline(),
        "og": _og(
            request,
            _("Lan Tỏa: spreading good examples"),
            _(
                "Exemplary collectives and individuals in studying and following Ho Chi "
                "Minh's thought, morality and style: stories, the honor roll, figures."
            ),
        ),
    }
    return render(request, "public/site/home.html", context)


# --- honor roll ---------------------------------------------------------------------------


def _organization_choices(
    committee: Organization | None, chosen: Organization | None
) -> list[Organization]:
    """The tree down to the organizations right below the committee, and the one chosen."""
    depth = (committee.depth if committee is not None else 1) + 1
    choices = list(
        queries.public_organizations()
        .filter(depth__lte=depth)
        .only("id", "code", "name", "depth", "path")
        .order_by("path")[:ORGANIZATION_CHOICES]
    )
    if chosen is not None and all(org.pk != chosen.pk for org in choices):
        choices.append(chosen)
    top = min((org.depth for org in choices), default=1)
    for org in choices:
        org.indent = "— " * (org.depth - top)
    return choices


def _honor_filter(request: HttpRequest, terms: list) -> queries.HonorFilter:
    term_pk = _int(request, "term")
    code = nfc(request.GET.get("org", ""))[:32].upper()
    organization = None
    if code:
        organization = queries.public_organizations().filter(code=code).first()
    return queries.HonorFilter(
        year=_int(request, "year", YEAR_MIN, YEAR_MAX),
        term=next((term for term in terms if term.pk == term_pk), None),
        organization=organization,
        text=nfc(request.GET.get("q", ""))[:100],
    )


@require_safe
def honor_roll(request: HttpRequest) -> HttpResponse:
    """Collectives and individuals commended by issued decisions, by year, with filters
    by year, term, organization and name."""
    committee = queries.site_committee()
    terms = queries.term_choices(committee)
    chosen = _honor_filter(request, terms)
    awards = chosen.apply(queries.public_awards())
    page = paginate(request, queries.honor_rows(awards), HONOR_ROLL_PAGE_SIZE)
    query = query_without_page(request)
    context = {
        "page": page,
        "query": query,
        "counts": queries.award_counts(awards),
        "chosen": chosen,
        "years": queries.year_choices(),
        "terms": terms,
        "organizations": _organization_choices(committee, chosen.organization),
        "og": _og(
            request,
            _("Honor roll"),
            _("Collectives and individuals commended, with the form and the decision."),
            path=request.path + (f"?{query}" if query else ""),
        ),
    }
    return render(request, "public/site/honor_roll.html", context)


# --- stories ------------------------------------------------------------------------------


def _may_preview(request: HttpRequest, story: Story) -> bool:
    """Staff who keep the story may see it before it is published (`?preview=1`)."""
    return can(request.user, Perm.MANAGE_ROUNDS, story.organization)


def _is_public(story: Story) -> bool:
    return queries.is_published(story)


def _award_of(story: Story):
    """The story's award as the honor roll shows it, if it is public (issued, not revoked)."""
    if not story.award_id:
        return None
    return queries.honor_rows(queries.public_awards().filter(pk=story.award_id)).first()


def _comments_context(request: HttpRequest, story: Story, form: Any, public: bool) -> dict:
    """The comments section's names (`thread`, `comment_form`, `comment_post_url`,
    `reply_to`), filled when the comments' template and code exist."""
    try:
        get_template(COMMENTS_TEMPLATE)
        services = importlib.import_module("lantoa.public.services.comments")
        forms = importlib.import_module("lantoa.public.forms.comments")
    except (TemplateDoesNotExist, ImportError):
        return {"comments_section": None}
    if not public:
        return {"comments_section": None}
    if form is None:
        form = forms.CommentForm()
    try:
        post_url = reverse("public:comment_post", args=[story.slug])
    except NoReverseMatch:
        post_url = ""
    reply_to = None
    if form.is_bound:
        reply_to = form.data.get("parent") or None
    else:
        reply_to = request.GET.get("reply_to") or None
    return {
        "comments_section": COMMENTS_TEMPLATE,
        "comments_css_in_head": True,
        "thread": services.approved_thread(story=story),
        "comment_form": form if story.comments_open else None,
        "comment_post_url": post_url,
        "reply_to": reply_to,
    }


def story_context(request: HttpRequest, story: Story, form: Any = None) -> dict:
    """Everything the story page shows, with its comments section (the comment view calls
    this again to show the page with the reader's form and its errors)."""
    public = _is_public(story)
    photos = list(story.photos.all())
    body = render_body(story.body)
    description = story.summary or strip_tags(body)
    image = ""
    if photos:
        image = queries.absolute_url(reverse("public:story_photo", args=[photos[0].pk, "full"]))
    context = {
        "story": story,
        "body": body,
        "photos": photos,
        "award": _award_of(story),
        "unit_model": story.unit_model,
        "good_deed": story.good_deed,
        "related": queries.related_stories(story) if public else [],
        "preview": not public,
        "og": _og(
            request,
            story.title,
            description,
            path=reverse("public:story", args=[story.slug]),
            type="article",
            image=image,
            noindex=not public,
        ),
    }
    context.update(_comments_context(request, story, form, public))
    return context


def render_story(
    request: HttpRequest, story: Story, form: Any = None, status: int = 200
) -> HttpResponse:
    response = render(request, STORY_TEMPLATE, story_context(request, story, form), status=status)
    if not _is_public(story):
        response["X-Robots-Tag"] = "noindex, nofollow"
        response["Cache-Control"] = "private, no-store"
    return response


def _story_rows():
    return Story.objects.select_related(
        "organization", "subject_organization", "unit_model__organization", "good_deed"
    )


@require_safe
def story(request: HttpRequest, slug: str) -> HttpResponse:
    """A published story; a draft or a withdrawn one only for its staff, with ?preview=1."""
    found = get_object_or_404(_story_rows(), slug=slug)
    if not _is_public(found) and not (
        request.GET.get("preview") == "1" and _may_preview(request, found)
    ):
        raise Http404
    return render_story(request, found)


@require_safe
def story_photo(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """A story's photo (`full`) or thumbnail (`thumb`), only while the story is public
    (and for its staff, who preview it)."""
    photo = get_object_or_404(StoryPhoto.objects.select_related("story__organization"), pk=pk)
    public = _is_public(photo.story)
    if not public and not _may_preview(request, photo.story):
        raise Http404
    if variant == "thumb":
        file, kind = photo.thumbnail, "jpeg"
    elif variant == "full":
        file, kind = photo.image, photo.format
    else:
        raise Http404
    if not file.name or kind not in CONTENT_TYPES:
        raise Http404
    try:
        handle = file.storage.open(file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    extension = "png" if kind == "png" else "jpg"
    response = FileResponse(
        handle, content_type=CONTENT_TYPES[kind], filename=f"anh-{photo.pk}-{variant}.{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    return response


# --- organizations ------------------------------------------------------------------------


@require_safe
def organization(request: HttpRequest, code: str) -> HttpResponse:
    """An organization's public page: where it sits, what it and its people received,
    stories about it and its unit models."""
    org = get_object_or_404(queries.public_organizations(), code=nfc(code)[:32].upper())
    awards = queries.received_by(org)
    page = paginate(request, queries.honor_rows(awards), HONOR_ROLL_PAGE_SIZE)
    context = {
        "org": org,
        "ancestors": list(ancestors(org).only("id", "code", "name", "archived", "path")),
        "children": list(
            queries.public_organizations()
            .filter(path__startswith=org.path, depth=org.depth + 1)
            .only("id", "code", "name", "path")
            .order_by("path")
        ),
        "page": page,
        "query": query_without_page(request),
        "counts": queries.award_counts(awards),
        "stories": queries.stories_about(org),
        "unit_models": queries.unit_models_of(org),
        "og": _og(
            request,
            org.name,
            _("%(name)s: its commendations, its unit models and stories about it.")
            % {"name": org.name},
            path=reverse("public:organization", args=[org.code]),
        ),
    }
    return render(request, "public/site/organization.html", context)


# --- search -------------------------------------------------------------------------------


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Stories, organizations and honorees matching every word, without diacritics."""
    text = nfc(request.GET.get("q", ""))[:100]
    context = {
        "q": text,
        "results": queries.search(text),
        "group_size": queries.SEARCH_GROUP_SIZE,
        "og": _og(
            request,
            _("Search"),
            _("Search stories, organizations and those commended."),
            noindex=True,
        ),
    }
    return render(request, "public/site/search.html", context)
