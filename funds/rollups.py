"""Monthly roll-ups of the ledger, kept up to date incrementally, and the readers that use them.

``LedgerMonth`` holds the ledger summed per fund, month (in ``TIME_ZONE``), kind, kind of
the reversed entry, source type, campaign and project; ``HostLedgerMonth`` per host charity,
month and kind (a host's spending ratios sum all its funds). ``update_ledger_rollup`` folds the
entries it has not read yet into it, in batches; each batch adds its sums and moves the
cursor in one transaction, so a run stopped anywhere resumes where it stopped and never
counts an entry twice.

Why a cursor on the id is safe
------------------------------
Ids come from a sequence, so a transaction may take id 10, another take id 11 and commit
first: a reader that saw 11 and moved its cursor to 11 would skip 10 for ever. The cursor
therefore only moves to a position once no transaction that may still insert below it is
running:

1. read ``max(id)`` of the committed entries: M. Every id up to M was handed out before M
   committed.
2. list the transactions of this database that are writing (``pg_stat_activity``: backends
   with a transaction id), after a short settle pause so that a transaction which took its
   id just before step 1 has also got its transaction id (``ROLLUPS_SETTLE_SECONDS``).
3. wait (up to ``ROLLUPS_WAIT_SECONDS``) until each of them has committed or rolled back.
   Then every entry with an id up to M is either visible or will never exist, and the
   cursor may pass M.

``pg_stat_activity`` shows a backend's transaction id to the same database role (one
deployment uses one role) or to members of ``pg_read_all_stats``; the application's role must
be one of these, or the cursor could pass a writer it cannot see. The ids come from the
tables' identity sequences, which hand out numbers in order (no per-session cache).

If a writer is still running after the wait (a long transaction), M and those writers are
kept as the *pending* position and the next run checks them again; the cursor never moves
past an id that might still appear. This costs a few tenths of a second per run and nothing
on the write path (no trigger on the ledger). We chose it over ``pg_snapshot_xmin`` alone,
which waits for every transaction on the whole server, and over a fixed time lag, which is
only probably safe.

Readers never depend on the job having run: each figure is the roll-up plus the entries
past the cursor, read in one SQL statement (one snapshot), so the job only makes the tail
short. Entries are assigned to the month of ``posted_at``, so back-dated entries and
refunds land in their own month whenever they are rolled up.

On databases other than Postgres (quick SQLite runs) nothing is rolled up and readers sum
the raw entries.
"""

from __future__ import annotations

import contextvars
import datetime
import logging
import time
from collections.abc import Callable, Iterable
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import connection, transaction
from django.db.models import (
    BigIntegerField,
    Case,
    DateField,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, TruncMonth

from .models import HostLedgerMonth, LedgerEntry, LedgerMonth, RollupCursor
from .money import ZERO, round_money

logger = logging.getLogger(__name__)

SUM_FIELD = DecimalField(max_digits=18, decimal_places=2)
LEDGER_CURSOR = "funds.ledger"


def enabled() -> bool:
    return connection.vendor == "postgresql"


# --- The cursor ---------------------------------------------------------------------------


def _writers() -> list[list]:
    """[pid, xid] of the other backends of this database that are in a writing transaction."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT pid, backend_xid::text FROM pg_stat_activity "
            "WHERE datname = current_database() AND backend_xid IS NOT NULL "
            "AND pid <> pg_backend_pid()"
        )
        return [list(row) for row in cursor.fetchall()]


def _still_running(writers: list[list]) -> list[list]:
    if not writers:
        return []
    current = {tuple(w) for w in _writers()}
    return [w for w in writers if tuple(w) in current]


def _wait_for(writers: list[list], seconds: float) -> list[list]:
    deadline = time.monotonic() + seconds
    running = _still_running(writers)
    while running and time.monotonic() < deadline:
        time.sleep(0.05)
        running = _still_running(running)
    return running


def safe_position(cursor: RollupCursor, table: str) -> int:
    """The highest id of ``table`` the cursor may pass now (see the module docstring).

    Updates ``cursor``'s pending position and writers (not saved).
    """
    target = cursor.position
    if cursor.pending_position is not None and not _still_running(cursor.pending_writers):
        target = max(target, cursor.pending_position)
        cursor.pending_position, cursor.pending_writers = None, []
    with connection.cursor() as db:
        db.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 (our table names)
        newest = db.fetchone()[0]
    if newest <= target:
        return target
    time.sleep(settings.ROLLUPS_SETTLE_SECONDS)
    running = _wait_for(_writers(), settings.ROLLUPS_WAIT_SECONDS)
    if not running:
        return newest
    if cursor.pending_position is None:
        cursor.pending_position, cursor.pending_writers = newest, running
    return target


def _lock_key(name: str) -> int:
    return int.from_bytes(name.encode()[:8].ljust(8, b"\0"), "big") & 0x7FFFFFFFFFFFFFFF


def advance(
    name: str,
    table: str,
    fold: Callable[[int, int], None],
    *,
    batch_size: int | None = None,
    max_batches: int | None = None,
    after_batch: Callable[[int], None] | None = None,
) -> int:
    """Fold ``table``'s rows past the cursor ``name`` with ``fold(low, high)`` (ids in
    (low, high]), one transaction per batch that also moves the cursor. Returns the number
    of batches folded; 0 when another run holds the cursor or there was nothing to do."""
    if not enabled():
        return 0
    batch_size = batch_size or settings.ROLLUPS_BATCH_SIZE
    key = _lock_key(name)
    with connection.cursor() as db:
        db.execute("SELECT pg_try_advisory_lock(%s)", [key])
        if not db.fetchone()[0]:
            logger.info("roll-up %s is being updated by another run", name)
            return 0
    try:
        cursor, _created = RollupCursor.objects.get_or_create(name=name)
        target = safe_position(cursor, table)
        cursor.save(update_fields=["pending_position", "pending_writers", "updated_at"])
        batches = 0
        while cursor.position < target and (max_batches is None or batches < max_batches):
            high = min(cursor.position + batch_size, target)
            with transaction.atomic():
                fold(cursor.position, high)
                cursor.position = high
                cursor.save(update_fields=["position", "updated_at"])
            batches += 1
            if after_batch is not None:
                after_batch(high)
        return batches
    finally:
        with connection.cursor() as db:
            db.execute("SELECT pg_advisory_unlock(%s)", [key])


def position_subquery(name: str) -> Coalesce:
    """The cursor's position, as part of a reader's query (so both share one snapshot)."""
    return Coalesce(
        Subquery(RollupCursor.objects.filter(name=name).values("position")[:1]),
        Value(0),
        output_field=BigIntegerField(),
    )


def reset(name: str, *, position: int) -> None:
    RollupCursor.objects.update_or_create(
        name=name,
        defaults={"position": position, "pending_position": None, "pending_writers": []},
    )


def lock_for_rebuild(tables: Iterable[str]) -> None:
    """Wait for every writer of ``tables`` and keep new ones out until the transaction ends,
    so a rebuild sees a state in which every id up to the maximum is committed."""
    with connection.cursor() as db:
        db.execute(f"LOCK TABLE {', '.join(tables)} IN SHARE MODE")


# --- The ledger roll-up ---------------------------------------------------------------------

_FOLD_LEDGER = """
INSERT INTO funds_ledgermonth
    (fund_id, month, kind, reversed_kind, source_type, campaign_id, project_id,
     credit, debit, entries)
SELECT e.fund_id, date_trunc('month', e.posted_at AT TIME ZONE %(tz)s)::date, e.kind,
       coalesce(r.kind, ''), e.source_type, e.campaign_id, e.project_id,
       coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0),
       coalesce(sum(e.amount) FILTER (WHERE e.amount < 0), 0),
       count(*)
FROM funds_ledgerentry e LEFT JOIN funds_ledgerentry r ON r.id = e.reverses_id
WHERE {where}
GROUP BY 1, 2, 3, 4, 5, 6, 7
ON CONFLICT (fund_id, month, kind, reversed_kind, source_type, coalesce(campaign_id, 0),
             coalesce(project_id, 0))
DO UPDATE SET credit = funds_ledgermonth.credit + EXCLUDED.credit,
              debit = funds_ledgermonth.debit + EXCLUDED.debit,
              entries = funds_ledgermonth.entries + EXCLUDED.entries
"""


_FOLD_HOSTS = """
INSERT INTO funds_hostledgermonth (host_id, month, kind, reversed_kind, credit, debit, entries)
SELECT f.host_id, date_trunc('month', e.posted_at AT TIME ZONE %(tz)s)::date, e.kind,
       coalesce(r.kind, ''),
       coalesce(sum(e.amount) FILTER (WHERE e.amount > 0), 0),
       coalesce(sum(e.amount) FILTER (WHERE e.amount < 0), 0),
       count(*)
FROM funds_ledgerentry e
JOIN funds_fund f ON f.id = e.fund_id
LEFT JOIN funds_ledgerentry r ON r.id = e.reverses_id
WHERE {where}
GROUP BY 1, 2, 3, 4
ON CONFLICT (host_id, month, kind, reversed_kind)
DO UPDATE SET credit = funds_hostledgermonth.credit + EXCLUDED.credit,
              debit = funds_hostledgermonth.debit + EXCLUDED.debit,
              entries = funds_hostledgermonth.entries + EXCLUDED.entries
"""


def _fold_ledger(low: int, high: int) -> None:
    params = {"tz": settings.TIME_ZONE, "low": low, "high": high}
    with connection.cursor() as db:
        for sql in (_FOLD_LEDGER, _FOLD_HOSTS):
            db.execute(sql.format(where="e.id > %(low)s AND e.id <= %(high)s"), params)


def update_ledger_rollup(**kwargs) -> int:
    """Fold new ledger entries into ``LedgerMonth``; see ``advance`` for the arguments."""
    return advance(LEDGER_CURSOR, "funds_ledgerentry", _fold_ledger, **kwargs)


@transaction.atomic
def rebuild_ledger_rollup() -> None:
    """Recompute ``LedgerMonth`` from every entry (after a bulk load, or to repair)."""
    if not enabled():
        return
    lock_for_rebuild(["funds_ledgerentry"])
    with connection.cursor() as db:
        db.execute("DELETE FROM funds_ledgermonth")
        db.execute("DELETE FROM funds_hostledgermonth")
        db.execute(_FOLD_LEDGER.format(where="TRUE"), {"tz": settings.TIME_ZONE})
        db.execute(_FOLD_HOSTS.format(where="TRUE"), {"tz": settings.TIME_ZONE})
        db.execute("SELECT coalesce(max(id), 0) FROM funds_ledgerentry")
        newest = db.fetchone()[0]
    reset(LEDGER_CURSOR, position=newest)


# --- Readers --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A roll-up table and the raw rows it is made from, with the same column names.

    ``rollup`` and ``tail`` return querysets; ``tail`` is every raw row (the readers keep
    those past the cursor ``cursor``).
    """

    cursor: str
    rollup: Callable[[], QuerySet]
    tail: Callable[[], QuerySet]


def _ledger_tail() -> QuerySet:
    return LedgerEntry.objects.annotate(
        month=Cast(TruncMonth("posted_at"), DateField()),
        reversed_kind=Coalesce(F("reverses__kind"), Value("")),
        credit=Case(
            When(amount__gt=0, then=F("amount")), default=Value(ZERO), output_field=SUM_FIELD
        ),
        debit=Case(
            When(amount__lt=0, then=F("amount")), default=Value(ZERO), output_field=SUM_FIELD
        ),
    )


# Columns: fund, month (date), kind, reversed_kind, source_type, campaign, project, credit
# (the money in, > 0) and debit (the money out, < 0).
LEDGER = Source(LEDGER_CURSOR, LedgerMonth.objects.all, _ledger_tail)

# The same per host: host, month, kind, reversed_kind, credit, debit.
HOST_LEDGER = Source(
    LEDGER_CURSOR,
    HostLedgerMonth.objects.all,
    lambda: _ledger_tail().annotate(host=F("fund__host")),
)

_positions: contextvars.ContextVar[dict | None] = contextvars.ContextVar(
    "rollup_positions", default=None
)


def _read_positions(names: Iterable[str]) -> dict[str, int]:
    found = dict(RollupCursor.objects.filter(name__in=list(names)).values_list("name", "position"))
    return {name: found.get(name, 0) for name in names}


@contextmanager
def reading(*sources: Source):
    """Read the cursors of ``sources`` once (one query) for every reader inside the block."""
    # Read on every database (SQLite has no roll-ups), so a page's query count is the same.
    token = _positions.set(_read_positions([s.cursor for s in sources]))
    try:
        yield
    finally:
        _positions.reset(token)


def position(source: Source) -> int:
    """The cursor position readers start from: read once per ``reading`` block."""
    cache = _positions.get()
    if cache is not None and source.cursor in cache:
        return cache[source.cursor]
    return _read_positions([source.cursor])[source.cursor]


def consistent_read(source: Source, read: Callable[[int], list]) -> list:
    """Run ``read(position)``, a query whose tail is "id > position" and whose rows carry
    ``rollup_position`` (``position_subquery``), again while the cursor moved in between."""
    current = position(source)
    for _attempt in range(5):
        rows = read(current)
        moved = {row.rollup_position for row in rows} - {current}
        if not moved:
            return rows
        current = moved.pop()
        cache = _positions.get()
        if cache is not None:
            cache[source.cursor] = current
    raise RuntimeError("the roll-up kept moving while it was read")  # pragma: no cover


def money(field: str, condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum(field, filter=condition), Value(ZERO), output_field=SUM_FIELD)


def net(condition: Q | None = None) -> ExpressionWrapper:
    """Money in plus money out (a ledger source's credit + debit)."""
    return ExpressionWrapper(
        money("credit", condition) + money("debit", condition), output_field=SUM_FIELD
    )


def grouped_sums(
    source: Source,
    *,
    where: Q,
    group: list[str],
    sums: dict[str, Callable[[], object]],
) -> list[dict]:
    """``sums`` (name -> aggregate factory) per distinct ``group``, ordered by ``group``
    (nulls last): the roll-up plus the raw rows past its cursor, in one SQL statement.

    The cursor position W is read before (once per ``reading`` block) and the tail is
    "id > W" with W a constant, so Postgres walks the primary key from W. The roll-up part
    returns the cursor's position in the statement's own snapshot: if the job moved the
    cursor in between, the rows would be counted twice, so the statement is run again with
    the new position.
    """

    # Aliases, so a sum may be named like a column ("month") without hiding it.
    names = {f"_sum{index}": name for index, name in enumerate(sums)}
    aliased = {alias: sums[name] for alias, name in names.items()}

    def part(queryset: QuerySet, position_column) -> QuerySet:
        return (
            queryset.annotate(_position=position_column)
            .filter(where)
            .values(*group, "_position")
            .annotate(**{alias: make() for alias, make in aliased.items()})
            .order_by()
        )

    if not enabled():
        rows = list(part(source.tail(), Value(0, output_field=BigIntegerField())))
    else:
        cache = _positions.get()
        current = position(source)
        for _attempt in range(5):
            rollup = part(source.rollup(), position_subquery(source.cursor))
            tail = part(
                source.tail().filter(pk__gt=current),
                Value(current, output_field=BigIntegerField()),
            )
            rows = list(rollup.union(tail, all=True))
            moved = {row["_position"] for row in rows} - {current}
            if not moved:
                break
            current = moved.pop()
            if cache is not None:
                cache[source.cursor] = current
        else:  # pragma: no cover - the job would have to move five times in a row
            raise RuntimeError("the roll-up kept moving while it was read")
    merged: dict[tuple, dict] = {}
    for row in rows:
        del row["_position"]
        for alias, name in names.items():
            row[name] = row.pop(alias)
        key = tuple(row[g] for g in group)
        if key not in merged:
            merged[key] = row
        else:
            for name in sums:
                merged[key][name] += row[name]
    for row in merged.values():
        for name in sums:
            if isinstance(row[name], Decimal):
                row[name] = round_money(row[name])
    return [merged[key] for key in sorted(merged, key=sort_key)]


def sort_key(key: tuple) -> tuple:
    return tuple((value is None, value if value is not None else 0) for value in key)


def totals(source: Source, *, where: Q, sums: dict[str, Callable[[], object]]) -> dict:
    """Like ``grouped_sums`` with no grouping: one dict of totals."""
    rows = grouped_sums(source, where=where, group=[], sums=sums)
    if rows:
        return {name: rows[0][name] for name in sums}
    return dict.fromkeys(sums, ZERO)


def month_of(moment: datetime.datetime | datetime.date) -> datetime.date:
    if isinstance(moment, datetime.datetime):
        from django.utils import timezone

        moment = timezone.localtime(moment).date()
    return moment.replace(day=1)
