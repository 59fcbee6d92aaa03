"""Making, revoking and recognizing API tokens; every change goes to the audit trail."""

import datetime
import hashlib
import hmac
import secrets

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from lantoa.api.models import ApiToken
from lantoa.core import audit
from lantoa.core.text import nfc

SECRET_PREFIX = "lt_"  # noqa: S105 - the mark of our tokens, not a secret
MAX_SECRET_LENGTH = 200  # longer bearer values are refused before hashing
MAX_ACTIVE_TOKENS = 20  # per account
# `last_used_at` is written at most this often per token (not on every request)
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new token of the account; returns it with its secret (shown once, never stored)."""
    name = nfc(name).strip()[:100]
    if not name:
        raise ValidationError({"name": _("Give the token a name.")})
    if ApiToken.objects.active().filter(user=user).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("An account may hold at most %(count)s tokens: revoke one first.")
            % {"count": MAX_ACTIVE_TOKENS}
        )
    secret = SECRET_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=secret[:8], key_hash=hash_secret(secret)
    )
    audit.record(
        token,
        "api.token.created",
        changes={"name": name, "prefix": token.prefix},
        action=audit.Action.CREATE,
        actor=user,
    )
    return token, secret


def revoke_token(token: ApiToken, *, by: AbstractBaseUser) -> ApiToken:
    """Revoke the token: requests bearing it are refused from now on."""
    if token.revoked_at is not None:
        raise ValidationError(_("This token is already revoked."))
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(token, "api.token.revoked", changes={"prefix": token.prefix}, actor=by)
    return token


def token_for_secret(secret: str) -> ApiToken | None:
    """The active token of an active account bearing this secret, else None.

    Marks it used (at most once a minute)."""
    if not secret or len(secret) > MAX_SECRET_LENGTH or not secret.isascii():
        return None
    digest = hash_secret(secret)
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(key_hash=digest, user__is_active=True)
        .first()
    )
    if token is None or not hmac.compare_digest(token.key_hash, digest):
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_PRECISION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
