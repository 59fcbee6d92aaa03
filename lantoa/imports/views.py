"""Pages of the spreadsheet imports: the list of jobs, a new import, its preview and column
mapping, the "Import" button, the progress bar, the results and the rejected rows.

A job is visible to whoever may import its kind into its organization; others get 404.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lantoa.core.files import uploaded_file_name
from lantoa.core.forms import submit_once
from lantoa.core.pages import XLSX_TYPE, paginate, query_without_page
from lantoa.imports import services
from lantoa.imports.forms import (
    MappingForm,
    NewImportForm,
    SheetForm,
    StartForm,
    import_scope_q,
)
from lantoa.imports.kinds import KINDS
from lantoa.imports.models import ImportJob
from lantoa.imports.sheets import rejected_rows_workbook, template_workbook
from lantoa.orgs.rules import Perm, can

__all__ = [
    "job_detail",
    "job_list",
    "job_mapping",
    "job_new",
    "job_progress",
    "job_rejected",
    "job_sheet",
    "job_start",
    "template_download",
]

Status = ImportJob.Status


def _get_job(request: HttpRequest, pk: int) -> ImportJob:
    job = get_object_or_404(ImportJob.objects.select_related("organization", "requested_by"), pk=pk)
    kind = KINDS.get(job.kind)
    if kind is None or not can(request.user, Perm(kind.permission), job.organization):
        raise Http404
    return job


@login_required
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = ImportJob.objects.filter(
        import_scope_q(request.user, "organization__path", kind_field="kind")
    )
    q = request.GET.get("q", "").strip()[:100]
    if q:
        jobs = jobs.filter(filename__icontains=q)
    jobs = jobs.select_related("organization", "requested_by").order_by("-created_at", "-id")
    page = paginate(request, jobs)
    for job in page:
        kind = KINDS.get(job.kind)
        job.kind_label = kind.label if kind else job.kind
    context = {
        "page": page,
        "q": q,
        "query": query_without_page(request),
        "can_import": bool(NewImportForm(user=request.user).fields["kind"].choices),
        "kinds": [k for k in KINDS.values() if k.columns and can(request.user, Perm(k.permission))],
    }
    return render(request, "imports/job_list.html", context)


@login_required
def job_new(request: HttpRequest) -> HttpResponse:
    """GET: choose what to import, where, and the file; POST: upload and check it."""
    form = NewImportForm(request.POST or None, request.FILES or None, user=request.user)
    if not form.fields["kind"].choices:
        raise Http404
    if request.method == "GET":
        if request.GET.get("kind") in dict(form.fields["kind"].choices):
            form.initial["kind"] = request.GET["kind"]
        org = request.GET.get("org", "")
        if org.isdigit():
            form.initial["organization"] = int(org)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]

        def action() -> ImportJob:
            return services.create_job(
                by=request.user,
                kind=form.cleaned_data["kind"],
                organization=form.cleaned_data["organization"],
                upload=upload,
                filename=uploaded_file_name(upload),
            )

        response = submit_once(form, action, lambda job: reverse("imports:job", args=[job.pk]))
        if response:
            return response
    context = {"form": form, "max_mb": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
    return render(request, "imports/job_new.html", context)


@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Before the import: the preview and the mapping; after: the progress and results."""
    job = _get_job(request, pk)
    kind = services.resolve_kind(job.kind)
    if job.status in (Status.UPLOADED, Status.READY):
        sheets = services.sheets_of(job)
        context = {
            "job": job,
            "kind": kind,
            "preview": services.preview(job),
            "sheet_form": SheetForm(sheets=sheets, initial={"sheet": job.sheet})
            if len(sheets) > 1
            else None,
            "mapping_form": MappingForm(job=job, kind=kind),
            "start_form": StartForm(),
        }
        return render(request, "imports/job_preview.html", context)
    errors = paginate(
        request, job.row_errors.order_by("line", "id").only("line", "column", "message")
    )
    context = {"job": job, "kind": kind, "errors": errors, "query": query_without_page(request)}
    return render(request, "imports/job_detail.html", context)


@login_required
@require_POST
def job_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    """Another sheet of the workbook: read its headers and match the columns again."""
    job = _get_job(request, pk)
    form = SheetForm(request.POST, sheets=services.sheets_of(job))
    if form.is_valid():
        try:
            services.set_sheet(job, form.cleaned_data["sheet"], request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The sheet “%(sheet)s” is read.") % {"sheet": job.sheet})
    else:
        messages.error(request, _("Choose one of the workbook's sheets."))
    return redirect("imports:job", pk=job.pk)


@login_required
@require_POST
def job_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    job = _get_job(request, pk)
    kind = services.resolve_kind(job.kind)
    form = MappingForm(request.POST, job=job, kind=kind)
    if form.is_valid():
        try:
            services.set_mapping(job, form.mapping(), request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The columns are matched."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for message in errors:
                messages.error(request, f"{label}: {message}" if label else message)
    return redirect("imports:job", pk=job.pk)


@login_required
@require_POST
def job_start(request: HttpRequest, pk: int) -> HttpResponse:
    """The "Import" button; the same form posted twice starts one job."""
    job = _get_job(request, pk)
    form = StartForm(request.POST)
    url = reverse("imports:job", args=[job.pk])
    if form.is_valid():
        response = submit_once(form, lambda: services.start(job, request.user), lambda _j: url)
        if response:
            return response
        for message in form.non_field_errors():
            messages.error(request, message)
    return redirect(url)


@login_required
@require_GET
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, asked for every second until the job is finished; once it is,
    the whole page is reloaded (HX-Refresh) to show the results."""
    job = _get_job(request, pk)
    response = render(request, "imports/_progress.html", {"job": job})
    if job.is_finished and request.GET.get("was") == "open":
        response["HX-Refresh"] = "true"
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def job_rejected(request: HttpRequest, pk: int) -> FileResponse:
    """The rejected rows with their reasons, as an XLSX to correct and import again."""
    job = _get_job(request, pk)
    if not job.rejected:
        raise Http404
    stem = job.filename.rsplit(".", 1)[0] or "tep"
    response = FileResponse(
        rejected_rows_workbook(job),
        as_attachment=True,
        filename=f"{stem}-dong-loi.xlsx",
        content_type=XLSX_TYPE,
    )
    response["Cache-Control"] = "private, no-cache"
    return response


@login_required
@require_GET
def template_download(request: HttpRequest, kind: str) -> HttpResponse:
    """The XLSX template of a kind the user may import somewhere."""
    found = KINDS.get(kind)
    if found is None or not found.columns or not can(request.user, Perm(found.permission)):
        raise Http404
    response = HttpResponse(template_workbook(found), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mau-{found.name}.xlsx"'
    response["Cache-Control"] = "private, no-cache"
    return response
