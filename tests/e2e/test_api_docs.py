"""The API's documentation in a real browser: Swagger UI from the copy django-ninja ships
(no CDN), started by our static script, lists the operations without breaking the
Content Security Policy."""

import pytest
from django.conf import settings
from playwright.sync_api import expect

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, available_apps=list(settings.INSTALLED_APPS)),
]


def test_the_docs_render_the_operations_under_the_csp(page, console):
    response = page.goto("/api/docs")
    assert response.status == 200
    assert "content-security-policy" in response.headers
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Lan Tỏa API")
    operations = page.locator(".opblock-summary-path")
    expect(operations.first).to_be_visible()
    paths = operations.all_inner_texts()
    assert any("/api/v1/people" in p for p in paths)
    assert any("/api/v1/statistics" in p for p in paths)
    assert console.csp_violations() == []
    assert console.errors == []
