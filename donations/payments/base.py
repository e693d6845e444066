"""The one interface every payment provider implements: start a payment, verify a notification.

A provider knows how to send the donor to pay (``start``) and how to tell a genuine payment
notification from a forged one (``verify_notification``). What a verified notification does
to a donation (confirm once, or flag a wrong amount) is the same for every provider and lives
in ``donations.services.apply_payment_notification``. docs/payments.md shows how a real gateway
plugs in.
"""

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import HttpRequest


class InvalidNotification(Exception):
    """The notification is not genuine or not readable: answer 400 and change nothing."""


@dataclass(frozen=True)
class PaymentStart:
    """Where the donor goes next: a gateway's page, or our own page with instructions."""

    redirect_url: str | None = None
    shows_instructions: bool = False


@dataclass(frozen=True)
class PaymentNotification:
    """A verified message from a gateway: the order was paid this amount."""

    donation_code: str
    amount: Decimal
    transaction_id: str
    paid: bool
    data: dict = field(default_factory=dict)


class PaymentProvider(ABC):
    #: The name stored on ``Donation.provider`` and used in URLs.
    name: str
    #: A short translated name for staff (the admin shows it for ``Donation.provider``).
    title: str
    #: The channel a payment through this provider confirms with ("" = chosen by staff).
    channel: str = ""
    #: Whether unpaid donations of this provider expire (online payments do, offline do not).
    expires_unpaid: bool = True

    @property
    @abstractmethod
    def label(self) -> str:
        """What the donor reads on the form."""

    @abstractmethod
    def start(self, *, donation, request: HttpRequest) -> PaymentStart:
        """Begin paying ``donation`` (pending): where to send the donor."""

    def verify_notification(
        self, *, body: bytes, headers: Mapping[str, str]
    ) -> PaymentNotification:
        """Check a server-to-server notification; raise InvalidNotification if not genuine."""
        raise InvalidNotification(f"{self.name} sends no notifications")
