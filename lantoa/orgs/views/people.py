"""Pages for people: the sorted, searchable list, details, forms, transfer, private data."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from lantoa.awards.queries.history import awards_of_person
from lantoa.core.actions import post_action
from lantoa.core.exports import Export
from lantoa.core.forms import submit_once
from lantoa.core.pages import paginate, query_without_page
from lantoa.orgs import queries, services
from lantoa.orgs.forms import ConfirmForm, PersonForm, TransferForm
from lantoa.orgs.masking import mask_citizen_id, mask_email, mask_phone
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, can, scope_q, visible_organizations
from lantoa.orgs.views.common import get_org, get_person, people_in_scope, people_in_view


def filtered_people(request: HttpRequest):
    """The people list's filters, shared by the page and its export."""
    org_id = request.GET.get("org")
    org = None
    if org_id and org_id.isdigit():
        org = get_org(request, int(org_id), Perm.VIEW_PEOPLE)
        # Everyone in an organization the user may view is visible: the grants' filter
        # (an OR that reads every candidate row) would add nothing but cost.
        people = people_in_scope(request).filter(queries.in_subtree_q(org.path))
    else:
        people = people_in_view(request)
    people = people.select_related("organization", "private")
    if request.GET.get("archived") != "1":
        people = people.filter(archived=False)
    q = request.GET.get("q", "").strip()
    if q:
        people = queries.people_matching(people, q)
    return people.sorted(), org, q


@login_required
def person_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_PEOPLE):
        raise Http404
    people, org, q = filtered_people(request)
    page = paginate(request, queries.LateRows(people, few=bool(q)))
    for person in page:
        private = getattr(person, "private", None)
        person.masked_phone = mask_phone(private.phone if private else "")
        person.masked_citizen_id = mask_citizen_id(private.citizen_id if private else "")
    context = {
        "page": page,
        "q": q,
        "org": org,
        "query": query_without_page(request),
        "can_add": can(request.user, Perm.MANAGE_PEOPLE),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "orgs/people/list.html", context)


PEOPLE_EXPORT = Export(
    "dang-vien",
    gettext_lazy("People"),
    # The people import's columns (matched by header, so the names may come first): an
    # exported list imports back unchanged. Private data (citizen ID, phone, email) never.
    (
        (gettext_lazy("Family name"), lambda p: p.family_name),
        (gettext_lazy("Middle name"), lambda p: p.middle_name),
        (gettext_lazy("Given name"), lambda p: p.given_name),
        (gettext_lazy("Personal code"), lambda p: p.code or ""),
        (gettext_lazy("Gender"), lambda p: p.get_gender_display()),
        (gettext_lazy("Date of birth"), lambda p: p.birth_date),
        (gettext_lazy("Date of joining the party"), lambda p: p.party_joined_on),
        (gettext_lazy("Date of full membership"), lambda p: p.party_official_on),
        (pgettext_lazy("job", "Position"), lambda p: p.position),
        (
            gettext_lazy("Organization code"),
            lambda p: p.organization.code if p.organization else "",
        ),
        (gettext_lazy("Organization"), lambda p: p.organization.name if p.organization else ""),
    ),
)


@login_required
def person_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The filtered list, limited to the subtrees where the user may export; never private
    data (citizen ID, phone, email)."""
    if not can(request.user, Perm.EXPORT):
        raise Http404
    people, _org, _q = filtered_people(request)
    people = people.filter(scope_q(request.user, Perm.EXPORT, "organization__path"))
    return PEOPLE_EXPORT.response(request, people, fmt)


@login_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request, pk)
    private = getattr(person, "private", None) if hasattr(person, "private") else None
    org = person.organization
    context = {
        "person": person,
        "memberships": person.memberships.select_related("organization").order_by("-start_date"),
        "masked": {
            "citizen_id": mask_citizen_id(private.citizen_id if private else ""),
            "phone": mask_phone(private.phone if private else ""),
            "email": mask_email(private.email if private else ""),
        },
        "can_manage": org is not None and can(request.user, Perm.MANAGE_PEOPLE, org),
        "can_view_private": org is not None and can(request.user, Perm.VIEW_PRIVATE, org),
        "delete_blockers": services.records_blocking_person_delete(person),
        "confirm_form": ConfirmForm(),
        "awards": awards_of_person(person),
    }
    return render(request, "orgs/people/detail.html", context)


@login_required
def person_private(request: HttpRequest, pk: int) -> HttpResponse:
    """The unmasked private data, fetched on demand; each viewing goes to the audit trail."""
    person = get_person(request, pk, Perm.VIEW_PRIVATE)
    private = services.reveal_private(person, by=request.user)
    return render(request, "orgs/people/_private.html", {"private": private, "person": person})


def _manageable_orgs(request: HttpRequest):
    return visible_organizations(request.user, Perm.MANAGE_PEOPLE)


@login_required
def person_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.MANAGE_PEOPLE):
        raise Http404
    initial = {}
    if request.GET.get("org", "").isdigit():
        initial["organization"] = request.GET["org"]
    form = PersonForm(
        request.POST or None,
        initial=initial,
        organizations=_manageable_orgs(request),
        with_private=can(request.user, Perm.VIEW_PRIVATE),
    )
    if form.is_valid():
        response = submit_once(
            form,
            lambda: services.create_person(
                by=request.user,
                organization=form.cleaned_data["organization"],
                private=form.private_data(),
                **form.person_data(),
            ),
            lambda person: reverse("orgs:person_detail", args=[person.pk]),
        )
        if response:
            messages.success(request, _("The person was saved."))
            return response
    return render(request, "orgs/people/form.html", {"form": form, "title": _("New person")})


@login_required
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request, pk, Perm.MANAGE_PEOPLE)
    with_private = can(request.user, Perm.VIEW_PRIVATE, person.organization)
    initial = {name: getattr(person, name) for name in PersonForm.PERSON_FIELDS}
    if with_private and hasattr(person, "private"):
        initial |= {name: getattr(person.private, name) for name in PersonForm.PRIVATE_FIELDS}
    form = PersonForm(
        request.POST or None,
        initial=initial,
        organizations=Organization.objects.none(),
        with_private=with_private,
        with_organization=False,
    )
    if form.is_valid():
        response = submit_once(
            form,
            lambda: services.update_person(
                person, by=request.user, private=form.private_data(), **form.person_data()
            ),
            lambda person: reverse("orgs:person_detail", args=[person.pk]),
        )
        if response:
            messages.success(request, _("The person was saved."))
            return response
    return render(
        request, "orgs/people/form.html", {"form": form, "person": person, "title": _("Edit")}
    )


@login_required
def person_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    person = get_person(request, pk, Perm.MANAGE_PEOPLE)
    form = TransferForm(request.POST or None, choices=_manageable_orgs(request))
    if form.is_valid():
        data = form.cleaned_data
        response = submit_once(
            form,
            lambda: services.transfer_person(
                person, data["target"], by=request.user, on=data["date"], note=data["note"]
            ),
            lambda person: reverse("orgs:person_detail", args=[person.pk]),
        )
        if response:
            messages.success(request, _("The person was transferred."))
            return response
    return render(
        request, "orgs/people/form.html", {"form": form, "person": person, "title": _("Transfer")}
    )


def _person_action(request: HttpRequest, pk: int, action, done: str, next_url: str | None):
    person = get_person(request, pk, Perm.MANAGE_PEOPLE)
    detail = reverse("orgs:person_detail", args=[person.pk])
    return post_action(request, lambda: action(person), done, next_url or detail, detail)


@login_required
@require_POST
def person_archive(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(
        request,
        pk,
        lambda person: services.archive_person(person, by=request.user),
        _("The person was archived."),
        None,
    )


@login_required
@require_POST
def person_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _person_action(
        request,
        pk,
        lambda person: services.delete_person(person, by=request.user),
        _("The person was deleted."),
        reverse("orgs:person_list"),
    )
