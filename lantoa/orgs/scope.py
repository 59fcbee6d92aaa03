"""The organization scope a user works in: switchable within their grants, kept in the session."""

from django.http import HttpRequest

from lantoa.orgs.models import Organization, RoleGrant
from lantoa.orgs.rules import Perm, can

SESSION_KEY = "lantoa_scope_org"


def current_scope(request: HttpRequest) -> Organization | None:
    """The organization whose subtree the user chose to work in (None: all their grants)."""
    if not request.user.is_authenticated:
        return None
    cached = getattr(request, "_lantoa_scope", False)
    if cached is not False:
        return cached
    scope = None
    org_id = request.session.get(SESSION_KEY)
    if isinstance(org_id, int):
        scope = Organization.objects.filter(pk=org_id).first()
        if scope is not None and not can(request.user, Perm.VIEW_ORGS, scope):
            scope = None
    request._lantoa_scope = scope
    return scope


def set_scope(request: HttpRequest, org: Organization | None) -> bool:
    if org is None:
        request.session.pop(SESSION_KEY, None)
        return True
    if not can(request.user, Perm.VIEW_ORGS, org):
        return False
    request.session[SESSION_KEY] = org.pk
    return True


def scope_choices(request: HttpRequest) -> list[Organization]:
    if not request.user.is_authenticated:
        return []
    if request.user.is_superuser:
        return list(Organization.objects.filter(depth__range=(1, 2)).order_by("path"))
    org_ids = RoleGrant.objects.filter(user=request.user).values("organization_id")
    return list(Organization.objects.filter(pk__in=org_ids).order_by("path"))
