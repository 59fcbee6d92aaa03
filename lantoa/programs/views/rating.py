"""Pages for the year-end quality rating: rating lists, scores, the cap check before
confirming, exports, and the cap settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from lantoa.core.exports import Export, export_response
from lantoa.core.forms import submit_once
from lantoa.core.pages import paginate, query_without_page
from lantoa.orgs.rules import Perm, can, scope_q, visible_organizations
from lantoa.orgs.views.common import scoped_org_q
from lantoa.programs.forms.rating import (
    CapSettingForm,
    RatedOnForm,
    RatingListForm,
    ScoresForm,
    decimal_text,
)
from lantoa.programs.models import (
    CommitmentResult,
    RatingCapSetting,
    RatingLevel,
    RatingList,
    RatingRule,
)
from lantoa.programs.models.registration import YEAR_MAX, YEAR_MIN
from lantoa.programs.queries import rating as queries
from lantoa.programs.services import rating as services


def _get_list(request: HttpRequest, pk: int) -> RatingList:
    rating_list = get_object_or_404(
        RatingList.objects.select_related("organization", "confirmed_by"), pk=pk
    )
    if not can(request.user, Perm.RATE_MEMBERS, rating_list.organization):
        raise Http404
    return rating_list


def _year_filter(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    return int(value) if value.isdigit() and YEAR_MIN <= int(value) <= YEAR_MAX else None


def filtered_rating_lists(request: HttpRequest) -> tuple[QuerySet[RatingList], int | None]:
    """The lists the user rates, by year: shared by the page and its export."""
    lists = RatingList.objects.filter(
        scoped_org_q(request, Perm.RATE_MEMBERS, "organization__path")
    ).select_related("organization", "confirmed_by")
    year = _year_filter(request)
    if year is not None:
        lists = lists.filter(year=year)
    return lists.order_by("-year", "organization__path", "id"), year


@login_required
def rating_list_index(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.RATE_MEMBERS):
        raise Http404
    lists, year = filtered_rating_lists(request)
    context = {
        "page": paginate(request, lists),
        "year": year,
        "query": query_without_page(request),
        "can_set_caps": services.can_set_caps(request.user),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "programs/rating/list_index.html", context)


RATING_LISTS_EXPORT = Export(
    "danh-sach-xep-loai",
    gettext_lazy("Rating lists"),
    (
        (gettext_lazy("Organization code"), lambda r: r.organization.code),
        (gettext_lazy("Organization"), lambda r: r.organization.name),
        (gettext_lazy("Year"), lambda r: r.year),
        (gettext_lazy("Date of the rating"), lambda r: r.rated_on),
        (gettext_lazy("Status"), lambda r: r.get_status_display()),
        (
            gettext_lazy("Confirmed by"),
            lambda r: r.confirmed_by.get_username() if r.confirmed_by else "",
        ),
        (gettext_lazy("Confirmed at"), lambda r: r.confirmed_at),
    ),
)


@login_required
def rating_list_index_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The lists of the page, limited to the subtrees where the user may export."""
    if not (can(request.user, Perm.RATE_MEMBERS) and can(request.user, Perm.EXPORT)):
        raise Http404
    lists, _year = filtered_rating_lists(request)
    lists = lists.filter(scope_q(request.user, Perm.EXPORT, "organization__path"))
    return RATING_LISTS_EXPORT.response(request, lists, fmt)


@login_required
def rating_list_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.RATE_MEMBERS):
        raise Http404
    today = timezone.localdate()
    initial = {"year": today.year, "rated_on": today}
    if request.GET.get("org", "").isdigit():
        initial["organization"] = request.GET["org"]
    form = RatingListForm(
        request.POST or None,
        initial=initial,
        organizations=visible_organizations(request.user, Perm.RATE_MEMBERS),
    )
    if form.is_valid():
        data = form.cleaned_data
        response = submit_once(
            form,
            lambda: services.create_rating_list(
                by=request.user,
                organization=data["organization"],
                year=data["year"],
                rated_on=data["rated_on"],
            ),
            lambda rating_list: reverse("programs:rating_list_detail", args=[rating_list.pk]),
        )
        if response:
            messages.success(request, _("The rating list was created."))
            return response
    context = {
        "form": form,
        "title": _("New rating list"),
        "cancel_url": reverse("programs:rating_lists"),
    }
    return render(request, "programs/rating/form.html", context)


def _rows_with_fields(rows: list, form: ScoresForm | None) -> list[tuple]:
    """Each person with their fields (None once confirmed) and display labels."""
    levels, results = dict(RatingLevel.choices), dict(CommitmentResult.choices)
    for person in rows:
        person.level_label = levels.get(person.rating_level, "")
        person.self_result_label = results.get(person.commitment_self_result, "")
        person.cell_result_label = results.get(person.commitment_cell_result, "")
    return [(person, form.row_fields(person.pk) if form else None) for person in rows]


@login_required
def rating_list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The list with a score field per member (while a draft), each member's commitment
    result beside the rating, and the cap check that decides whether it may be confirmed."""
    rating_list = _get_list(request, pk)
    page = paginate(request, queries.rating_rows(rating_list))
    rows = list(page.object_list)
    form = None
    if not rating_list.is_confirmed:
        form = ScoresForm(request.POST or None, rows=rows)
        if form.is_valid():
            url = reverse("programs:rating_list_detail", args=[rating_list.pk])
            page_query = f"?page={page.number}" if page.number > 1 else ""
            response = submit_once(
                form,
                lambda: services.save_scores(rating_list, form.entries(), by=request.user),
                lambda rating_list: url + page_query,
            )
            if response:
                messages.success(request, _("The scores were saved."))
                return response
    counts = queries.level_counts(rating_list)
    check = services.cap_check(rating_list, counts)
    unrated = queries.unrated_count(rating_list)
    context = {
        "rating_list": rating_list,
        "page": page,
        "rows": _rows_with_fields(rows, form),
        "form": form,
        "query": query_without_page(request),
        "counts": [(value, label, counts.get(value, 0)) for value, label in RatingLevel.choices],
        "check": check,
        "unrated": unrated,
        "rule": queries.rule_in_force(rating_list.rated_on),
        "can_confirm": not rating_list.is_confirmed and not check.over and not unrated,
        "can_export": can(request.user, Perm.EXPORT, rating_list.organization),
    }
    return render(request, "programs/rating/list_detail.html", context)


@login_required
def rating_list_edit(request: HttpRequest, pk: int) -> HttpResponse:
    rating_list = _get_list(request, pk)
    url = reverse("programs:rating_list_detail", args=[rating_list.pk])
    if rating_list.is_confirmed:
        messages.error(request, _("This rating list is confirmed and can no longer be changed."))
        return redirect(url)
    form = RatedOnForm(request.POST or None, initial={"rated_on": rating_list.rated_on})
    if form.is_valid():
        response = submit_once(
            form,
            lambda: services.update_rating_list(
                rating_list, by=request.user, rated_on=form.cleaned_data["rated_on"]
            ),
            lambda rating_list: url,
        )
        if response:
            messages.success(request, _("The rating list was saved."))
            return response
    context = {"form": form, "rating_list": rating_list, "title": _("Edit"), "cancel_url": url}
    return render(request, "programs/rating/form.html", context)


@login_required
@require_POST
def rating_list_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    rating_list = _get_list(request, pk)
    url = reverse("programs:rating_list_detail", args=[rating_list.pk])
    try:
        services.confirm_rating_list(rating_list, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(url)
    messages.success(request, _("The rating list was confirmed."))
    return redirect(url)


@login_required
def rating_list_export(request: HttpRequest, pk: int, fmt: str | None = None) -> HttpResponse:
    rating_list = _get_list(request, pk)
    if not can(request.user, Perm.EXPORT, rating_list.organization):
        raise Http404
    levels = {value: str(label) for value, label in RatingLevel.choices}
    results = {value: str(label) for value, label in CommitmentResult.choices}
    headers = [
        _("Full name"),
        _("Organization"),
        _("Score"),
        _("Level"),
        _("A disqualifying condition applies"),
        _("Note"),
        _("Self-assessed result"),
        _("The cell's result"),
    ]
    rows = (
        (
            p.full_name,
            p.organization.name if p.organization else "",
            p.rating_score,
            levels.get(p.rating_level, ""),
            _("yes") if p.rating_disqualified else "",
            p.rating_note,
            results.get(p.commitment_self_result, ""),
            results.get(p.commitment_cell_result, ""),
        )
        for p in queries.rating_rows(rating_list).iterator(chunk_size=2000)
    )
    filename = f"xep-loai-{rating_list.year}-{rating_list.organization.code}"
    return export_response(
        request, filename_stem=filename, title=_("Rating"), headers=headers, rows=rows, fmt=fmt
    )


# --- cap settings ------------------------------------------------------------------------


def filtered_cap_settings(request: HttpRequest) -> QuerySet[RatingCapSetting]:
    """The cap settings in the working scope, shared by the page and its export."""
    settings = RatingCapSetting.objects.filter(
        scoped_org_q(request, Perm.RATE_MEMBERS, "organization__path")
    ).select_related("organization")
    return settings.order_by("-year", "organization__path", "valid_from", "id")


@login_required
def cap_setting_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.RATE_MEMBERS):
        raise Http404
    context = {
        "page": paginate(request, filtered_cap_settings(request)),
        "query": query_without_page(request),
        "rules": RatingRule.objects.all(),
        "can_set_caps": services.can_set_caps(request.user),
        "can_export": can(request.user, Perm.EXPORT),
    }
    return render(request, "programs/rating/cap_list.html", context)


CAPS_EXPORT = Export(
    "tran-xuat-sac",
    gettext_lazy("Caps on excellent ratings"),
    (
        (gettext_lazy("Organization code"), lambda c: c.organization.code),
        (gettext_lazy("Organization"), lambda c: c.organization.name),
        (gettext_lazy("Year"), lambda c: c.year),
        (gettext_lazy("Cap (%)"), lambda c: c.cap_percent),
        (gettext_lazy("Valid from"), lambda c: c.valid_from),
        (gettext_lazy("Valid to"), lambda c: c.valid_to),
        (gettext_lazy("Note"), lambda c: c.note),
    ),
)


@login_required
def cap_setting_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    """The page's settings, limited to the subtrees where the user may export."""
    if not (can(request.user, Perm.RATE_MEMBERS) and can(request.user, Perm.EXPORT)):
        raise Http404
    settings = filtered_cap_settings(request).filter(
        scope_q(request.user, Perm.EXPORT, "organization__path")
    )
    return CAPS_EXPORT.response(request, settings, fmt)


def _cap_form_page(request: HttpRequest, setting: RatingCapSetting | None) -> HttpResponse:
    initial = {}
    if setting is not None:
        initial = {name: getattr(setting, name) for name in CapSettingForm.FIELDS}
        initial["cap_percent"] = decimal_text(setting.cap_percent)
    orgs = visible_organizations(request.user, Perm.MANAGE_PLANS)
    form = CapSettingForm(request.POST or None, initial=initial, organizations=orgs)
    url = reverse("programs:cap_settings")
    if form.is_valid():
        response = submit_once(
            form,
            lambda: services.save_cap_setting(
                by=request.user, instance=setting, **form.setting_data()
            ),
            lambda saved: url,
        )
        if response:
            messages.success(request, _("The cap was saved."))
            return response
    title = _("Edit") if setting else _("New cap on excellent ratings")
    return render(
        request, "programs/rating/form.html", {"form": form, "title": title, "cancel_url": url}
    )


@login_required
def cap_setting_create(request: HttpRequest) -> HttpResponse:
    if not services.can_set_caps(request.user):
        raise Http404
    return _cap_form_page(request, None)


@login_required
def cap_setting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    setting = get_object_or_404(RatingCapSetting.objects.select_related("organization"), pk=pk)
    if not services.can_set_caps(request.user, setting.organization):
        raise Http404
    return _cap_form_page(request, setting)
