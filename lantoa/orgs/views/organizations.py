"""Pages of the organization tree: browse, search, create, rename, move, merge, archive."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import OuterRef, QuerySet, Subquery
from django.db.models.functions import Length, Substr
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lantoa.awards.queries.history import awards_of_organization
from lantoa.core.actions import post_action
from lantoa.core.exports import Export
from lantoa.core.forms import submit_once
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.orgs import queries, services
from lantoa.orgs.forms import ConfirmForm, MergeForm, MoveForm, OrganizationForm
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, can, visible_organizations
from lantoa.orgs.scope import set_scope
from lantoa.orgs.views.common import get_org, scope_root_paths, scoped_org_q


def filtered_organizations(request: HttpRequest) -> QuerySet[Organization]:
    """The tree's search (the whole tree in the user's scope without one), shared by the
    page and its export."""
    found = Organization.objects.filter(scoped_org_q(request))
    q = request.GET.get("q", "").strip()
    if q:
        found = found.filter(search_key__contains=search_key(q))
    return found


@login_required
def tree(request: HttpRequest) -> HttpResponse:
    """The tree, collapsible (children load on opening), or search results with their path."""
    q = request.GET.get("q", "").strip()
    context = {
        "q": q,
        "query": query_without_page(request),
        "can_export": can(request.user, Perm.EXPORT),
    }
    if q:
        page = paginate(request, filtered_organizations(request).order_by("archived", "path"))
        paths = {node.path[:i] for node in page for i in range(4, len(node.path), 4)}
        names = dict(Organization.objects.filter(path__in=paths).values_list("path", "name"))
        for node in page:
            node.trail = [
                names[node.path[:i]] for i in range(4, len(node.path), 4) if node.path[:i] in names
            ]
        context["page"] = page
    else:
        context["nodes"] = queries.roots_with_counts(scope_root_paths(request))
    return render(request, "orgs/tree.html", context)


@login_required
def children(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org(request, pk)
    nodes = queries.children_with_counts(org, scoped_org_q(request))
    return render(request, "orgs/_nodes.html", {"nodes": nodes})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org(request, pk)
    nodes = queries.children_with_counts(org, scoped_org_q(request))
    context = {
        "org": org,
        "ancestors": [a for a in queries.ancestors(org) if can(request.user, Perm.VIEW_ORGS, a)],
        "nodes": nodes,
        "member_count": queries.subtree_member_counts([org]).get(org.path, 0),
        "direct_count": org.people.filter(archived=False).count(),
        "can_manage": can(request.user, Perm.MANAGE_ORGS, org),
        "can_view_people": can(request.user, Perm.VIEW_PEOPLE, org),
        "merged_from": org.merged_from.all(),
        "delete_blockers": services.records_blocking_delete(org),
        "confirm_form": ConfirmForm(),
        "awards": awards_of_organization(org),
    }
    return render(request, "orgs/detail.html", context)


@login_required
def create(request: HttpRequest) -> HttpResponse:
    parent = get_org(request, request.GET.get("parent") or 0, Perm.MANAGE_ORGS)
    form = OrganizationForm(request.POST or None)
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "form_token"}
        response = submit_once(
            form,
            lambda: services.create_organization(by=request.user, parent=parent, **data),
            lambda org: reverse("orgs:detail", args=[org.pk]),
        )
        if response:
            messages.success(request, _("The organization was saved."))
            return response
    return render(
        request, "orgs/form.html", {"form": form, "parent": parent, "title": _("New organization")}
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org(request, pk, Perm.MANAGE_ORGS)
    fields = ("code", "name", "short_name", "kind", "host_name", "host_kind", "valid_from")
    initial = {name: getattr(org, name) for name in fields}
    form = OrganizationForm(request.POST or None, initial=initial, instance=org)
    if form.is_valid():
        data = {name: form.cleaned_data[name] for name in fields}
        response = submit_once(
            form,
            lambda: services.update_organization(org, by=request.user, **data),
            lambda org: reverse("orgs:detail", args=[org.pk]),
        )
        if response:
            messages.success(request, _("The organization was saved."))
            return response
    return render(request, "orgs/form.html", {"form": form, "org": org, "title": _("Edit")})


@login_required
def move(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org(request, pk, Perm.MANAGE_ORGS)
    choices = visible_organizations(request.user, Perm.MANAGE_ORGS).exclude(
        path__startswith=org.path
    )
    form = MoveForm(request.POST or None, choices=choices)
    if form.is_valid():
        response = submit_once(
            form,
            lambda: services.move_organization(org, form.cleaned_data["parent"], by=request.user),
            lambda org: reverse("orgs:detail", args=[org.pk]),
        )
        if response:
            messages.success(request, _("The organization was moved."))
            return response
    return render(request, "orgs/form.html", {"form": form, "org": org, "title": _("Move")})


@login_required
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    org = get_org(request, pk, Perm.MANAGE_ORGS)
    choices = visible_organizations(request.user, Perm.MANAGE_ORGS).exclude(
        path__startswith=org.path
    )
    form = MergeForm(request.POST or None, choices=choices)
    if form.is_valid():
        target, day = form.cleaned_data["target"], form.cleaned_data["date"]
        response = submit_once(
            form,
            lambda: services.merge_organizations(org, target, by=request.user, on=day),
            lambda target: reverse("orgs:detail", args=[target.pk]),
        )
        if response:
            messages.success(request, _("The organizations were merged."))
            return response
    return render(request, "orgs/form.html", {"form": form, "org": org, "title": _("Merge")})


def _confirmed_action(request: HttpRequest, pk: int, action, done: str, next_url) -> HttpResponse:
    org = get_org(request, pk, Perm.MANAGE_ORGS)
    return post_action(
        request,
        lambda: action(org),
        done,
        lambda result: next_url(result, org),
        refused_url=reverse("orgs:detail", args=[org.pk]),
    )


@login_required
@require_POST
def archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_action(
        request,
        pk,
        lambda org: services.archive_organization(org, by=request.user),
        _("The organization was archived."),
        lambda result, org: reverse("orgs:detail", args=[org.pk]),
    )


@login_required
@require_POST
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _confirmed_action(
        request,
        pk,
        lambda org: services.delete_organization(org, by=request.user),
        _("The organization was deleted."),
        lambda result, org: reverse("orgs:tree"),
    )


@login_required
@require_POST
def choose_scope(request: HttpRequest) -> HttpResponse:
    org_id = request.POST.get("org", "")
    org = Organization.objects.filter(pk=org_id).first() if org_id.isdigit() else None
    if org_id and (org is None or not set_scope(request, org)):
        raise Http404
    if org is None:
        set_scope(request, None)
    next_url = request.POST.get("next") or reverse("home")
    if not next_url.startswith("/") or next_url.startswith("//"):
        next_url = reverse("home")
    return redirect(next_url)


def _parent_code() -> Subquery:
    """The code of the organization one level up (a tree path step is 4 characters)."""
    step = Organization.steplen
    parent_path = Substr(OuterRef("path"), 1, Length(OuterRef("path")) - step)
    return Subquery(Organization.objects.filter(path=parent_path).values("code")[:1])


ORGANIZATIONS_EXPORT = Export(
    "to-chuc",
    gettext_lazy("Organizations"),
    # The organizations import's columns first, in its order (an export imports back
    # unchanged), then facts the import does not take.
    (
        (gettext_lazy("Code"), lambda o: o.code),
        (gettext_lazy("Name"), lambda o: o.name),
        (gettext_lazy("Short name"), lambda o: o.short_name),
        (gettext_lazy("Kind"), lambda o: o.get_kind_display()),
        (gettext_lazy("Parent code"), lambda o: o.parent_code or ""),
        (gettext_lazy("Agency or enterprise"), lambda o: o.host_name),
        (
            gettext_lazy("Kind of host unit"),
            lambda o: o.get_host_kind_display() if o.host_kind else "",
        ),
        (gettext_lazy("Valid from"), lambda o: o.valid_from),
        (gettext_lazy("Level"), lambda o: o.depth),
        (gettext_lazy("Valid to"), lambda o: o.valid_to),
        (gettext_lazy("Archived"), lambda o: _("Yes") if o.archived else ""),
    ),
)


@login_required
def export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The tree (or the search's results), limited to the subtrees the user may export."""
    if not can(request.user, Perm.EXPORT):
        raise Http404
    rows = (
        filtered_organizations(request)
        .filter(scoped_org_q(request, Perm.EXPORT))
        .annotate(parent_code=_parent_code())
        .only(
            "code",
            "name",
            "short_name",
            "kind",
            "host_name",
            "host_kind",
            "depth",
            "path",
            "valid_from",
            "valid_to",
            "archived",
        )
        .order_by("path")
    )
    return ORGANIZATIONS_EXPORT.response(request, rows, fmt)
