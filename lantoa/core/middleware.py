"""Request-scoped audit actor, and the language of the pages.

django-auditlog's middleware sets a context variable with the request's user and never
resets it, so code that runs later in the same thread (outside any request) would be
attributed to the last user. This wrapper restores the variable after every request.
"""

from auditlog.context import auditlog_value
from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class AuditlogMiddleware(BaseAuditlogMiddleware):
    def __call__(self, request):
        token = auditlog_value.set({})
        try:
            return super().__call__(request)
        finally:
            auditlog_value.reset(token)


class VietnameseFirstLocaleMiddleware(LocaleMiddleware):
    """Vietnamese unless the user chose another language (the language cookie).

    Django's own middleware follows the browser's Accept-Language, and many officials'
    computers run an English browser: they would meet an English site by default.
    """

    def process_request(self, request: HttpRequest) -> None:
        code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        if code not in dict(settings.LANGUAGES):
            code = settings.LANGUAGE_CODE
        translation.activate(code)
        request.LANGUAGE_CODE = translation.get_language()
