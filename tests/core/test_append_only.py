"""TRUNCATE is refused on every append-only table, in Postgres, whoever asks: the ledger and
its attributions, the audit history, the reports (published ones never change) and the
receipts."""

import pytest
from django.db import DatabaseError, connection, transaction

from core.append_only import ALLOW

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

APPEND_ONLY = (
    "funds_ledgerentry",
    "funds_attribution",
    "auditlog_logentry",
    "reports_report",
    "donations_receipt",
)


@pytest.mark.parametrize("table", APPEND_ONLY)
def test_truncate_is_refused(table):
    # CASCADE: without it the foreign keys alone would stop some of these.
    for sql in (f"TRUNCATE {table} CASCADE", f"TRUNCATE ONLY {table} CASCADE"):
        with (
            pytest.raises(DatabaseError, match="append-only: TRUNCATE refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql)


def test_a_truncate_of_several_tables_naming_one_of_them_is_refused():
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE operations_outboxmessage, funds_ledgerentry CASCADE")


@pytest.mark.django_db(transaction=True)
def test_only_a_transaction_that_says_so_may_truncate():
    """The escape the test suite's flush uses: only for the transaction that sets it (real
    transactions here: a savepoint would keep the setting for the next statement)."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(ALLOW)
        cursor.execute("TRUNCATE funds_attribution")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("TRUNCATE funds_attribution")
