"""Money donations: donation points, donors, donations, box-opening batches and receipts.

Rules kept here are the ones that belong to one row (named database constraints); flows such
as confirming, refunding and numbering receipts live in ``services.py``.
"""

# isort: off
# In the order the models were defined in the one models module: the order Django registers
# them (and so the order of reverse relations, content types and permissions) is unchanged.
from .common import (
    ANONYMOUS_NAME,
    MESSAGE_MAX_LENGTH,
    new_check_code,
    new_donation_code,
    new_reference_code,
)
from .points import DonationBatch, DonationPoint, Donor
from .donations import Donation
from .receipts import Receipt, ReceiptQuerySet, ReceiptSequence
from .public import IdempotencyKey, LookupCode
from .goods import QUANTITY, GoodsDonation, GoodsItem, GoodsMovement, goods_receipt_series

# isort: on

__all__ = [
    "ANONYMOUS_NAME",
    "MESSAGE_MAX_LENGTH",
    "QUANTITY",
    "Donation",
    "DonationBatch",
    "DonationPoint",
    "Donor",
    "GoodsDonation",
    "GoodsItem",
    "GoodsMovement",
    "IdempotencyKey",
    "LookupCode",
    "Receipt",
    "ReceiptQuerySet",
    "ReceiptSequence",
    "goods_receipt_series",
    "new_check_code",
    "new_donation_code",
    "new_reference_code",
]
