"""Every write of the donations app. Each function is one transaction and raises Django's
ValidationError with a message a donor or a staff member can act on.

Money rules (ARCHITECTURE.md): only ``confirm_donation`` credits the ledger and numbers
receipts, inside one transaction with the donation row locked, so whatever the channel and
however many times a confirmation arrives, a donation is credited and numbered once.

One module per part: ``cleaning`` (what people type), ``creating``, ``confirming`` (the
ledger, the receipt number, payment notifications), ``receipts`` (refunds, voids, reissues,
the PDF) and ``lookup`` (a donor finds their gifts by mobile). Goods are in
``donations.goods_services``; the donor's thank-you in ``donations.notifications``.
"""

from .cleaning import (
    SOURCE_TYPE,
    check_gift_date,
    clean_amount,
    clean_mobile,
    clean_text,
    online_limits,
)
from .confirming import (
    apply_payment_notification,
    confirm_donation,
    expire_pending_donations,
    flag_donation,
    match_donor,
)
from .creating import (
    create_donation,
    record_box_opening,
    record_offline_donation,
)
from .lookup import (
    LOOKUP_MAX_ATTEMPTS,
    start_donor_lookup,
    verify_donor_lookup,
)
from .receipts import (
    refund_donation,
    reissue_receipt,
    store_receipt_pdf,
    void_receipt,
)

__all__ = [
    "LOOKUP_MAX_ATTEMPTS",
    "SOURCE_TYPE",
    "check_gift_date",
    "apply_payment_notification",
    "clean_amount",
    "clean_mobile",
    "clean_text",
    "confirm_donation",
    "create_donation",
    "expire_pending_donations",
    "flag_donation",
    "match_donor",
    "online_limits",
    "record_box_opening",
    "record_offline_donation",
    "refund_donation",
    "reissue_receipt",
    "start_donor_lookup",
    "store_receipt_pdf",
    "verify_donor_lookup",
    "void_receipt",
]
