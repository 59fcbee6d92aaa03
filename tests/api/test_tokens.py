"""Tokens: made on the account's page (the secret shown once, only its hash kept), used
as a bearer, revoked; each change in the audit trail."""

import hashlib
import re

from django.urls import reverse

from lantoa.api.models import ApiToken
from lantoa.core.models import AuditEntry

ORGS = "/api/v1/organizations"


def make_token(client, user, name="Bảng tính báo cáo") -> tuple[str, str]:
    client.force_login(user)
    page = client.get(reverse("api_pages:tokens"))
    token = re.search(r'name="form_token" value="([0-9a-f]+)"', page.content.decode()).group(1)
    response = client.post(reverse("api_pages:tokens"), {"name": name, "form_token": token})
    assert response.status_code == 200
    html = response.content.decode()
    secret = re.search(r'id="token-secret">(lt_[A-Za-z0-9_-]+)<', html).group(1)
    return secret, token


def test_the_secret_is_shown_once_and_only_its_hash_is_kept(client, committee_staff):
    secret, form_token = make_token(client, committee_staff)
    stored = ApiToken.objects.get(user=committee_staff)
    assert stored.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:8]
    assert secret not in str(ApiToken.objects.values().get())
    # the list shows the name and prefix, never the secret again
    html = client.get(reverse("api_pages:tokens")).content.decode()
    assert "Bảng tính báo cáo" in html and stored.prefix in html and secret not in html
    # submitting the same form again makes no second token and shows no secret
    again = client.post(reverse("api_pages:tokens"), {"name": "x", "form_token": form_token})
    assert again.status_code == 302
    assert ApiToken.objects.filter(user=committee_staff).count() == 1
    entry = AuditEntry.objects.get(verb="api.token.created")
    assert entry.actor == committee_staff and secret not in str(entry.changes)


def test_a_token_opens_the_api_and_records_its_use(client, committee_staff, tree):
    secret, _ = make_token(client, committee_staff)
    client.logout()
    assert ApiToken.objects.get().last_used_at is None
    response = client.get(ORGS, headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    assert response.json()["count"] == 5
    assert ApiToken.objects.get().last_used_at is not None


def test_no_token_a_wrong_one_or_a_session_answer_401(client, committee_staff, tree):
    client.force_login(committee_staff)  # a session is not enough
    assert client.get(ORGS).status_code == 401
    for header in ("Bearer lt_nothing", "Bearer ", "Basic abc", "Bearer " + "x" * 5000):
        response = client.get(ORGS, headers={"Authorization": header})
        assert response.status_code == 401
        assert response.json() == {"detail": "Unauthorized"}


def test_a_revoked_token_is_refused(client, committee_staff, tree):
    secret, _ = make_token(client, committee_staff)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get(ORGS, headers=headers).status_code == 200
    token = ApiToken.objects.get()
    response = client.post(reverse("api_pages:token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get(ORGS, headers=headers).status_code == 401
    assert AuditEntry.objects.filter(verb="api.token.revoked", actor=committee_staff).exists()


def test_a_token_of_an_inactive_account_is_refused(client, committee_staff, tree):
    secret, _ = make_token(client, committee_staff)
    committee_staff.is_active = False
    committee_staff.save()
    assert client.get(ORGS, headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_nobody_revokes_another_accounts_token(client, committee_staff, base_secretary):
    make_token(client, committee_staff)
    token = ApiToken.objects.get()
    client.force_login(base_secretary)
    assert client.post(reverse("api_pages:token_revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    # and the other account's tokens are not on its page
    assert token.prefix not in client.get(reverse("api_pages:tokens")).content.decode()


def test_the_token_page_needs_a_login(client):
    response = client.get(reverse("api_pages:tokens"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
