"""Personal identifiers at rest and on screen (PIPL), for every app that holds them.

One secret, ``settings.FIELD_ENCRYPTION_KEY``, gives through labelled SHA-256 derivations the
Fernet key that encrypts identifiers at rest and the HMAC keys of the digests that find
duplicates, so no key is used for two purposes. Masks show the first 6 and last 4 characters
of an ID number and the first 3 and last 4 digits of a phone, at most.
"""

import base64
import hashlib
import hmac
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.db import models

from .validators import normalize_phone


def _derive(label: str, secret: str) -> bytes:
    return hashlib.sha256(label.encode() + b"\x00" + secret.encode()).digest()


@lru_cache(maxsize=4)
def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(_derive("fields.fernet", secret)))


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_ENCRYPTION_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet(settings.FIELD_ENCRYPTION_KEY).decrypt(token.encode()).decode()
    except InvalidToken:
        # A wrong key must never show as an empty or garbled ID number.
        raise ValueError("cannot decrypt: FIELD_ENCRYPTION_KEY differs from the one used") from None


def keyed_digest(value: str, *, purpose: str) -> str:
    """A keyed digest: equal values give equal digests; without the key it cannot be reversed
    by trying every possible ID number. ``purpose`` keeps the digests of two uses apart."""
    key = _derive(f"digest.{purpose}", settings.FIELD_ENCRYPTION_KEY)
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedCharField(models.TextField):
    """A text column that stores Fernet ciphertext; Python sees the plain value.

    Blank stays blank (nothing to hide). Fernet output is random, so look-ups and uniqueness
    use a ``keyed_digest`` stored beside it.
    """

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)


def mask_id_number(value: str) -> str:
    """First 6 and last 4 characters at most: 110105********002X."""
    value = (value or "").strip().upper()
    if len(value) <= 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """First 3 and last 4 digits: 138****5678 (landlines: 020****5678)."""
    digits = normalize_phone(value).replace("-", "")
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:3] + "*" * (len(digits) - 7) + digits[-4:]


def mask_name(value: str) -> str:
    """The family name and a star for the rest: 张*, 欧阳**."""
    if not value or len(value) == 1:
        return value or ""
    return value[0] + "*" * (len(value) - 1)
