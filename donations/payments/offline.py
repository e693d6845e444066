"""Pay at the station or by transfer with the reference code; a finance officer confirms it in
the admin with the channel (cash, bank, WeChat or Alipay transfer) and the reference."""

from django.utils.translation import gettext_lazy as _

from .base import PaymentProvider, PaymentStart


class OfflineProvider(PaymentProvider):
    name = "offline"
    title = _("Offline")
    channel = ""  # chosen by the finance officer when confirming
    expires_unpaid = False  # a transfer may take days to arrive

    @property
    def label(self) -> str:
        return str(_("Pay at the station or by bank transfer"))

    def start(self, *, donation, request) -> PaymentStart:
        return PaymentStart(shows_instructions=True)
