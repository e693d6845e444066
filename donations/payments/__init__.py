"""Payment providers behind one interface (``base.PaymentProvider``); see docs/payments.md."""

from django.conf import settings

from .base import InvalidNotification, PaymentNotification, PaymentProvider, PaymentStart
from .offline import OfflineProvider
from .sandbox import SandboxProvider

PROVIDERS: dict[str, type[PaymentProvider]] = {
    OfflineProvider.name: OfflineProvider,
    SandboxProvider.name: SandboxProvider,
}


def get_provider(name: str) -> PaymentProvider:
    """The provider called ``name``; raises KeyError for an unknown one."""
    return PROVIDERS[name]()


def provider_title(name: str) -> str:
    """The translated short name of the provider called ``name`` (``name`` itself for one
    that is no longer installed)."""
    provider = PROVIDERS.get(name)
    return str(provider.title) if provider is not None else name


def enabled_providers() -> list[PaymentProvider]:
    """The providers offered to donors, in the order of ``DONATIONS_PAYMENT_PROVIDERS``."""
    return [
        get_provider(name) for name in settings.DONATIONS_PAYMENT_PROVIDERS if name in PROVIDERS
    ]


__all__ = [
    "InvalidNotification",
    "PaymentNotification",
    "PaymentProvider",
    "PaymentStart",
    "enabled_providers",
    "get_provider",
    "provider_title",
]
