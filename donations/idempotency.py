"""``Idempotency-Key`` for the public donations API, kept in the database (unique key).

The key is claimed in its own committed row before the work starts, so a second request with
the same key sees at once whether the first is still running (409), was made with another
body (422) or finished (its stored answer is returned).
"""

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from .models import Donation, IdempotencyKey

DIFFERENT_BODY, STILL_RUNNING, DONE = "different_body", "still_running", "done"


@dataclass(frozen=True)
class Claim:
    record: IdempotencyKey
    conflict: str | None = None  # None: this request owns the key and does the work


def claim(*, key: str, fingerprint: str) -> Claim:
    try:
        with transaction.atomic():
            record = IdempotencyKey.objects.create(
                key=key, fingerprint=fingerprint, state=IdempotencyKey.State.RUNNING
            )
        return Claim(record=record)
    except IntegrityError:
        record = IdempotencyKey.objects.filter(key=key).first()
        if record is None:  # released between our insert and our read: try once more
            return claim(key=key, fingerprint=fingerprint)
    if record.fingerprint != fingerprint:
        return Claim(record=record, conflict=DIFFERENT_BODY)
    if record.state == IdempotencyKey.State.RUNNING:
        return Claim(record=record, conflict=STILL_RUNNING)
    return Claim(record=record, conflict=DONE)


def finish(record: IdempotencyKey, *, status: int, body: dict, donation: Donation) -> None:
    IdempotencyKey.objects.filter(pk=record.pk).update(
        state=IdempotencyKey.State.DONE,
        response_status=status,
        response_body=body,
        donation=donation,
    )


def release(record: IdempotencyKey) -> None:
    IdempotencyKey.objects.filter(pk=record.pk, state=IdempotencyKey.State.RUNNING).delete()
