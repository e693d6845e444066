"""Monthly roll-ups of money donations (per fund, channel and month) and of verified volunteer
service (per station and month), and the job that keeps every roll-up up to date.

Donations and service records change after they are written (a gift is refunded, a record
verified or corrected), so they cannot be read once by id like the ledger. Postgres triggers
(migration 0005) write each change to a counted figure into ``FigureChange``, an append-only
queue with its own id; ``update_figure_rollups`` folds it into ``DonationMonth`` and
``ServiceMonth`` with the same safe cursor as the ledger (``funds.rollups``), removing the
folded changes in the same transaction. A change carries the moment it counts at (confirmed,
refunded, started), so a back-dated gift or a refund lands in its own month.

Readers add the changes not folded yet, in the same SQL statement, so figures are exact
whether or not the job has run.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case, DateField, F, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast, TruncMonth

from funds import rollups as ledger_rollups
from funds.rollups import SUM_FIELD, ZERO, Source, advance, enabled

from .models import DonationMonth, FigureChange, ServiceMonth

logger = logging.getLogger(__name__)

FIGURES_CURSOR = "reports.figures"

_FOLD_DONATIONS = """
INSERT INTO reports_donationmonth (fund_id, channel, month, donations, donated, refunds, refunded)
SELECT fund_id, channel, date_trunc('month', at AT TIME ZONE %(tz)s)::date,
       coalesce(sum(count) FILTER (WHERE figure = 'donation'), 0),
       coalesce(sum(amount) FILTER (WHERE figure = 'donation'), 0),
       coalesce(sum(count) FILTER (WHERE figure = 'refund'), 0),
       coalesce(sum(amount) FILTER (WHERE figure = 'refund'), 0)
FROM reports_figurechange
WHERE id > %(low)s AND id <= %(high)s AND figure IN ('donation', 'refund')
GROUP BY 1, 2, 3
ON CONFLICT (fund_id, channel, month)
DO UPDATE SET donations = reports_donationmonth.donations + EXCLUDED.donations,
              donated = reports_donationmonth.donated + EXCLUDED.donated,
              refunds = reports_donationmonth.refunds + EXCLUDED.refunds,
              refunded = reports_donationmonth.refunded + EXCLUDED.refunded
"""

_FOLD_SERVICE = """
INSERT INTO reports_servicemonth (station_id, month, records, hours)
SELECT station_id, date_trunc('month', at AT TIME ZONE %(tz)s)::date, sum(count), sum(amount)
FROM reports_figurechange
WHERE id > %(low)s AND id <= %(high)s AND figure = 'service'
GROUP BY 1, 2
ON CONFLICT (station_id, month)
DO UPDATE SET records = reports_servicemonth.records + EXCLUDED.records,
              hours = reports_servicemonth.hours + EXCLUDED.hours
"""


def _fold_figures(low: int, high: int) -> None:
    params = {"tz": settings.TIME_ZONE, "low": low, "high": high}
    with connection.cursor() as db:
        db.execute(_FOLD_DONATIONS, params)
        db.execute(_FOLD_SERVICE, params)
        db.execute("DELETE FROM reports_figurechange WHERE id > %(low)s AND id <= %(high)s", params)


def update_figure_rollups(**kwargs) -> int:
    return advance(FIGURES_CURSOR, "reports_figurechange", _fold_figures, **kwargs)


def update_all(**kwargs) -> dict[str, float]:
    """Bring every roll-up up to date; returns the seconds each took."""
    timings = {}
    for name, update in (
        ("ledger", ledger_rollups.update_ledger_rollup),
        ("figures", update_figure_rollups),
    ):
        started = time.monotonic()
        update(**kwargs)
        timings[name] = round(time.monotonic() - started, 3)
    return timings


_REBUILD_DONATIONS = """
INSERT INTO reports_donationmonth (fund_id, channel, month, donations, donated, refunds, refunded)
SELECT fund_id, channel, month,
       count(*) FILTER (WHERE status = 'confirmed'),
       coalesce(sum(amount) FILTER (WHERE status = 'confirmed'), 0),
       count(*) FILTER (WHERE status = 'refunded'),
       coalesce(sum(amount) FILTER (WHERE status = 'refunded'), 0)
FROM (
    SELECT fund_id, channel, amount, status,
           date_trunc('month', confirmed_at AT TIME ZONE %(tz)s)::date AS month
    FROM donations_donation WHERE status = 'confirmed' AND confirmed_at IS NOT NULL
    UNION ALL
    SELECT fund_id, channel, amount, status,
           date_trunc('month', refunded_at AT TIME ZONE %(tz)s)::date
    FROM donations_donation WHERE status = 'refunded' AND refunded_at IS NOT NULL
) counted
GROUP BY 1, 2, 3
"""

_REBUILD_SERVICE = """
INSERT INTO reports_servicemonth (station_id, month, records, hours)
SELECT station_id, date_trunc('month', started_at AT TIME ZONE %(tz)s)::date, count(*), sum(hours)
FROM volunteers_servicerecord WHERE status = 'verified'
GROUP BY 1, 2
"""


@transaction.atomic
def rebuild_figure_rollups() -> None:
    """Recompute donation and service roll-ups from the raw rows (after a bulk load with the
    triggers off, or to repair); the queue is emptied."""
    if not enabled():
        return
    ledger_rollups.lock_for_rebuild(
        ["donations_donation", "volunteers_servicerecord", "reports_figurechange"]
    )
    params = {"tz": settings.TIME_ZONE}
    with connection.cursor() as db:
        db.execute("DELETE FROM reports_donationmonth")
        db.execute("DELETE FROM reports_servicemonth")
        db.execute(_REBUILD_DONATIONS, params)
        db.execute(_REBUILD_SERVICE, params)
        db.execute("SELECT coalesce(max(id), 0) FROM reports_figurechange")
        newest = db.fetchone()[0]
        db.execute("DELETE FROM reports_figurechange")
    ledger_rollups.reset(FIGURES_CURSOR, position=newest)


def rebuild_all() -> None:
    ledger_rollups.rebuild_ledger_rollup()
    rebuild_figure_rollups()


# --- Readers --------------------------------------------------------------------------------


def _pending(figures: tuple[str, ...]) -> QuerySet:
    return FigureChange.objects.filter(figure__in=figures).annotate(
        month=Cast(TruncMonth("at"), DateField())
    )


def _donation_tail() -> QuerySet:
    return _pending(("donation", "refund")).annotate(
        donations=Case(
            When(figure="donation", then=F("count")), default=Value(0), output_field=IntegerField()
        ),
        donated=Case(
            When(figure="donation", then=F("amount")), default=Value(ZERO), output_field=SUM_FIELD
        ),
        refunds=Case(
            When(figure="refund", then=F("count")), default=Value(0), output_field=IntegerField()
        ),
        refunded=Case(
            When(figure="refund", then=F("amount")), default=Value(ZERO), output_field=SUM_FIELD
        ),
    )


def _service_tail() -> QuerySet:
    return _pending(("service",)).annotate(records=F("count"), hours=F("amount"))


# Columns: fund, channel, month, donations, donated, refunds, refunded.
DONATIONS = Source(FIGURES_CURSOR, DonationMonth.objects.all, _donation_tail)
# Columns: station, month, records, hours.
SERVICE = Source(FIGURES_CURSOR, ServiceMonth.objects.all, _service_tail)
