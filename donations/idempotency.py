"""``Idempotency-Key`` for the public donations API, kept in the database (unique key).

The key is stored with the answer it was given in the same transaction as the donation it
made, so a key never exists without its donation, nor a donation without its key:

- a retry after the first request committed finds the stored answer and gets it again;
- a retry while the first request is still running waits for it: Postgres makes the second
  insert of a unique key wait for the transaction holding it, which then fails on the
  conflict; the caller's transaction (with its donation) rolls back and the first answer is
  returned;
- a request that failed stored nothing, so the key is free for a corrected request.

A key stored by another request body is refused (422), and a row still marked ``running``
(left by the earlier two-step claim, which committed the key before the work) answers 409.
"""

from .models import Donation, IdempotencyKey


def store(*, key: str, fingerprint: str, status: int, body: dict, donation: Donation) -> None:
    """Store ``key`` with its answer inside the caller's transaction. Raises IntegrityError
    when another request already stored the key: the caller lets it roll its transaction back
    (no savepoint of its own: nothing of this request is worth keeping) and replays
    ``stored(key)``."""
    IdempotencyKey.objects.create(
        key=key,
        fingerprint=fingerprint,
        state=IdempotencyKey.State.DONE,
        response_status=status,
        response_body=body,
        donation=donation,
    )


def stored(key: str) -> IdempotencyKey | None:
    return IdempotencyKey.objects.filter(key=key).first()
