from django.http import HttpRequest

from lantoa.orgs.rules import Perm, can
from lantoa.orgs.scope import current_scope, scope_choices


def scope(request: HttpRequest) -> dict:
    """The scope bar and the menu entries a user may see, on every page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "scope_org": current_scope(request),
        "scope_choices": scope_choices(request),
        "menu": {
            "people": can(user, Perm.VIEW_PEOPLE),
            "programs": can(user, Perm.VIEW_PROGRAMS),
            "movements": can(user, Perm.VIEW_PROGRAMS),
            "awards": can(user, Perm.VIEW_PROGRAMS),
            "reports": can(user, Perm.VIEW_PROGRAMS),
            "audit": can(user, Perm.VIEW_AUDIT),
            "admin": user.is_staff,
        },
    }
