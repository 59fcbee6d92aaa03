"""Loaded by pytest before the tests: Playwright's sync API runs beside Django's ORM."""

import os

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
