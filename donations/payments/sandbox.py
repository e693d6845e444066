"""A simulated gateway for demos and tests, with real signed server-to-server notifications.

The notification is a JSON body signed with HMAC-SHA256 over the raw bytes, with the shared
secret ``SANDBOX_PAYMENT_SECRET``; the hex digest travels in the ``X-Sandbox-Signature``
header, as real gateways do with their own header names.
"""

import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .base import InvalidNotification, PaymentNotification, PaymentProvider, PaymentStart

SIGNATURE_HEADER = "X-Sandbox-Signature"
_CODE_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_TRANSACTION_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def sign(body: bytes, secret: str | None = None) -> str:
    secret = secret if secret is not None else settings.SANDBOX_PAYMENT_SECRET
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def notification_body(*, donation_code: str, amount: Decimal, transaction_id: str = "") -> bytes:
    """The body the sandbox gateway posts when a payment succeeds."""
    payload = {
        "order": donation_code,
        "amount": f"{amount:.2f}",
        "transaction_id": transaction_id or "SBX" + secrets.token_hex(8).upper(),
        "status": "paid",
    }
    return json.dumps(payload, separators=(",", ":")).encode()


class SandboxProvider(PaymentProvider):
    name = "sandbox"
    title = _("Demonstration gateway")
    channel = "online_sandbox"
    expires_unpaid = True

    @property
    def label(self) -> str:
        return str(_("Pay online (demonstration gateway)"))

    def start(self, *, donation, request) -> PaymentStart:
        return PaymentStart(redirect_url=reverse("donations:sandbox_gateway", args=[donation.code]))

    def verify_notification(
        self, *, body: bytes, headers: Mapping[str, str]
    ) -> PaymentNotification:
        signature = headers.get(SIGNATURE_HEADER, "")
        # The current secret, then the previous ones while a rotation is under way.
        secrets = [settings.SANDBOX_PAYMENT_SECRET, *settings.SANDBOX_PAYMENT_SECRET_FALLBACKS]
        if not signature or not any(
            hmac.compare_digest(signature.encode(), sign(body, secret=secret).encode())
            for secret in secrets
        ):
            raise InvalidNotification("bad signature")
        try:
            payload = json.loads(body.decode("utf-8"))
            code = str(payload["order"])
            transaction_id = str(payload["transaction_id"])
            amount = Decimal(str(payload["amount"]))
            status = payload["status"]
        except (ValueError, KeyError, TypeError, InvalidOperation, UnicodeDecodeError):
            raise InvalidNotification("unreadable body") from None
        if not _CODE_RE.match(code) or not _TRANSACTION_RE.match(transaction_id):
            raise InvalidNotification("bad order or transaction id")
        if not amount.is_finite() or amount <= 0 or amount != amount.quantize(Decimal("0.01")):
            raise InvalidNotification("bad amount")
        if status not in ("paid", "failed"):
            raise InvalidNotification("bad status")
        return PaymentNotification(
            donation_code=code,
            amount=amount,
            transaction_id=transaction_id,
            paid=status == "paid",
            data=payload,
        )
