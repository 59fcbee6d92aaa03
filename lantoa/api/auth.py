"""Bearer tokens for the API: `Authorization: Bearer lt_…`. Sessions are not accepted;
an unknown or revoked token answers 401 with a JSON error."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer

from lantoa.api.services import token_for_secret


class TokenAuth(HttpBearer):
    openapi_description = "A token made on the account's page /accounts/tokens/ (lt_…)."

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for_secret(token.strip())
        if found is None:
            return None
        # The API acts as the token's account, whoever the browser's session is, and on
        # all of its grants: the scope bar's choice (kept in the session) does not apply.
        request.user = found.user
        request._lantoa_scope = None
        request.api_token = found
        return found.user
