"""The account's API tokens (make one, see its secret once, revoke it), and the Swagger UI
files that django-ninja ships, served from the installed package (no CDN)."""

from pathlib import Path

import ninja
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from lantoa.api import services
from lantoa.api.forms import TokenForm
from lantoa.api.models import ApiToken
from lantoa.core.actions import post_action
from lantoa.core.forms import submit_once

SWAGGER_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
}


@login_required
@never_cache
def tokens(request: HttpRequest) -> HttpResponse:
    """The account's tokens; a new one's secret is shown on the answer to its form, once."""
    form = TokenForm(request.POST or None)
    secret = None
    if form.is_valid():
        made: dict[str, str] = {}

        def create() -> ApiToken:
            token, made["secret"] = services.create_token(request.user, form.cleaned_data["name"])
            return token

        response = submit_once(form, create, lambda _token: reverse("api_pages:tokens"))
        if response is not None and not made:
            return response  # a repeated submit: the secret is not shown again
        if made:
            secret = made["secret"]
            form = TokenForm()
    context = {
        "form": form,
        "secret": secret,
        "tokens": ApiToken.objects.filter(user=request.user),
    }
    return render(request, "api/tokens.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    return post_action(
        request,
        lambda: services.revoke_token(token, by=request.user),
        _("The token was revoked."),
        reverse("api_pages:tokens"),
    )


@require_safe
def asset(request: HttpRequest, name: str) -> FileResponse:
    """Swagger UI's script or style sheet, from the django-ninja package installed."""
    if name not in ASSETS:
        raise Http404
    response = FileResponse((SWAGGER_DIR / name).open("rb"), content_type=ASSETS[name])
    response["Cache-Control"] = "public, max-age=86400"
    return response
