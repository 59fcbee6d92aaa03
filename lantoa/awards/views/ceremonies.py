"""Pages of ceremonies: the list (with the ceremonies counted per term), planning and
changing a ceremony, its page with the honor list, holding it, and the day's papers (the
program and the honor list) as DOCX and as a printable page."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lantoa.awards.documents.ceremony import ceremony_docx, download_name, honor_list
from lantoa.awards.forms.ceremonies import CeremonyForm
from lantoa.awards.models import Award, Ceremony, Round
from lantoa.awards.services import ceremonies as services
from lantoa.awards.views.committee import top_organization
from lantoa.core.actions import form_page, post_action
from lantoa.core.exports import Export
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.orgs.models import Organization
from lantoa.orgs.queries import in_subtree_q
from lantoa.orgs.rules import Perm, can, scope_q
from lantoa.orgs.views.common import get_org, scoped_org_q

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FIRST_YEAR, LAST_YEAR = 1930, 2200
MAX_ORGS_LISTED = 500
ROUNDS_OFFERED = 100
FORM_TEMPLATE = "awards/ceremonies/form.html"


def detail_url(ceremony: Ceremony) -> str:
    return reverse("awards:ceremony_detail", args=[ceremony.pk])


def get_ceremony(request: HttpRequest, pk: int, manage: bool = False) -> Ceremony:
    """A ceremony the user may see (or manage); others answer 404."""
    ceremony = get_object_or_404(Ceremony.objects.select_related("organization"), pk=pk)
    perm = Perm.MANAGE_ROUNDS if manage else Perm.VIEW_PROGRAMS
    if not can(request.user, perm, ceremony.organization):
        raise Http404
    return ceremony


# --- the list -----------------------------------------------------------------------------


def _matching(ceremonies: QuerySet[Ceremony], text: str) -> QuerySet[Ceremony]:
    """Ceremonies whose title, place or rounds contain the text, diacritics ignored."""
    key = search_key(text)
    if not key:
        return ceremonies
    through = Ceremony.rounds.through.objects.filter(round__search_key__contains=key)
    return ceremonies.filter(Q(search_key__contains=key) | Q(pk__in=through.values("ceremony_id")))


def _filtered(request: HttpRequest) -> tuple[QuerySet[Ceremony], dict[str, Any]]:
    ceremonies = Ceremony.objects.filter(
        scoped_org_q(request, Perm.VIEW_PROGRAMS, "organization__path")
    )
    org = None
    if request.GET.get("org"):
        org = get_org(request, request.GET["org"], Perm.VIEW_PROGRAMS)
        ceremonies = ceremonies.filter(in_subtree_q(org.path))
    value = request.GET.get("year", "").strip()
    year = int(value) if value.isascii() and value.isdigit() and len(value) == 4 else None
    if year is not None and FIRST_YEAR <= year <= LAST_YEAR:
        ceremonies = ceremonies.filter(
            date__gte=datetime.date(year, 1, 1), date__lte=datetime.date(year, 12, 31)
        )
    else:
        year = None
    q = request.GET.get("q", "").strip()[:200]
    if q:
        ceremonies = _matching(ceremonies, q)
    return ceremonies, {"org": org, "year": year, "q": q}


def filtered_ceremonies(request: HttpRequest) -> tuple[QuerySet[Ceremony], dict[str, Any]]:
    """The list's rows with their honored counts, shared by the page and its export."""
    ceremonies, filters = _filtered(request)
    rows = (
        ceremonies.select_related("organization")
        .annotate(honored_count=Count("honored", distinct=True))
        .order_by("-date", "-id")
    )
    return rows, filters


@login_required
def ceremony_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PROGRAMS):
        raise Http404
    rows, filters = filtered_ceremonies(request)
    counted = filters["org"] or top_organization(request)
    context = {
        "page": paginate(request, rows),
        "filters": filters,
        "query": query_without_page(request),
        "counted": counted,
        "per_term": services.ceremonies_per_term(counted) if counted else [],
        "can_plan": can(request.user, Perm.MANAGE_ROUNDS),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "awards/ceremonies/list.html", context)


CEREMONIES_EXPORT = Export(
    "le-tuyen-duong",
    gettext_lazy("Ceremonies"),
    (
        (gettext_lazy("Date"), lambda c: c.date),
        (gettext_lazy("Ceremony"), lambda c: c.title),
        (gettext_lazy("Organization code"), lambda c: c.organization.code),
        (gettext_lazy("Held by"), lambda c: c.organization.name),
        (gettext_lazy("Place"), lambda c: c.place),
        (gettext_lazy("Honored"), lambda c: c.honored_count),
        (gettext_lazy("Status"), lambda c: _("Held") if c.held else _("Planned")),
    ),
)


@login_required
def ceremony_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The filtered ceremonies, limited to the subtrees where the user may export."""
    if not (can(request.user, Perm.VIEW_PROGRAMS) and can(request.user, Perm.EXPORT)):
        raise Http404
    rows, _filters = filtered_ceremonies(request)
    rows = rows.filter(scope_q(request.user, Perm.EXPORT, "organization__path"))
    return CEREMONIES_EXPORT.response(request, rows, fmt)


# --- planning -----------------------------------------------------------------------------


def _organizations(request: HttpRequest, keep: Organization | None = None) -> QuerySet:
    query = scoped_org_q(request, Perm.MANAGE_ROUNDS) & Q(archived=False)
    ids = list(
        Organization.objects.filter(query)
        .order_by("path")
        .values_list("pk", flat=True)[:MAX_ORGS_LISTED]
    )
    if keep is not None:
        ids.append(keep.pk)
    return Organization.objects.filter(pk__in=ids)


def _rounds(request: HttpRequest, keep: list[int] = ()) -> QuerySet[Round]:
    """Rounds of the organizations the user may manage, the latest first."""
    ids = list(
        Round.objects.filter(scoped_org_q(request, Perm.MANAGE_ROUNDS, "organization__path"))
        .order_by("-year", "-id")
        .values_list("pk", flat=True)[:ROUNDS_OFFERED]
    )
    return Round.objects.filter(pk__in=[*ids, *keep]).order_by("-year", "-id")


@login_required
def ceremony_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.MANAGE_ROUNDS):
        raise Http404
    initial: dict[str, Any] = {}
    if request.GET.get("org"):
        initial["organization"] = get_org(request, request.GET["org"], Perm.MANAGE_ROUNDS).pk
    else:
        top = top_organization(request)
        if top is not None and can(request.user, Perm.MANAGE_ROUNDS, top):
            initial["organization"] = top.pk
    value = request.GET.get("round", "")
    if value.isascii() and value.isdigit():
        initial["rounds"] = [int(value)]
    form = CeremonyForm(
        request.POST or None,
        organizations=_organizations(request),
        rounds=_rounds(request),
        initial=initial,
    )
    return form_page(
        request,
        form,
        lambda: services.create_ceremony(
            by=request.user, organization=form.cleaned_data["organization"], **form.values()
        ),
        detail_url,
        {"title": _("Plan a ceremony"), "cancel_url": reverse("awards:ceremony_list")},
        FORM_TEMPLATE,
        done=_("The ceremony was planned with every award not yet honored: check the list."),
    )


def _honorable(ceremony: Ceremony) -> QuerySet[Award]:
    return services.honorable_awards(ceremony.rounds.all())


@login_required
def ceremony_edit(request: HttpRequest, pk: int) -> HttpResponse:
    ceremony = get_ceremony(request, pk, manage=True)
    if ceremony.held:
        messages.error(request, _("This ceremony has been held: it cannot be changed."))
        return redirect(detail_url(ceremony))
    current_rounds = {r.pk for r in ceremony.rounds.all()}
    honorable = _honorable(ceremony)
    form = CeremonyForm(
        request.POST or None,
        organizations=None,
        rounds=_rounds(request, keep=list(current_rounds)),
        ceremony=ceremony,
        honorable=honorable,
    )
    rows = list(
        honorable.select_related("person__organization", "collective", "form", "decision").order_by(
            "decision__date", "decision_id", "position", "id"
        )
    )

    def save() -> Ceremony:
        values = form.values()
        same_rounds = {r.pk for r in values["rounds"]} == current_rounds
        honored = list(form.cleaned_data["honored"]) if same_rounds else None
        return services.update_ceremony(ceremony, by=request.user, honored=honored, **values)

    context = {
        "title": _("Change the ceremony"),
        "ceremony": ceremony,
        "rows": rows,
        "ticked": form.ticked(),
        "cancel_url": detail_url(ceremony),
    }
    return form_page(request, form, save, detail_url, context, FORM_TEMPLATE)


@login_required
@require_POST
def ceremony_hold(request: HttpRequest, pk: int) -> HttpResponse:
    ceremony = get_ceremony(request, pk, manage=True)
    return post_action(
        request,
        lambda: services.hold_ceremony(ceremony, by=request.user),
        _("The ceremony is recorded as held; those honored are marked honored."),
        detail_url(ceremony),
    )


# --- its page and papers ------------------------------------------------------------------


def _context(ceremony: Ceremony) -> dict[str, Any]:
    return {
        "ceremony": ceremony,
        "rounds": list(ceremony.rounds.select_related("organization").order_by("-year", "id")),
        "honored": honor_list(ceremony),
        "program": [line.strip() for line in ceremony.program.splitlines() if line.strip()],
    }


@login_required
def ceremony_detail(request: HttpRequest, pk: int) -> HttpResponse:
    ceremony = get_ceremony(request, pk)
    context = _context(ceremony)
    context["can_manage"] = can(request.user, Perm.MANAGE_ROUNDS, ceremony.organization)
    return render(request, "awards/ceremonies/detail.html", context)


@login_required
def ceremony_print(request: HttpRequest, pk: int) -> HttpResponse:
    ceremony = get_ceremony(request, pk)
    return render(request, "awards/ceremonies/print.html", _context(ceremony))


@login_required
def ceremony_docx_view(request: HttpRequest, pk: int) -> HttpResponse:
    ceremony = get_ceremony(request, pk)
    response = HttpResponse(ceremony_docx(ceremony), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{download_name(ceremony)}"'
    return response
