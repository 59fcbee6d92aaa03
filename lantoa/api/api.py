"""The JSON API at /api/v1/…: typed (django-ninja), described by OpenAPI at
/api/openapi.json with its documentation at /api/docs (both public: they hold no data).

Every data endpoint needs a token of an account (`Authorization: Bearer lt_…`) and
answers within that account's grants, through the same rules and queries as the pages.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI
from ninja.openapi.docs import DocsBase

from lantoa.api.auth import TokenAuth
from lantoa.api.routers import awards, movements, orgs, programs, reports


class Docs(DocsBase):
    """Swagger UI from the copy django-ninja ships (no CDN), started by a static script of
    ours: no inline script, so the strict Content Security Policy holds."""

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        context = {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/docs.html", context)


api = NinjaAPI(
    title="Lan Tỏa API",
    version="1",
    description=(
        "Read-only access to Lan Tỏa's records within the grants of the token's account. "
        "Make a token on /accounts/tokens/ and send it as `Authorization: Bearer lt_…`. "
        "Lists take `limit` (at most 500) and `offset` and answer `count` and `items`."
    ),
    urls_namespace="api",
    auth=TokenAuth(),
    docs=Docs(),
)

for router in (
    orgs.router,
    orgs.people_router,
    programs.router,
    programs.registrations,
    movements.router,
    awards.router,
    reports.router,
):
    api.add_router("/v1/", router)
