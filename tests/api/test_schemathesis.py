"""Schemathesis against the API's own OpenAPI schema, in-process through the WSGI app:
every operation with generated parameters (a valid token of the committee's staff), on a
small world like the demo's; no server error, and every answer (status and body) as the
schema says. Derandomized and bounded, so it runs the same in every `make test`."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from lantoa.api.api import api
from tests.api.conftest import bearer, populate

schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def in_process():
    """Requests through the WSGI app inside the test's transaction: like Django's test
    client, keep the end of a request from closing the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token_headers(tree, council_member, committee_staff) -> dict[str, str]:
    populate(tree, council_member, count=2)
    return bearer(committee_staff)


@schema.parametrize()
@settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema(case, in_process, token_headers):
    response = case.call_and_validate(
        headers=token_headers,
        checks=[not_a_server_error, response_schema_conformance, status_code_conformance],
    )
    # Schemathesis also tries requests without the token on purpose; with it, never a 401
    sent = response.request.headers.get("Authorization")
    if sent == token_headers["Authorization"]:
        assert response.status_code != 401
