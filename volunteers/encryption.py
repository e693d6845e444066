"""Encryption at rest for personal identifiers (PIPL): Fernet with FIELD_ENCRYPTION_KEY.

The database holds only ciphertext; Python code sees the plain value. Because Fernet output is
random, uniqueness and look-ups use a keyed digest (``identifier_digest``) stored beside it.
"""

import base64
import hashlib
import hmac
from functools import cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models


@cache
def _key() -> bytes:
    configured = settings.FIELD_ENCRYPTION_KEY
    if configured:
        return configured.encode()
    # No key configured (production without FIELD_ENCRYPTION_KEY): derive one from SECRET_KEY.
    digest = hashlib.sha256(f"field-encryption:{settings.SECRET_KEY}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


def encrypt(value: str) -> str:
    return Fernet(_key()).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return Fernet(_key()).decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ValueError("cannot decrypt a stored field: FIELD_ENCRYPTION_KEY changed?") from exc


def identifier_digest(value: str) -> str:
    """A keyed digest of ``value``: equal values give equal digests, nothing can be read back."""
    return hmac.new(_key(), value.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """A text column that stores Fernet ciphertext; blank stays blank (nothing to hide)."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)
