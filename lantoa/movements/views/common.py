"""Page helpers shared by the pages of activities, initiatives and good deeds: list
filters, the people search, the organizations one may record in, putting forward."""

from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lantoa.core.actions import form_page, post_action
from lantoa.core.text import search_key
from lantoa.movements.forms.common import PutForwardForm
from lantoa.movements.services import proposals
from lantoa.orgs.models import Organization, Person
from lantoa.orgs.queries import people_matching
from lantoa.orgs.rules import Perm, can, granted_paths, visible_organizations, visible_people
from lantoa.orgs.scope import current_scope
from lantoa.orgs.views.common import get_org, scoped_org_q

MAX_PEOPLE_OFFERED = 20  # people offered by a name search; more: type more of the name
PUT_FORWARD_CHOICES = ("yes", "no")


def asked_year(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "").strip()
    if value.isascii() and value.isdigit() and 1900 <= int(value) <= 2200:
        return int(value)
    return None


def asked_org(request: HttpRequest) -> Organization | None:
    """The organization of the `?org=` filter: one the user may see, or 404."""
    value = request.GET.get("org", "").strip()
    return get_org(request, value, Perm.VIEW_PROGRAMS) if value else None


def query_without_org(request: HttpRequest) -> str:
    """The list's query string without the organization filter (nor the page)."""
    params = request.GET.copy()
    params.pop("org", None)
    params.pop("page", None)
    return params.urlencode()


def put_forward_filter(queryset: QuerySet, value: str) -> QuerySet:
    """`?put_forward=yes|no`: only the records put forward for commendation, or the others."""
    if value == "yes":
        return queryset.filter(put_forward_at__isnull=False)
    if value == "no":
        return queryset.filter(put_forward_at__isnull=True)
    return queryset


def people_choices(request: HttpRequest, text: str) -> tuple[list[Person], bool]:
    """People the user may see whose name contains the text (diacritics ignored), sorted,
    and whether there are more than those offered."""
    if len(search_key(text)) < 2 or not can(request.user, Perm.VIEW_PEOPLE):
        return [], False
    people = people_matching(visible_people(request.user).filter(archived=False), text)
    found = list(people.select_related("organization").sorted()[: MAX_PEOPLE_OFFERED + 1])
    return found[:MAX_PEOPLE_OFFERED], len(found) > MAX_PEOPLE_OFFERED


def render_people_choices(
    request: HttpRequest, *, field: str, input_type: str, form_id: str
) -> HttpResponse:
    """The results of a people search as choices tied to the form `form_id` (htmx)."""
    if not (can(request.user, Perm.RECORD_ACTIVITIES) and can(request.user, Perm.VIEW_PEOPLE)):
        raise Http404
    text = request.GET.get("find", "").strip()[:100]
    people, more = people_choices(request, text)
    context = {
        "people": people,
        "more": more,
        "find": text,
        "field": field,
        "input_type": input_type,
        "form_id": form_id,
    }
    return render(request, "movements/initiatives/_people_choices.html", context)


def put_forward_page(
    request: HttpRequest, record: proposals.Proposable, detail_url: str
) -> HttpResponse:
    """The form that puts a record forward for commendation, with the reason."""
    if not can(request.user, Perm.RECORD_ACTIVITIES, record.organization):
        raise Http404
    form = PutForwardForm(request.POST or None)
    return form_page(
        request,
        form,
        lambda: proposals.put_forward(record, by=request.user, note=form.cleaned_data["note"]),
        lambda _record: detail_url,
        {"record": record, "cancel_url": detail_url},
        "movements/put_forward_form.html",
        done=_("It was put forward for commendation."),
    )


def withdraw_action(
    request: HttpRequest, record: proposals.Proposable, detail_url: str
) -> HttpResponse:
    if not can(request.user, Perm.RECORD_ACTIVITIES, record.organization):
        raise Http404
    return post_action(
        request,
        lambda: proposals.withdraw(record, by=request.user),
        _("It was withdrawn from commendation."),
        detail_url,
    )


def recording_organizations(request: HttpRequest, current: Model | None = None) -> QuerySet:
    """Organizations where the user may record, not archived, in the working scope (and the
    one already chosen, wherever it is)."""
    organizations = visible_organizations(request.user, Perm.RECORD_ACTIVITIES)
    query = scoped_org_q(request, Perm.RECORD_ACTIVITIES) & Q(archived=False)
    if current is not None:
        query |= Q(pk=current.pk)
    return organizations.filter(query)


def default_organization(request: HttpRequest) -> Organization | None:
    """The working scope, or the organization of the user's only grant to record."""
    scope = current_scope(request)
    if scope is not None and can(request.user, Perm.RECORD_ACTIVITIES, scope):
        return scope
    paths = granted_paths(request.user, Perm.RECORD_ACTIVITIES)
    if len(paths) == 1 and paths[0]:
        return Organization.objects.filter(path=paths[0], archived=False).first()
    return None
