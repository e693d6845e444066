"""Refunds and receipts: void, reissue, the stored PDF."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.bulk import audited_update
from core.locks import lock
from funds.models import LedgerEntry
from funds.services import reverse_entry
from operations import outbox

from ..models import (
    Donation,
    Receipt,
)
from .cleaning import SOURCE_TYPE, clean_text
from .confirming import _issue_receipt

# --- refunds and receipts --------------------------------------------------------------------


@transaction.atomic
def refund_donation(*, donation: Donation, by, reason: str) -> Donation:
    """Give a confirmed donation back: reverse each of its credits and void its receipt.

    Refused, with the ledger's message naming the amounts, when the money is already spent and
    the fund cannot cover the refund; then nothing changes.
    """
    reason = clean_text(reason, field="reason", max_length=255, label=_("The reason"))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the refund.")})
    donation = lock(Donation.objects).get(pk=donation.pk)
    if donation.status != Donation.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed donation can be refunded."))
    credits = LedgerEntry.objects.filter(
        source_type=SOURCE_TYPE, source_id=str(donation.pk), kind=LedgerEntry.Kind.DONATION
    ).order_by("source_part")
    for credit in credits:
        reverse_entry(
            entry=credit,
            kind=LedgerEntry.Kind.REFUND,
            by=by,
            memo=_("Refund of donation %(reference)s: %(reason)s")
            % {"reference": donation.reference, "reason": reason},
        )
    for receipt in donation.receipts.filter(status=Receipt.Status.VALID):
        _void(receipt, by=by, reason=_("Refunded: %(reason)s") % {"reason": reason})
    donation.status = Donation.Status.REFUNDED
    donation.refund_reason = reason
    donation.refunded_at = timezone.now()
    donation.save(update_fields=["status", "refund_reason", "refunded_at"])
    return donation


def _void(receipt: Receipt, *, by, reason: str) -> None:
    audited_update(
        Receipt.objects.filter(pk=receipt.pk),
        status=Receipt.Status.VOID,
        voided_at=timezone.now(),
        voided_by=by if getattr(by, "pk", None) else None,
        void_reason=reason[:255],
    )


@transaction.atomic
def void_receipt(*, receipt: Receipt, by, reason: str) -> Receipt:
    """Void a receipt. It keeps its number (the series stays gapless) and may be reissued."""
    reason = clean_text(reason, field="reason", max_length=255, label=_("The reason"))
    if not reason:
        raise ValidationError({"reason": _("Give the reason for voiding the receipt.")})
    receipt = lock(Receipt.objects).get(pk=receipt.pk)
    if receipt.status == Receipt.Status.VOID:
        return receipt
    _void(receipt, by=by, reason=reason)
    return Receipt.objects.get(pk=receipt.pk)


@transaction.atomic
def reissue_receipt(*, receipt: Receipt, by, reason: str = "") -> Receipt:
    """Void ``receipt`` (if still valid) and issue a new one, under the next number, for the
    same confirmed donation."""
    donation = (
        lock(Donation.objects, of=("self",))
        .select_related("fund__host", "campaign__host", "project")
        .get(pk=receipt.donation_id)
    )
    if donation.status != Donation.Status.CONFIRMED:
        raise ValidationError(_("Only a confirmed donation gets a receipt."))
    receipt = lock(Receipt.objects).get(pk=receipt.pk)
    if hasattr(receipt, "reissued_as"):
        raise ValidationError(_("This receipt was already reissued as %(number)s.")
                              % {"number": receipt.reissued_as.number})  # fmt: skip
    if receipt.status == Receipt.Status.VALID:
        _void(receipt, by=by, reason=reason or _("Reissued"))
    new = _issue_receipt(donation=donation, by=by, issued_at=timezone.now(), replaces=receipt)
    outbox.enqueue("donations.render_receipt_pdf", new.pk)
    return new


def store_receipt_pdf(*, receipt: Receipt) -> Receipt:
    """Render the receipt's PDF once and keep it; later calls change nothing.

    The receipt row is locked while rendering, so two deliveries of the job never render at
    once, and the file has one fixed name: a run that died after writing it (a worker killed
    mid-task) leaves a file no row points to, which the next run replaces. One receipt, one
    file.
    """
    from ..documents import receipt_pdf

    if receipt.pdf:
        return receipt
    with transaction.atomic():
        receipt = (
            lock(Receipt.objects, of=("self",))
            .select_related("host", "donation")
            .get(pk=receipt.pk)
        )
        if receipt.pdf:
            return receipt
        name = f"{receipt.number}.pdf"
        content = ContentFile(receipt_pdf(receipt), name=name)
        path = Receipt._meta.get_field("pdf").generate_filename(receipt, name)
        storage = receipt.pdf.storage
        if storage.exists(path):  # left by a run that died before recording it
            storage.delete(path)
        stored = storage.save(path, content)
        Receipt.objects.filter(pk=receipt.pk, pdf="").update(pdf=stored)
    return Receipt.objects.get(pk=receipt.pk)
