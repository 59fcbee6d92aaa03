"""Staff pages of stories: the list, writing and correcting a story, its page (status,
preview, photos, comments), publishing, withdrawing and deleting it, and its photos.

Seeing the list and a story's staff page needs `Perm.VIEW_PROGRAMS` on its organization;
every change needs `Perm.MANAGE_ROUNDS` there. Anything else answers 404."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lantoa.awards.models import Award
from lantoa.core.actions import form_page, post_action
from lantoa.core.exports import Export
from lantoa.core.forms import submit_once
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.movements.models import GoodDeed
from lantoa.movements.photos import CONTENT_TYPES
from lantoa.orgs.models import Organization
from lantoa.orgs.queries import subtree_q
from lantoa.orgs.rules import Perm, can, scope_q
from lantoa.orgs.views.common import scoped_org_q
from lantoa.programs.models import UnitModel
from lantoa.public.formatting import render_body
from lantoa.public.forms.stories import (
    BODY_HELP,
    PhotoAddForm,
    PhotoCaptionForm,
    StoryForm,
    WithdrawForm,
    story_initial,
)
from lantoa.public.models import CommentStatus, Story, StoryPhoto, StoryStatus
from lantoa.public.services import stories as services

CHOICES_LISTED = 300  # records offered in each choice of the form, the latest first
FORM_TEMPLATE = "public/stories/form.html"


def detail_url(story: Story) -> str:
    return reverse("public:story_detail", args=[story.pk])


def public_url(story: Story) -> str | None:
    """The story's public page, if the public site has one."""
    try:
        return reverse("public:story", args=[story.slug])
    except NoReverseMatch:
        try:
            return reverse("public:story", kwargs={"slug": story.slug})
        except NoReverseMatch:
            return None


def get_story(request: HttpRequest, pk: int, manage: bool = False) -> Story:
    """A story the user may see (or manage); others answer 404."""
    story = get_object_or_404(
        Story.objects.select_related(
            "organization",
            "subject_organization",
            "award__decision",
            "award__form",
            "award__person",
            "award__collective",
            "unit_model__organization",
            "good_deed__person",
            "good_deed__collective",
            "created_by",
        ),
        pk=pk,
    )
    perm = Perm.MANAGE_ROUNDS if manage else Perm.VIEW_PROGRAMS
    if not can(request.user, perm, story.organization):
        raise Http404
    return story


# --- the list -----------------------------------------------------------------------------


def _filtered(request: HttpRequest) -> tuple[QuerySet[Story], dict[str, Any]]:
    stories = Story.objects.filter(scoped_org_q(request, Perm.VIEW_PROGRAMS, "organization__path"))
    status = request.GET.get("status", "")
    if status in StoryStatus.values:
        stories = stories.filter(status=status)
    else:
        status = ""
    q = request.GET.get("q", "").strip()[:200]
    key = search_key(q)
    if key:
        stories = stories.filter(search_key__contains=key)
    return stories, {"status": status, "q": q}


def filtered_stories(request: HttpRequest) -> tuple[QuerySet[Story], dict[str, Any]]:
    """The list's rows with their counts, shared by the page and its export."""
    stories, filters = _filtered(request)
    rows = (
        stories.select_related("organization")
        .annotate(
            photo_count=Count("photos", distinct=True),
            pending_count=Count(
                "comments", filter=Q(comments__status=CommentStatus.PENDING), distinct=True
            ),
        )
        .order_by("-updated_at", "-id")
    )
    return rows, filters


@login_required
def story_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    rows, filters = filtered_stories(request)
    context = {
        "page": paginate(request, rows),
        "filters": filters,
        "statuses": StoryStatus.choices,
        "query": query_without_page(request),
        "can_write": can(request.user, Perm.MANAGE_ROUNDS),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "public/stories/list.html", context)


STORIES_EXPORT = Export(
    "bai-viet",
    gettext_lazy("Exemplary stories"),
    (
        (gettext_lazy("Title"), lambda s: s.title),
        (gettext_lazy("Summary"), lambda s: s.summary),
        (gettext_lazy("Organization code"), lambda s: s.organization.code),
        (gettext_lazy("Kept by"), lambda s: s.organization.name),
        (gettext_lazy("Status"), lambda s: s.get_status_display()),
        (gettext_lazy("Published at"), lambda s: s.published_at),
        (gettext_lazy("Updated at"), lambda s: s.updated_at),
        (gettext_lazy("Photos"), lambda s: s.photo_count),
        (gettext_lazy("Comments awaiting approval"), lambda s: s.pending_count),
    ),
)


@login_required
def story_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The filtered stories, limited to the subtrees where the user may export."""
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    rows, _filters = filtered_stories(request)
    rows = rows.filter(scope_q(request.user, Perm.EXPORT, "organization__path"))
    return STORIES_EXPORT.response(request, rows, fmt)


# --- writing ------------------------------------------------------------------------------


def _bounded(queryset: QuerySet, order: tuple[str, ...], keep: int | None = None) -> QuerySet:
    """At most CHOICES_LISTED rows (and the one kept), as a queryset a choice validates."""
    ids = list(queryset.order_by(*order).values_list("pk", flat=True)[:CHOICES_LISTED])
    if keep is not None:
        ids.append(keep)
    return queryset.model.objects.filter(pk__in=ids).order_by(*order)


def _choices(request: HttpRequest, story: Story | None) -> dict[str, QuerySet]:
    """What the form offers: within the story's organization when it is known, else within
    the organizations the user manages (the services check the subtree again)."""
    if story is not None:
        path = story.organization.path
        orgs = subtree_q(path)
        award_q = Q(decision__organization__path__startswith=path)
        own_q = Q(organization__path__startswith=path)
    else:
        orgs = scoped_org_q(request, Perm.MANAGE_ROUNDS)
        award_q = scoped_org_q(request, Perm.MANAGE_ROUNDS, "decision__organization__path")
        own_q = scoped_org_q(request, Perm.MANAGE_ROUNDS, "organization__path")

    def kept(name: str) -> int | None:
        return getattr(story, f"{name}_id") if story is not None else None

    return {
        "subjects": _bounded(
            Organization.objects.filter(orgs & Q(archived=False)),
            ("path",),
            kept("subject_organization"),
        ),
        "awards": _bounded(
            services.eligible_awards().filter(award_q),
            ("-decision__date", "decision_id", "position", "id"),
            kept("award"),
        ),
        "unit_models": _bounded(
            UnitModel.objects.filter(own_q), ("-year_from", "-id"), kept("unit_model")
        ),
        "good_deeds": _bounded(GoodDeed.objects.filter(own_q), ("-date", "-id"), kept("good_deed")),
    }


def _managed_organizations(request: HttpRequest) -> QuerySet[Organization]:
    query = scoped_org_q(request, Perm.MANAGE_ROUNDS) & Q(archived=False)
    return _bounded(Organization.objects.filter(query), ("path",))


def _form_context(title: str, cancel_url: str, story: Story | None = None) -> dict[str, Any]:
    return {"title": title, "story": story, "cancel_url": cancel_url, "body_help": BODY_HELP}


@login_required
def story_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.MANAGE_ROUNDS):
        raise Http404
    organizations = _managed_organizations(request)
    initial = {}
    if request.method != "POST":
        first = organizations.first()
        if first is not None:
            initial["organization"] = first.pk
    form = StoryForm(
        request.POST or None,
        organizations=organizations,
        initial=initial,
        **_choices(request, None),
    )
    return form_page(
        request,
        form,
        lambda: services.create_story(
            by=request.user, organization=form.cleaned_data["organization"], **form.story_data()
        ),
        detail_url,
        _form_context(_("Write a story"), reverse("public:story_list")),
        FORM_TEMPLATE,
        done=_("The story was saved as a draft."),
    )


@login_required
def story_edit(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story(request, pk, manage=True)
    form = StoryForm(
        request.POST or None,
        organizations=None,
        initial=story_initial(story),
        **_choices(request, story),
    )
    return form_page(
        request,
        form,
        lambda: services.update_story(story, by=request.user, **form.story_data()),
        detail_url,
        _form_context(_("Correct the story"), detail_url(story), story),
        FORM_TEMPLATE,
    )


# --- the story's staff page ---------------------------------------------------------------


@login_required
def story_detail(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story(request, pk)
    may_manage = can(request.user, Perm.MANAGE_ROUNDS, story.organization)
    photos = list(story.photos.all())
    counts = story.comments.aggregate(
        total=Count("id"),
        pending=Count("id", filter=Q(status=CommentStatus.PENDING)),
        approved=Count("id", filter=Q(status=CommentStatus.APPROVED)),
    )
    preview = public_url(story)
    context = {
        "story": story,
        "photos": photos,
        "counts": counts,
        "can_manage": may_manage,
        "public_url": preview if story.is_public else None,
        "preview_url": f"{preview}?preview=1" if preview and may_manage else None,
        "photo_form": PhotoAddForm(auto_id="photo_%s") if may_manage else None,
        "can_add_photos": may_manage and len(photos) < services.MAX_PHOTOS,
        "max_photos": services.MAX_PHOTOS,
        "withdraw_form": WithdrawForm(auto_id="withdraw_%s") if may_manage else None,
        "award": _award(story),
        "body_html": render_body(story.body),
    }
    return render(request, "public/stories/detail.html", context)


def _award(story: Story) -> Award | None:
    return story.award if story.award_id else None


@login_required
@require_POST
def story_publish(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story(request, pk, manage=True)
    return post_action(
        request,
        lambda: services.publish_story(story, by=request.user),
        _("The story is published."),
        detail_url(story),
    )


@login_required
def story_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw a published story, with a reason (the form is also on the story's page)."""
    story = get_story(request, pk, manage=True)
    form = WithdrawForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: services.withdraw_story(story, by=request.user, reason=form.cleaned_data["reason"]),
        detail_url,
        {"story": story, "cancel_url": detail_url(story)},
        "public/stories/withdraw.html",
        done=_("The story was withdrawn from the public site."),
    )


@login_required
@require_POST
def story_delete(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story(request, pk, manage=True)
    return post_action(
        request,
        lambda: services.delete_story(story, by=request.user),
        _("The draft was deleted."),
        reverse("public:story_list"),
        refused_url=detail_url(story),
    )


# --- photos -------------------------------------------------------------------------------


def _get_photo(request: HttpRequest, pk: int, manage: bool = True) -> StoryPhoto:
    photo = get_object_or_404(StoryPhoto.objects.select_related("story__organization"), pk=pk)
    perm = Perm.MANAGE_ROUNDS if manage else Perm.VIEW_PROGRAMS
    if not can(request.user, perm, photo.story.organization):
        raise Http404
    return photo


@login_required
@require_POST
def story_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    story = get_story(request, pk, manage=True)
    url = detail_url(story) + "#photos"
    form = PhotoAddForm(request.POST, request.FILES)
    if form.is_valid():
        response = submit_once(
            form,
            lambda: services.add_photos(
                story,
                by=request.user,
                photos=form.cleaned_data["photos"],
                caption=form.cleaned_data["caption"],
            ),
            lambda photos: url,
        )
        if response:
            messages.success(request, _("The photos were added."))
            return response
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect(url)


@login_required
@require_POST
def story_photo_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a photo's caption."""
    photo = _get_photo(request, pk)
    url = detail_url(photo.story) + f"#photo-{photo.pk}"
    form = PhotoCaptionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect(url)
    return post_action(
        request,
        lambda: services.caption_photo(
            photo, by=request.user, caption=form.cleaned_data["caption"]
        ),
        _("The caption was saved."),
        url,
    )


@login_required
@require_POST
def story_photo_move(request: HttpRequest, pk: int, direction: str) -> HttpResponse:
    photo = _get_photo(request, pk)
    offset = {"up": -1, "down": 1}.get(direction)
    if offset is None:
        raise Http404
    return post_action(
        request,
        lambda: services.move_photo(photo, by=request.user, offset=offset),
        _("The photos were put in order."),
        detail_url(photo.story) + "#photos",
    )


@login_required
@require_POST
def story_photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _get_photo(request, pk)
    return post_action(
        request,
        lambda: services.delete_photo(photo, by=request.user),
        _("The photo was deleted."),
        detail_url(photo.story) + "#photos",
    )


@login_required
def story_photo_file(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """A photo or its thumbnail for the staff (whatever the story's status)."""
    photo = _get_photo(request, pk, manage=False)
    if variant == "thumb":
        field, kind = photo.thumbnail, "jpeg"
    elif variant == "full":
        field, kind = photo.image, photo.format
    else:
        raise Http404
    if not field.name or kind not in CONTENT_TYPES:
        raise Http404
    try:
        handle = field.storage.open(field.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    extension = "png" if kind == "png" else "jpg"
    response = FileResponse(
        handle, content_type=CONTENT_TYPES[kind], filename=f"anh-{photo.pk}-{variant}.{extension}"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response
