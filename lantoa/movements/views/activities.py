"""Pages of the activity ledger: the filtered list with its sums and export, recording and
correcting an activity with its photos, its page, the photos (served only to those who may
see the activity), and putting it forward for commendation."""

import datetime
from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lantoa.core.actions import form_page, post_action
from lantoa.core.exports import export_response
from lantoa.core.forms import submit_once
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.movements.forms.activities import (
    ActivityForm,
    PhotoAddForm,
    activity_initial,
)
from lantoa.movements.models import Activity, ActivityPhoto, ActivityType, Movement
from lantoa.movements.photos import CONTENT_TYPES
from lantoa.movements.queries.movements import (
    can_view_movement,
    movements_for,
    reaches,
    visible_movements,
)
from lantoa.movements.services import activities as services
from lantoa.movements.views.common import put_forward_page, withdraw_action
from lantoa.orgs.models import Organization
from lantoa.orgs.queries import in_subtree_q, subtree_q
from lantoa.orgs.rules import Perm, can, scope_q
from lantoa.orgs.views.common import get_org, scope_root_paths, scoped_org_q
from lantoa.programs.models.documents import reach_q

MAX_ORGS_LISTED = 500  # organizations offered in a choice; more: narrow the working scope
MOVEMENTS_LISTED = 200  # movements offered in the list's filter, the latest first
FIRST_YEAR, LAST_YEAR = 1930, 2200


# --- lookups ------------------------------------------------------------------------------


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _get_activity(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW_PROGRAMS) -> Activity:
    """An activity of an organization where the user holds `perm`; others answer 404."""
    activity = get_object_or_404(
        Activity.objects.select_related(
            "organization",
            "activity_type",
            "movement__organization",
            "beneficiary_category",
            "recorded_by",
            "put_forward_by",
        ),
        pk=pk,
    )
    if not can(request.user, perm, activity.organization):
        raise Http404
    return activity


def _bounded(organizations: QuerySet[Organization], keep: Iterable[int] = ()) -> tuple[Any, bool]:
    """At most MAX_ORGS_LISTED organizations in tree order (and those in `keep`), as a
    queryset a choice field can validate against; and whether some were left out."""
    ids = list(
        organizations.filter(archived=False)
        .order_by("path")
        .values_list("pk", flat=True)[: MAX_ORGS_LISTED + 1]
    )
    chosen = Organization.objects.filter(pk__in=[*ids[:MAX_ORGS_LISTED], *keep]).order_by("path")
    return chosen, len(ids) > MAX_ORGS_LISTED


def _movements_in_reach(request: HttpRequest, keep: int | None = None) -> QuerySet[Movement]:
    """Movements reaching some organization where the user may record activities."""
    paths = scope_root_paths(request, Perm.RECORD_ACTIVITIES)
    query = reach_q(paths, "organization__path") if paths else Q(pk__in=[])
    if keep is not None:
        query |= Q(pk=keep)
    return Movement.objects.filter(query)


# --- the list -----------------------------------------------------------------------------


def filtered_activities(
    request: HttpRequest, perm: Perm = Perm.VIEW_PROGRAMS
) -> tuple[QuerySet[Activity], dict[str, Any]]:
    """The list's filters and search, shared by the page and its export."""
    activities = Activity.objects.filter(scoped_org_q(request, perm, "organization__path"))
    org = None
    if request.GET.get("org"):
        org = get_org(request, request.GET["org"], perm)
        activities = activities.filter(in_subtree_q(org.path))
    filters: dict[str, Any] = {
        "type": _int_param(request, "type"),
        "movement": _int_param(request, "movement"),
        "year": _int_param(request, "year"),
    }
    if filters["type"] is not None:
        activities = activities.filter(activity_type_id=filters["type"])
    if filters["movement"] is not None:
        activities = activities.filter(movement_id=filters["movement"])
    year = filters["year"]
    if year is not None and FIRST_YEAR <= year <= LAST_YEAR:
        activities = activities.filter(
            date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
        )
    else:
        filters["year"] = None
    q = request.GET.get("q", "").strip()[:200]
    if q:
        activities = activities.filter(search_key__contains=search_key(q))
    filters.update({"q": q, "org": org})
    return activities, filters


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    activities, filters = filtered_activities(request)
    sums = activities.order_by().aggregate(
        count=Count("id"),
        money=Coalesce(Sum("money"), 0),
        participants=Coalesce(Sum("participants"), 0),
        beneficiaries=Coalesce(Sum("beneficiaries"), 0),
    )
    rows = activities.select_related("organization", "activity_type", "movement").annotate(
        photo_count=Count("photos")
    )
    org = filters["org"]
    record_url = reverse("movements:activity_create")
    if org is not None and can(request.user, Perm.RECORD_ACTIVITIES, org):
        record_url += f"?org={org.pk}"
    elif filters["movement"] is not None:
        record_url += f"?movement={filters['movement']}"
    context = {
        "page": paginate(request, rows.order_by("-date", "-id")),
        "filters": filters,
        "sums": sums,
        "types": ActivityType.objects.order_by("position", "id"),
        "movements": visible_movements(request.user).order_by("-start_date", "-id")[
            :MOVEMENTS_LISTED
        ],
        "query": query_without_page(request),
        "can_record": can(request.user, Perm.RECORD_ACTIVITIES),
        "record_url": record_url,
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "movements/activities/list.html", context)


@login_required
def activity_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The filtered list as XLSX or CSV, limited to what the user may both see and export."""
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    activities, filters = filtered_activities(request)
    if filters["org"] is not None and not can(request.user, Perm.EXPORT, filters["org"]):
        raise Http404
    activities = (
        activities.filter(scope_q(request.user, Perm.EXPORT, "organization__path"))
        .select_related("organization", "activity_type", "movement", "beneficiary_category")
        .prefetch_related("partners")
        .order_by("-date", "-id")
    )
    headers = [
        _("Date"),
        _("Organization"),
        _("Organization code"),
        _("Type of activity"),
        _("Title"),
        _("Place"),
        _("Movement"),
        _("Quantity"),
        _("Unit"),
        _("Value (đồng)"),
        _("Participants"),
        _("Beneficiaries"),
        _("Beneficiaries' category"),
        _("Partner organizations"),
        _("Put forward for commendation"),
    ]

    def rows() -> Iterator[tuple]:
        for a in activities.iterator(chunk_size=2000):
            yield (
                a.date,
                a.organization.name,
                a.organization.code,
                a.activity_type.name,
                a.title,
                a.place,
                a.movement.title if a.movement else "",
                a.quantity,
                a.activity_type.unit,
                a.money,
                a.participants,
                a.beneficiaries,
                a.beneficiary_category.name if a.beneficiary_category else "",
                ", ".join(partner.name for partner in a.partners.all()),
                _("Yes") if a.is_put_forward else "",
            )

    return export_response(
        request,
        filename_stem="hoat-dong",
        title=_("Activities"),
        headers=headers,
        rows=rows(),
        fmt=fmt,
    )


# --- recording and correcting -------------------------------------------------------------


def _data(request: HttpRequest) -> tuple[Any, Any]:
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


def _asked_movement(request: HttpRequest) -> Movement | None:
    """The movement of `?movement=`, one the user may see; others answer 404."""
    pk = request.GET.get("movement", "")
    if not pk:
        return None
    if not pk.isascii() or not pk.isdigit():
        raise Http404
    movement = get_object_or_404(Movement.objects.select_related("organization"), pk=int(pk))
    if not can_view_movement(request.user, movement):
        raise Http404
    return movement


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    """Record an activity; `?org=` fixes the organization (and offers the movements that
    reach it), `?movement=` preselects a movement and offers the organizations it reaches."""
    if not can(request.user, Perm.RECORD_ACTIVITIES):
        raise Http404
    movement = _asked_movement(request)
    org = None
    more = False
    if request.GET.get("org"):
        org = get_org(request, request.GET["org"], Perm.RECORD_ACTIVITIES)
        if org.archived:
            raise Http404
        organizations, movements = None, movements_for(org)
        if movement is not None and not reaches(movement, org):
            movement = None
    else:
        recorders = Organization.objects.filter(scoped_org_q(request, Perm.RECORD_ACTIVITIES))
        if movement is not None:
            recorders = recorders.filter(subtree_q(movement.organization.path))
        organizations, more = _bounded(recorders)
        movements = _movements_in_reach(request)
    partners, _more = _bounded(Organization.objects.filter(scoped_org_q(request, Perm.VIEW_ORGS)))
    data, files = _data(request)
    form = ActivityForm(
        data,
        files,
        initial={"movement": movement.pk if movement else None},
        organizations=organizations,
        movements=movements,
        partners=partners,
    )
    if form.is_valid():
        values = form.activity_data()
        if org is not None:
            values["organization"] = org
        response = submit_once(
            form,
            lambda: services.record_activity(
                by=request.user, photos=form.processed_photos, **values
            ),
            lambda activity: reverse("movements:activity_detail", args=[activity.pk]),
        )
        if response:
            messages.success(request, _("The activity was recorded."))
            return response
    context = {
        "form": form,
        "title": _("Record an activity"),
        "org": org,
        "more": more,
        "cancel_url": reverse("movements:activity_list"),
    }
    return render(request, "movements/activities/form.html", context)


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity(request, pk, Perm.RECORD_ACTIVITIES)
    initial = activity_initial(activity)
    recorders = Organization.objects.filter(scoped_org_q(request, Perm.RECORD_ACTIVITIES))
    organizations, more = _bounded(recorders, keep=[activity.organization_id])
    partners, _more = _bounded(
        Organization.objects.filter(scoped_org_q(request, Perm.VIEW_ORGS)),
        keep=initial["partners"],
    )
    movements = _movements_in_reach(request, keep=activity.movement_id)
    types = ActivityType.objects.filter(Q(active=True) | Q(pk=activity.activity_type_id))
    data, files = _data(request)
    form = ActivityForm(
        data,
        files,
        initial=initial,
        organizations=organizations,
        movements=movements,
        partners=partners,
        activity_types=types,
        with_photos=False,
    )
    detail_url = reverse("movements:activity_detail", args=[activity.pk])
    context = {
        "title": _("Correct the activity"),
        "activity": activity,
        "more": more,
        "cancel_url": detail_url,
    }
    return form_page(
        request,
        form,
        lambda: services.update_activity(activity, by=request.user, **form.activity_data()),
        lambda updated: reverse("movements:activity_detail", args=[updated.pk]),
        context,
        "movements/activities/form.html",
    )


@login_required
@require_POST
def activity_delete(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity(request, pk, Perm.RECORD_ACTIVITIES)
    return post_action(
        request,
        lambda: services.delete_activity(activity, by=request.user),
        _("The activity was deleted."),
        reverse("movements:activity_list"),
        refused_url=reverse("movements:activity_detail", args=[activity.pk]),
    )


# --- the activity's page ------------------------------------------------------------------


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity(request, pk)
    may_record = can(request.user, Perm.RECORD_ACTIVITIES, activity.organization)
    photos = list(activity.photos.all())
    context = {
        "activity": activity,
        "photos": photos,
        "partners": list(activity.partners.order_by("path")),
        "can_record": may_record,
        "can_add_photos": may_record and len(photos) < services.MAX_PHOTOS,
        "photo_form": PhotoAddForm() if may_record else None,
        "max_photos": services.MAX_PHOTOS,
    }
    return render(request, "movements/activities/detail.html", context)


# --- photos -------------------------------------------------------------------------------


@login_required
def activity_photo(request: HttpRequest, pk: int, variant: str) -> FileResponse:
    """A photo or its thumbnail, for those who may see the activity; others get 404."""
    photo = get_object_or_404(ActivityPhoto.objects.select_related("activity__organization"), pk=pk)
    if not can(request.user, Perm.VIEW_PROGRAMS, photo.activity.organization):
        raise Http404
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


@login_required
@require_POST
def activity_photo_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity(request, pk, Perm.RECORD_ACTIVITIES)
    detail_url = reverse("movements:activity_detail", args=[activity.pk])
    form = PhotoAddForm(request.POST, request.FILES)
    if form.is_valid():
        response = submit_once(
            form,
            lambda: services.add_photos(
                activity, by=request.user, photos=form.cleaned_data["photos"]
            ),
            lambda photos: detail_url,
        )
        if response:
            messages.success(request, _("The photos were added."))
            return response
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect(detail_url)


@login_required
@require_POST
def activity_photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(ActivityPhoto.objects.select_related("activity__organization"), pk=pk)
    if not can(request.user, Perm.RECORD_ACTIVITIES, photo.activity.organization):
        raise Http404
    return post_action(
        request,
        lambda: services.delete_photo(photo, by=request.user),
        _("The photo was deleted."),
        reverse("movements:activity_detail", args=[photo.activity_id]),
    )


# --- commendation -------------------------------------------------------------------------


@login_required
def activity_put_forward(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity(request, pk, Perm.RECORD_ACTIVITIES)
    return put_forward_page(
        request, activity, reverse("movements:activity_detail", args=[activity.pk])
    )


@login_required
@require_POST
def activity_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _get_activity(request, pk, Perm.RECORD_ACTIVITIES)
    return withdraw_action(
        request, activity, reverse("movements:activity_detail", args=[activity.pk])
    )
