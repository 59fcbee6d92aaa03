"""Pages of good people, good deeds: the list (searched by title or by the doer's name) and
its export, details, recording and correcting a deed, and putting it forward for
commendation."""

import datetime
from collections.abc import Iterator
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.core.actions import form_page, post_action
from lantoa.core.exports import export_response
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.movements.forms.deeds import DeedForm
from lantoa.movements.models import GoodDeed
from lantoa.movements.services import deeds as services
from lantoa.movements.views.common import (
    PUT_FORWARD_CHOICES,
    asked_org,
    asked_year,
    people_choices,
    put_forward_filter,
    put_forward_page,
    query_without_org,
    recording_organizations,
    render_people_choices,
    withdraw_action,
)
from lantoa.orgs.queries import subtree_q
from lantoa.orgs.rules import Perm, can, scope_q, visible_organizations, visible_people
from lantoa.orgs.views.common import scoped_org_q

DOERS = ("person", "collective")


def get_deed(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW_PROGRAMS) -> GoodDeed:
    """A deed the user may see (or record in, with `perm`); others answer 404."""
    deed = get_object_or_404(
        GoodDeed.objects.select_related(
            "organization",
            "person__organization",
            "collective",
            "recorded_by",
            "put_forward_by",
        ),
        pk=pk,
    )
    if not can(request.user, Perm.VIEW_PROGRAMS, deed.organization):
        raise Http404
    if not can(request.user, perm, deed.organization):
        raise Http404
    return deed


def filtered_deeds(request: HttpRequest) -> tuple[QuerySet[GoodDeed], dict[str, Any]]:
    """The list's search and filters, shared by the page and its export."""
    deeds = GoodDeed.objects.filter(scoped_org_q(request, Perm.VIEW_PROGRAMS, "organization__path"))
    org = asked_org(request)
    if org is not None:
        deeds = deeds.filter(subtree_q(org.path, "organization__path"))
    q = request.GET.get("q", "").strip()[:200]
    key = search_key(q)
    if key:
        deeds = deeds.filter(
            Q(search_key__contains=key)
            | Q(person__search_key__contains=key)
            | Q(collective__search_key__contains=key)
        )
    year = asked_year(request)
    if year is not None:
        deeds = deeds.filter(date__range=(datetime.date(year, 1, 1), datetime.date(year, 12, 31)))
    doer = request.GET.get("doer", "")
    doer = doer if doer in DOERS else ""
    if doer:
        deeds = deeds.filter(**{f"{doer}__isnull": False})
    chosen = request.GET.get("put_forward", "")
    chosen = chosen if chosen in PUT_FORWARD_CHOICES else ""
    deeds = put_forward_filter(deeds, chosen)
    filters = {"q": q, "org": org, "year": year, "doer": doer, "put_forward": chosen}
    return deeds.order_by("-date", "-id"), filters


@login_required
def deed_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    deeds, filters = filtered_deeds(request)
    page = paginate(request, deeds.select_related("organization", "person", "collective"))
    context = {
        "page": page,
        "filters": filters,
        "query": query_without_page(request),
        "query_without_org": query_without_org(request),
        "can_record": can(request.user, Perm.RECORD_ACTIVITIES),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "movements/deeds/list.html", context)


@login_required
def deed_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    deeds, _filters = filtered_deeds(request)
    deeds = deeds.filter(scope_q(request.user, Perm.EXPORT, "organization__path"))
    deeds = deeds.select_related("organization", "person", "collective")
    headers = [
        _("Date"),
        _("Title"),
        _("Doer"),
        _("Person or collective"),
        _("What they did"),
        _("Recorded in"),
        _("Organization code"),
        _("Put forward for commendation"),
        _("Why it deserves commendation"),
    ]

    def rows() -> Iterator[tuple]:
        for deed in deeds.iterator(chunk_size=2000):
            yield (
                deed.date,
                deed.title,
                deed.person.full_name if deed.person_id else deed.collective.name,
                _("Person") if deed.person_id else _("Collective"),
                deed.description,
                deed.organization.name,
                deed.organization.code,
                timezone.localtime(deed.put_forward_at).date() if deed.put_forward_at else None,
                deed.put_forward_note,
            )

    return export_response(
        request,
        filename_stem="nguoi-tot-viec-tot",
        title=_("Good deeds"),
        headers=headers,
        rows=rows(),
        fmt=fmt,
    )


@login_required
def deed_detail(request: HttpRequest, pk: int) -> HttpResponse:
    deed = get_deed(request, pk)
    context = {
        "deed": deed,
        "can_record": can(request.user, Perm.RECORD_ACTIVITIES, deed.organization),
    }
    return render(request, "movements/deeds/detail.html", context)


def _detail_url(deed: GoodDeed) -> str:
    return reverse("movements:deed_detail", args=[deed.pk])


def _form(request: HttpRequest, deed: GoodDeed | None = None) -> DeedForm:
    query = scoped_org_q(request) & Q(archived=False)
    if deed is not None and deed.collective_id:
        query |= Q(pk=deed.collective_id)
    collectives = visible_organizations(request.user).filter(query)
    initial: dict[str, Any] = {"date": timezone.localdate()}
    if deed is not None:
        initial = {
            "title": deed.title,
            "description": deed.description,
            "date": deed.date,
            "collective": deed.collective,
            "organization": deed.organization,
        }
    return DeedForm(
        request.POST or None,
        collectives=collectives,
        organizations=recording_organizations(request, deed.organization if deed else None),
        people=visible_people(request.user),
        person=deed.person if deed is not None else None,
        initial=initial,
    )


def _context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    find = request.GET.get("find", "").strip()[:100]
    people, more = people_choices(request, find)
    return {"find": find, "people": people, "more": more, **extra}


@login_required
def deed_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.RECORD_ACTIVITIES):
        raise Http404
    form = _form(request)
    return form_page(
        request,
        form,
        lambda: services.create_deed(by=request.user, **form.deed_data()),
        _detail_url,
        _context(
            request,
            title=_("New good deed"),
            cancel_url=reverse("movements:deed_list"),
        ),
        "movements/deeds/form.html",
        done=_("The good deed was recorded."),
    )


@login_required
def deed_edit(request: HttpRequest, pk: int) -> HttpResponse:
    deed = get_deed(request, pk, Perm.RECORD_ACTIVITIES)
    form = _form(request, deed)
    return form_page(
        request,
        form,
        lambda: services.update_deed(deed, by=request.user, **form.deed_data()),
        _detail_url,
        _context(request, title=_("Edit the good deed"), deed=deed, cancel_url=_detail_url(deed)),
        "movements/deeds/form.html",
        done=_("The good deed was saved."),
    )


@login_required
@require_POST
def deed_delete(request: HttpRequest, pk: int) -> HttpResponse:
    deed = get_deed(request, pk, Perm.RECORD_ACTIVITIES)
    return post_action(
        request,
        lambda: services.delete_deed(deed, by=request.user),
        _("The good deed was deleted."),
        reverse("movements:deed_list"),
        refused_url=_detail_url(deed),
    )


@login_required
def deed_person_search(request: HttpRequest) -> HttpResponse:
    """People found by name, offered as the doer (htmx fragment)."""
    return render_people_choices(
        request, field="person", input_type="radio", form_id=DeedForm.FORM_ID
    )


@login_required
def deed_put_forward(request: HttpRequest, pk: int) -> HttpResponse:
    deed = get_deed(request, pk, Perm.RECORD_ACTIVITIES)
    return put_forward_page(request, deed, _detail_url(deed))


@login_required
@require_POST
def deed_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    deed = get_deed(request, pk, Perm.RECORD_ACTIVITIES)
    return withdraw_action(request, deed, _detail_url(deed))
