"""Pages of initiatives and applied projects: the searchable list and its export, details
with authors and attachments, recording and correcting them, the file download, and putting
them forward for commendation.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from lantoa.core.actions import form_page, post_action
from lantoa.core.exports import export_response
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.movements.forms.initiatives import AttachmentForm, InitiativeForm
from lantoa.movements.models import (
    Initiative,
    InitiativeAttachment,
    InitiativeAuthor,
    InitiativeKind,
    RecognitionLevel,
)
from lantoa.movements.services import initiatives as services
from lantoa.movements.views.common import (
    PUT_FORWARD_CHOICES,
    asked_org,
    asked_year,
    default_organization,
    people_choices,
    put_forward_filter,
    put_forward_page,
    query_without_org,
    recording_organizations,
    render_people_choices,
    withdraw_action,
)
from lantoa.orgs.models import Person
from lantoa.orgs.queries import subtree_q
from lantoa.orgs.rules import (
    Perm,
    can,
    scope_q,
    visible_people,
)
from lantoa.orgs.views.common import scoped_org_q
from lantoa.programs.uploads import CONTENT_TYPES

# --- reading -----------------------------------------------------------------------------


def get_initiative(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW_PROGRAMS) -> Initiative:
    """An initiative the user may see (or record in, with `perm`); others answer 404."""
    initiative = get_object_or_404(
        Initiative.objects.select_related("organization", "recorded_by", "put_forward_by"),
        pk=pk,
    )
    if not can(request.user, Perm.VIEW_PROGRAMS, initiative.organization):
        raise Http404
    if not can(request.user, perm, initiative.organization):
        raise Http404
    return initiative


def with_authors(initiatives: Iterable[Initiative]) -> list[Initiative]:
    """Sets `author_list` (in order) on each initiative, in one query."""
    initiatives = list(initiatives)
    by_id: dict[int, list[Person]] = {initiative.pk: [] for initiative in initiatives}
    if by_id:
        rows = (
            InitiativeAuthor.objects.filter(initiative_id__in=list(by_id))
            .select_related("person")
            .order_by("initiative_id", "position", "id")
        )
        for row in rows:
            by_id[row.initiative_id].append(row.person)
    for initiative in initiatives:
        initiative.author_list = by_id[initiative.pk]
    return initiatives


def filtered_initiatives(request: HttpRequest) -> tuple[QuerySet[Initiative], dict[str, Any]]:
    """The list's search and filters, shared by the page and its export."""
    initiatives = Initiative.objects.filter(
        scoped_org_q(request, Perm.VIEW_PROGRAMS, "organization__path")
    )
    org = asked_org(request)
    if org is not None:
        initiatives = initiatives.filter(subtree_q(org.path, "organization__path"))
    q = request.GET.get("q", "").strip()[:200]
    if q:
        initiatives = initiatives.filter(search_key__contains=search_key(q))
    year = asked_year(request)
    if year is not None:
        initiatives = initiatives.filter(year=year)
    kind = request.GET.get("kind", "")
    kind = kind if kind in InitiativeKind.values else ""
    if kind:
        initiatives = initiatives.filter(kind=kind)
    level = request.GET.get("level", "")
    level = level if level in RecognitionLevel.values else ""
    if level:
        initiatives = initiatives.filter(level=level)
    chosen = request.GET.get("put_forward", "")
    chosen = chosen if chosen in PUT_FORWARD_CHOICES else ""
    initiatives = put_forward_filter(initiatives, chosen)
    filters = {
        "q": q,
        "org": org,
        "year": year,
        "kind": kind,
        "level": level,
        "put_forward": chosen,
    }
    return initiatives.order_by("-year", "title", "id"), filters


@login_required
def initiative_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    initiatives, filters = filtered_initiatives(request)
    page = paginate(request, initiatives.select_related("organization"))
    with_authors(page.object_list)
    context = {
        "page": page,
        "filters": filters,
        "kinds": InitiativeKind.choices,
        "levels": RecognitionLevel.choices,
        "query": query_without_page(request),
        "query_without_org": query_without_org(request),
        "can_record": can(request.user, Perm.RECORD_ACTIVITIES),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "movements/initiatives/list.html", context)


@login_required
def initiative_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    initiatives, _filters = filtered_initiatives(request)
    initiatives = initiatives.filter(
        scope_q(request.user, Perm.EXPORT, "organization__path")
    ).select_related("organization")
    headers = [
        pgettext("record", "Kind"),
        _("Title"),
        _("Authors"),
        _("Organization"),
        _("Organization code"),
        _("Year"),
        _("Field"),
        _("Recognized at"),
        _("Date recognized"),
        _("Effect"),
        _("Estimated benefit (đồng)"),
        _("Put forward for commendation"),
        _("Why it deserves commendation"),
    ]

    def rows() -> Iterator[tuple]:
        chunk: list[Initiative] = []
        for initiative in initiatives.iterator(chunk_size=1000):
            chunk.append(initiative)
            if len(chunk) == 1000:
                yield from _export_rows(chunk)
                chunk = []
        yield from _export_rows(chunk)

    return export_response(
        request,
        filename_stem="sang-kien",
        title=_("Initiatives"),
        headers=headers,
        rows=rows(),
        fmt=fmt,
    )


def _export_rows(chunk: list[Initiative]) -> Iterator[tuple]:
    for i in with_authors(chunk):
        yield (
            i.get_kind_display(),
            i.title,
            ", ".join(person.full_name for person in i.author_list),
            i.organization.name,
            i.organization.code,
            i.year,
            i.field,
            i.get_level_display(),
            i.recognized_on,
            i.effect,
            i.benefit,
            timezone.localtime(i.put_forward_at).date() if i.put_forward_at else None,
            i.put_forward_note,
        )


@login_required
def initiative_detail(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk)
    with_authors([initiative])
    context = {
        "initiative": initiative,
        "attachments": list(initiative.attachments.order_by("id")),
        "can_record": can(request.user, Perm.RECORD_ACTIVITIES, initiative.organization),
    }
    return render(request, "movements/initiatives/detail.html", context)


# --- writing -----------------------------------------------------------------------------


def _form_context(request: HttpRequest, form: InitiativeForm, **extra: Any) -> dict[str, Any]:
    """What the form page needs besides the form: the people search, without JavaScript
    too (`?find=` on the page itself)."""
    find = request.GET.get("find", "").strip()[:100]
    people, more = people_choices(request, find)
    return {"find": find, "people": people, "more": more, **extra}


def _detail_url(initiative: Initiative) -> str:
    return reverse("movements:initiative_detail", args=[initiative.pk])


@login_required
def initiative_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.RECORD_ACTIVITIES):
        raise Http404
    form = InitiativeForm(
        request.POST or None,
        request.FILES or None,
        organizations=recording_organizations(request),
        people=visible_people(request.user),
        with_file=True,
        initial={
            "organization": default_organization(request),
            "year": timezone.localdate().year,
        },
    )
    cancel_url = reverse("movements:initiative_list")

    def create() -> Initiative:
        data = form.initiative_data()
        upload = form.cleaned_data.get("file")
        return services.create_initiative(
            by=request.user, attachments=[upload] if upload else [], **data
        )

    return form_page(
        request,
        form,
        create,
        _detail_url,
        _form_context(request, form, title=_("New initiative or project"), cancel_url=cancel_url),
        "movements/initiatives/form.html",
        done=_("The initiative was recorded."),
    )


@login_required
def initiative_edit(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk, Perm.RECORD_ACTIVITIES)
    initial = {name: getattr(initiative, name) for name in InitiativeForm.FIELDS}
    form = InitiativeForm(
        request.POST or None,
        organizations=recording_organizations(request, initiative.organization),
        people=visible_people(request.user),
        authors=services.initiative_authors(initiative),
        initial=initial,
    )
    return form_page(
        request,
        form,
        lambda: services.update_initiative(initiative, by=request.user, **form.initiative_data()),
        _detail_url,
        _form_context(
            request,
            form,
            title=_("Edit the initiative"),
            initiative=initiative,
            cancel_url=_detail_url(initiative),
        ),
        "movements/initiatives/form.html",
        done=_("The initiative was saved."),
    )


@login_required
@require_POST
def initiative_delete(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk, Perm.RECORD_ACTIVITIES)
    return post_action(
        request,
        lambda: services.delete_initiative(initiative, by=request.user),
        _("The initiative was deleted."),
        reverse("movements:initiative_list"),
        refused_url=_detail_url(initiative),
    )


@login_required
def initiative_author_search(request: HttpRequest) -> HttpResponse:
    """People found by name, offered as authors to tick (htmx fragment)."""
    return render_people_choices(
        request, field="authors", input_type="checkbox", form_id=InitiativeForm.FORM_ID
    )


# --- attachments -------------------------------------------------------------------------


@login_required
def initiative_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk, Perm.RECORD_ACTIVITIES)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        lambda: services.add_attachment(
            initiative, by=request.user, file=form.cleaned_data["file"]
        ),
        lambda _attachment: _detail_url(initiative),
        {"initiative": initiative, "cancel_url": _detail_url(initiative)},
        "movements/initiatives/attachment_form.html",
        done=_("The file was attached."),
    )


def _get_attachment(
    request: HttpRequest, pk: int, attachment_pk: int, perm: Perm = Perm.VIEW_PROGRAMS
) -> InitiativeAttachment:
    initiative = get_initiative(request, pk, perm)
    attachment = get_object_or_404(
        InitiativeAttachment, pk=attachment_pk, initiative_id=initiative.pk
    )
    attachment.initiative = initiative
    return attachment


def download_name(attachment: InitiativeAttachment) -> str:
    """The name the user gave, with the extension of the type found in the content."""
    stem = attachment.file_name.rsplit(".", 1)[0] if "." in attachment.file_name else ""
    stem = stem or attachment.file_name or attachment.initiative.title[:80]
    stem = "".join(ch if ch.isprintable() and ch not in '/\\:*?"<>|' else "-" for ch in stem)
    return f"{stem}.{attachment.file_type}"


@login_required
def initiative_attachment(request: HttpRequest, pk: int, attachment_pk: int) -> FileResponse:
    """The file, as an attachment, for those who may see the initiative."""
    attachment = _get_attachment(request, pk, attachment_pk)
    try:
        handle = attachment.file.storage.open(attachment.file.name, "rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=download_name(attachment),
        content_type=CONTENT_TYPES.get(attachment.file_type, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_POST
def initiative_attachment_delete(request: HttpRequest, pk: int, attachment_pk: int) -> HttpResponse:
    attachment = _get_attachment(request, pk, attachment_pk, Perm.RECORD_ACTIVITIES)
    return post_action(
        request,
        lambda: services.delete_attachment(attachment, by=request.user),
        _("The file was deleted."),
        _detail_url(attachment.initiative),
    )


# --- commendation ------------------------------------------------------------------------


@login_required
def initiative_put_forward(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk, Perm.RECORD_ACTIVITIES)
    return put_forward_page(request, initiative, _detail_url(initiative))


@login_required
@require_POST
def initiative_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    initiative = get_initiative(request, pk, Perm.RECORD_ACTIVITIES)
    return withdraw_action(request, initiative, _detail_url(initiative))
