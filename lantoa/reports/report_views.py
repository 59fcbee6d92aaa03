"""Pages of the generated summary reports: choose an organization and a year or a term,
follow the background job's progress bar, download the DOCX, XLSX and PDF.

Whoever sees the results of an organization (VIEW_PROGRAMS) may generate its reports and
download them; a job of an organization outside the user's grants answers 404.
"""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lantoa.awards.views.committee import top_organization
from lantoa.core.forms import LantoaForm
from lantoa.core.pages import XLSX_TYPE
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, can
from lantoa.orgs.views.common import get_org
from lantoa.programs.models import Term
from lantoa.reports import services
from lantoa.reports.figures import Period
from lantoa.reports.models import ReportJob, ReportKind
from lantoa.reports.periods import YEAR_MAX, YEAR_MIN, term_period, terms_for, year_period

__all__ = ["ReportForm", "report_file", "report_job", "report_job_progress", "report_new"]

JOBS_SHOWN = 10
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": XLSX_TYPE,
    "pdf": "application/pdf",
}


# --- choosing what to report ----------------------------------------------------------------------


def _base(request: HttpRequest) -> Organization:
    """The organization asked for (?org=), or the working scope, or the top of the grants."""
    if request.GET.get("org"):
        return get_org(request, request.GET["org"], Perm.VIEW_PROGRAMS)
    org = top_organization(request)
    if org is None:
        raise Http404
    return org


def _organizations(base: Organization) -> QuerySet[Organization]:
    """The base organization and its sub-units (not archived)."""
    below = Q(path__startswith=base.path, depth=base.depth + 1, archived=False)
    return Organization.objects.filter(Q(pk=base.pk) | below).order_by("path")


class ReportForm(LantoaForm):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=Organization.objects.none()
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Report"),
        choices=ReportKind.choices,
        widget=forms.RadioSelect,
        initial=ReportKind.TERM,
    )
    year = forms.IntegerField(
        label=gettext_lazy("Year"),
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6, "autocomplete": "off"}),
    )
    term = forms.ModelChoiceField(
        label=gettext_lazy("Term"), queryset=Term.objects.none(), required=False
    )

    def __init__(self, *args, base: Organization, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = _organizations(base)
        self.fields["term"].queryset = terms_for(base)
        self.fields["organization"].empty_label = None
        today = timezone.localdate()
        ended = [t for t in self.fields["term"].queryset if t.end_date and t.end_date < today]
        self.initial.setdefault("organization", base.pk)
        self.initial.setdefault("year", today.year)
        if ended:
            self.initial.setdefault("term", ended[0].pk)

    def clean(self) -> dict:
        data = super().clean()
        kind = data.get("kind")
        if kind == ReportKind.YEAR and not data.get("year"):
            self.add_error("year", _("Type the year of the report."))
        if kind == ReportKind.TERM and not data.get("term"):
            self.add_error("term", _("Choose the term of the report."))
        return data

    def period(self) -> Period:
        data = self.cleaned_data
        if data["kind"] == ReportKind.TERM:
            return term_period(data["term"])
        return year_period(data["year"])


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    """GET: the choice of organization and period, with the latest reports; POST: start."""
    base = _base(request)
    form = ReportForm(request.POST or None, base=base)
    if request.method == "POST" and form.is_valid():
        organization = form.cleaned_data["organization"]
        try:
            job = services.start_report(
                organization, form.period(), form.cleaned_data["kind"], by=request.user
            )
        except ValidationError as error:
            form.apply_errors(error)
        else:
            return redirect("reports:report_job", pk=job.pk)
    jobs = (
        ReportJob.objects.filter(organization__path__startswith=base.path)
        .select_related("organization", "requested_by")
        .order_by("-created_at", "-id")[:JOBS_SHOWN]
    )
    context = {"form": form, "base": base, "jobs": list(jobs)}
    return render(request, "reports/report_new.html", context)


# --- a job ----------------------------------------------------------------------------------------


def _get_job(request: HttpRequest, pk: int) -> ReportJob:
    job = get_object_or_404(ReportJob.objects.select_related("organization", "requested_by"), pk=pk)
    if not can(request.user, Perm.VIEW_PROGRAMS, job.organization):
        raise Http404
    return job


@login_required
@require_GET
def report_job(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_job(request, pk)
    return render(request, "reports/report_job.html", {"job": job})


@login_required
@require_GET
def report_job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, which the job page asks for every second until done."""
    job = _get_job(request, pk)
    response = render(request, "reports/report_progress.html", {"job": job})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def report_file(request: HttpRequest, pk: int) -> FileResponse:
    """One of the finished job's files: ?format=docx, xlsx or pdf."""
    job = _get_job(request, pk)
    kind = request.GET.get("format", "docx")
    if kind not in CONTENT_TYPES or job.status != ReportJob.Status.DONE:
        raise Http404
    field = getattr(job, kind)
    if not field.name or not field.storage.exists(field.name):
        raise Http404
    response = FileResponse(
        field.storage.open(field.name, "rb"),
        as_attachment=True,
        content_type=CONTENT_TYPES[kind],
        filename=field.name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response
