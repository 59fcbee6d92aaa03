"""The schema and the documentation are public (they hold no data) and keep to the strict
Content Security Policy: no inline script or style, Swagger UI served by us, no CDN."""

import re

from django.urls import reverse


def test_the_schema_is_public_and_titled(client, db):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    data = response.json()
    assert data["info"]["title"] == "Lan Tỏa API"
    assert "/api/v1/statistics" in data["paths"]
    assert data["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"


def test_the_docs_page_loads_only_our_own_files(client, db):
    response = client.get("/api/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "https://" not in html and "//cdn" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # no inline script
    assert " style=" not in html and "<style" not in html
    assert not re.search(r"<[^>]+\son[a-z]+=", html)  # no event handler attributes
    assert 'data-openapi-url="/api/openapi.json"' in html
    for src in re.findall(r'(?:src|href)="(/[^"]+)"', html):
        asset = client.get(src)
        assert asset.status_code == 200, src
        asset.close()
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_only_swagger_files_are_served_as_assets(client, db):
    url = reverse("api_pages:asset", args=["swagger-ui-bundle.js"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    response.close()
    for name in ("..%2F..%2Fsettings.py", "favicon.png", "redoc.standalone.js"):
        assert client.get(f"/api/assets/{name}").status_code == 404
