"""The audit trail page: who changed or viewed what, filtered by person, organization,
object and period, and exported to XLSX with the same filters."""

import datetime

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lantoa.core.exports import export_response
from lantoa.core.forms import DateInput
from lantoa.core.models import AuditEntry
from lantoa.core.pages import paginate, query_without_page
from lantoa.core.text import search_key
from lantoa.orgs.audit_labels import describe
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, can, visible_organizations
from lantoa.orgs.views.common import scoped_org_q


class AuditFilterForm(forms.Form):
    actor = forms.CharField(label=gettext_lazy("Changed by"), required=False, max_length=150)
    org = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=Organization.objects.none(), required=False
    )
    obj = forms.CharField(label=gettext_lazy("Object"), required=False, max_length=200)
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=DateInput())
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=DateInput())


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def filtered_entries(request: HttpRequest):
    form = AuditFilterForm(request.GET or None)
    form.fields["org"].queryset = visible_organizations(request.user, Perm.VIEW_AUDIT).order_by(
        "path"
    )
    entries = AuditEntry.objects.filter(
        scoped_org_q(request, Perm.VIEW_AUDIT, "organization_path")
        | (Q(organization_path="") if request.user.is_superuser else Q(pk__in=[]))
    ).select_related("actor", "content_type")
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            users = get_user_model().objects.filter(
                Q(username__icontains=data["actor"]) | Q(email__icontains=data["actor"])
            )
            entries = entries.filter(actor__in=users)
        if data["org"]:
            entries = entries.filter(organization_path__startswith=data["org"].path)
        if data["obj"]:
            text = data["obj"].strip()
            entries = entries.filter(
                Q(object_repr__icontains=text)
                | Q(object_repr__icontains=search_key(text))
                | Q(object_pk=text)
            )
        if data["date_from"]:
            entries = entries.filter(timestamp__gte=_day_start(data["date_from"]))
        if data["date_to"]:
            next_day = data["date_to"] + datetime.timedelta(days=1)
            entries = entries.filter(timestamp__lt=_day_start(next_day))
    return form, entries.order_by("-timestamp", "-id")


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Perm.VIEW_AUDIT):
        raise Http404
    form, entries = filtered_entries(request)
    page = paginate(request, entries)
    describe(page.object_list)
    return render(
        request,
        "orgs/audit/list.html",
        {"form": form, "page": page, "query": query_without_page(request)},
    )


@login_required
def audit_export(request: HttpRequest, fmt: str | None = None) -> HttpResponse:
    if not (can(request.user, Perm.VIEW_AUDIT) and can(request.user, Perm.EXPORT)):
        raise Http404
    _form, entries = filtered_entries(request)
    headers = [
        _("Time"),
        _("Changed by"),
        _("Action"),
        _("Object type"),
        _("Object"),
        _("Changes"),
        _("Address"),
    ]
    rows = (
        (
            timezone.localtime(e.timestamp),
            e.actor.get_username() if e.actor else "",
            e.label,
            str(e.content_type.name) if e.content_type else "",
            e.object_repr,
            "; ".join(e.lines),
            e.remote_addr or "",
        )
        for e in _described(entries)
    )
    return export_response(
        request,
        filename_stem="nhat-ky",
        title=_("Audit trail"),
        headers=headers,
        rows=rows,
        fmt=fmt,
    )


def _described(entries, chunk: int = 1000):
    """Entries with their words, a chunk at a time (constant memory for big exports)."""
    batch: list[AuditEntry] = []
    for entry in entries.iterator(chunk_size=chunk):
        batch.append(entry)
        if len(batch) == chunk:
            describe(batch)
            yield from batch
            batch = []
    describe(batch)
    yield from batch
