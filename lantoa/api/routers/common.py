"""Lookups and answers shared by the routers: an organization asked for by code within the
grants, cleaned text, and the error answers every operation documents."""

import unicodedata
from typing import Any

from django.http import Http404, HttpRequest

from lantoa.api.schemas import Error, ValidationErrors
from lantoa.core.text import nfc
from lantoa.orgs.models import Organization
from lantoa.orgs.rules import Perm, can

MAX_TEXT = 200  # search text kept from `?q=`
MAX_CODE = 32

# 401: no valid token; 404: unknown or out of reach; 422: a parameter of the wrong type
ERRORS: dict[int, Any] = {401: Error, 404: Error, 422: ValidationErrors}


def answers(schema: Any, more: dict[int, Any] | None = None) -> dict[int, Any]:
    """The responses of an operation: `schema` on success, and the errors."""
    return {200: schema, **ERRORS, **(more or {})}


def clean(value: str | None) -> str:
    """NFC text without control characters (a NUL would not even reach PostgreSQL)."""
    value = "".join(ch for ch in value or "" if unicodedata.category(ch) not in {"Cc", "Cs"})
    return nfc(value)


def text(value: str | None) -> str:
    return clean(value)[:MAX_TEXT]


def code_of(value: str | None) -> str:
    """A code as asked for, or "" when it cannot be one."""
    code = clean(value)
    return code if len(code) <= MAX_CODE else ""


def org_by_code(request: HttpRequest, code: str, perm: Perm = Perm.VIEW_ORGS) -> Organization:
    """The organization with this code if the user holds `perm` on it; else 404 (unknown
    and out of reach look the same)."""
    value = code_of(code).upper()
    org = Organization.objects.filter(code=value).first() if value else None
    if org is None or not can(request.user, perm, org):
        raise Http404
    return org


def org_or_none(request: HttpRequest, code: str | None, perm: Perm) -> Organization | None:
    return org_by_code(request, code, perm) if code else None
