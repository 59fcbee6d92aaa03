"""Pages of certificates: an award's PDF, making a decision's certificates in the
background with a progress bar and one ZIP at the end, and the public page where anyone
checks a certificate's verification code."""

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_safe

from lantoa.awards.models import Award, CertificateBatch, Decision, DecisionStatus
from lantoa.awards.services import certificates as services
from lantoa.core.actions import post_action
from lantoa.core.text import search_key
from lantoa.orgs.rules import Perm, can

BATCHES_SHOWN = 10
ZIP_IN_MEMORY = 16 * 1024 * 1024  # bytes; a larger archive spills to a temporary file


# --- lookups ------------------------------------------------------------------------------


def _get_decision(request: HttpRequest, pk: int, perm: Perm = Perm.VIEW_PROGRAMS) -> Decision:
    """A decision of an organization where the user holds `perm`; others answer 404."""
    decision = get_object_or_404(Decision.objects.select_related("organization"), pk=pk)
    if not can(request.user, perm, decision.organization):
        raise Http404
    return decision


def _get_batch(request: HttpRequest, pk: int) -> CertificateBatch:
    batch = get_object_or_404(
        CertificateBatch.objects.select_related("decision__organization", "requested_by"), pk=pk
    )
    if not can(request.user, Perm.VIEW_PROGRAMS, batch.decision.organization):
        raise Http404
    return batch


def _may_see_award(request: HttpRequest, award: Award) -> bool:
    """Those who see the decision's organization, and the person commended."""
    if can(request.user, Perm.VIEW_PROGRAMS, award.decision.organization):
        return True
    return award.person_id is not None and award.person.account_id == request.user.pk


# --- one certificate ----------------------------------------------------------------------


@login_required
@require_GET
def award_certificate(request: HttpRequest, pk: int) -> FileResponse:
    """The award's certificate as PDF, made now if it was not made yet."""
    award = get_object_or_404(services.award_rows(), pk=pk, decision__status=DecisionStatus.ISSUED)
    if not _may_see_award(request, award):
        raise Http404
    field = award.certificate
    if not field.name or not field.storage.exists(field.name):
        services.generate_certificate(award)
    name = award.person.full_name if award.person_id else award.collective.name
    filename = f"{slugify(search_key(award.form.name))}-{slugify(search_key(name))[:60]}.pdf"
    response = FileResponse(
        field.storage.open(field.name, "rb"), content_type="application/pdf", filename=filename
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-cache"
    return response


# --- a decision's certificates ------------------------------------------------------------


@login_required
def decision_certificates(request: HttpRequest, pk: int) -> HttpResponse:
    """GET: the decision's certificates and their batches; POST: make them all."""
    decision = _get_decision(request, pk)
    page_url = reverse("awards:decision_certificates", args=[decision.pk])
    if request.method == "POST":
        if not can(request.user, Perm.MANAGE_ROUNDS, decision.organization):
            raise Http404
        return post_action(
            request,
            lambda: services.start_batch(decision, by=request.user),
            _("The certificates are being made."),
            lambda batch: reverse("awards:certificate_batch", args=[batch.pk]),
            refused_url=page_url,
        )
    awards = decision.awards.filter(revoked_by__isnull=True)
    context = {
        "decision": decision,
        "award_count": awards.count(),
        "made_count": awards.exclude(certificate="").count(),
        "batches": list(
            decision.certificate_batches.select_related("requested_by")[:BATCHES_SHOWN]
        ),
        "can_start": decision.is_issued
        and can(request.user, Perm.MANAGE_ROUNDS, decision.organization),
    }
    return render(request, "awards/certificates/decision.html", context)


@login_required
@require_GET
def certificate_batch(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _get_batch(request, pk)
    return render(request, "awards/certificates/batch.html", {"batch": batch})


@login_required
@require_GET
def certificate_batch_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress bar alone, which the batch page asks for every second until done."""
    batch = _get_batch(request, pk)
    response = render(request, "awards/certificates/_progress.html", {"batch": batch})
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def certificate_batch_zip(request: HttpRequest, pk: int) -> FileResponse:
    """Every certificate of a finished batch's decision, in one ZIP."""
    batch = _get_batch(request, pk)
    if batch.status != CertificateBatch.Status.DONE:
        raise Http404
    out = tempfile.SpooledTemporaryFile(max_size=ZIP_IN_MEMORY)  # noqa: SIM115 (closed by the response)
    services.write_zip(batch, out)
    out.seek(0)
    symbol = slugify(search_key(batch.decision.symbol)) or str(batch.decision.pk)
    return FileResponse(
        out,
        as_attachment=True,
        content_type="application/zip",
        filename=f"chung-nhan-{symbol}.zip",
    )


# --- public verification ------------------------------------------------------------------


def _verify_page(
    request: HttpRequest, code: str = "", status: int = 200, **context
) -> HttpResponse:
    response = render(request, "awards/verify.html", {"code": code, **context}, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def verify(request: HttpRequest) -> HttpResponse:
    """The public page where anyone types a certificate's code (no login)."""
    raw = request.GET.get("code")
    if raw is None or not raw.strip():
        return _verify_page(request)
    code = services.normalize_code(raw)
    if services.is_well_formed(code):
        return redirect("awards:verify_code", code=code)
    return _verify_page(request, raw.strip()[:40], 400, malformed=True)


@require_safe
def verify_code(request: HttpRequest, code: str) -> HttpResponse:
    """What a certificate's QR code opens: the award confirmed, or the code refused."""
    normalized = services.normalize_code(code)
    if not services.is_well_formed(normalized):
        return _verify_page(request, code.strip()[:40], 400, malformed=True)
    award = services.find_award(normalized)
    if award is None:
        return _verify_page(request, normalized, 404, unknown=True)
    return _verify_page(request, normalized, award=award)
