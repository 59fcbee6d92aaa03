"""Request-scoped audit actor.

django-auditlog's middleware sets a context variable with the request's user and never
resets it, so code that runs later in the same thread (outside any request) would be
attributed to the last user. This wrapper restores the variable after every request.
"""

from auditlog.context import auditlog_value
from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware


class AuditlogMiddleware(BaseAuditlogMiddleware):
    def __call__(self, request):
        token = auditlog_value.set({})
        try:
            return super().__call__(request)
        finally:
            auditlog_value.reset(token)
