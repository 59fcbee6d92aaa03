"""Which models django-auditlog records, and which of their fields it masks or skips."""

from auditlog.registry import auditlog
from django.contrib.auth import get_user_model

from lantoa.orgs.models import (
    Membership,
    Organization,
    OrganizationMove,
    Person,
    PersonPrivate,
    RoleGrant,
)

auditlog.register(Organization, exclude_fields=["search_key", "numchild", "direct_member_count"])
auditlog.register(
    Person, exclude_fields=["sort_key", "search_key", "updated_at", "memberships", "created_at"]
)
auditlog.register(PersonPrivate, mask_fields=["citizen_id", "phone", "email"])
auditlog.register(Membership)
auditlog.register(OrganizationMove)
auditlog.register(RoleGrant)
auditlog.register(get_user_model(), exclude_fields=["password", "last_login"])
