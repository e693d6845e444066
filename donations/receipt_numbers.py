"""Gapless receipt numbers per series and year: ``TH-2026-000123``.

The next number is taken from a ``ReceiptSequence`` row locked with ``SELECT ... FOR UPDATE``
inside the transaction that confirms the donation: if that transaction rolls back, so does
the number, and two confirmations at once wait for each other instead of sharing a number.
"""

from core.locks import lock

from .models import ReceiptSequence


def format_number(series: str, year: int, sequence: int) -> str:
    return f"{series}-{year}-{sequence:06d}"


def next_sequence(*, series: str, year: int) -> int:
    """Take the next number of ``series`` in ``year``. Must run inside the caller's transaction
    (``lock`` refuses otherwise)."""
    # get_or_create survives the race to create the row (unique series+year, savepoint retry).
    ReceiptSequence.objects.get_or_create(series=series, year=year)
    sequence = lock(ReceiptSequence.objects).get(series=series, year=year)
    sequence.last_number += 1
    sequence.save(update_fields=["last_number"])
    return sequence.last_number
