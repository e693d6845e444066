"""Ten payments at once on one fund whose total exceeds its balance (Postgres, real threads).

The race is proved first: with the fund lock taken away, the same payments overdraw the
fund. With the lock, exactly those that fit succeed and no balance goes below zero.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections

import funds.services.ledger
from funds.models import LedgerEntry
from funds.selectors import fund_balances
from funds.services import Source, post_entry, spend_for_project

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAYMENTS = 10


def run_payments(fund, project) -> list[str]:
    """Start PAYMENTS threads together, each paying ¥30 for ``project``; return outcomes."""
    start = threading.Barrier(PAYMENTS)
    outcomes: list[str] = []

    def pay(number: int) -> None:
        try:
            start.wait(timeout=10)
            spend_for_project(
                fund=fund, project=project, amount=Decimal("30.00"), source=Source("race", number)
            )
            outcomes.append("paid")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=pay, args=(n,)) for n in range(PAYMENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def slow_balance_read(monkeypatch):
    """Widen the window between reading the ledger and committing, as a busy server would."""
    original = funds.services.ledger.unspent_credits

    def slow(*args, **kwargs):
        credits = list(original(*args, **kwargs))
        time.sleep(0.3)
        return credits

    monkeypatch.setattr(funds.services.ledger, "unspent_credits", slow)


def fund_with_100_yuan(fund, project):
    post_entry(fund=fund, amount=Decimal("40.00"), kind=LedgerEntry.Kind.DONATION, project=project)
    post_entry(fund=fund, amount=Decimal("60.00"), kind=LedgerEntry.Kind.DONATION)


def test_without_the_lock_the_race_overdraws_the_fund(fund, project, monkeypatch):
    fund_with_100_yuan(fund, project)
    slow_balance_read(monkeypatch)
    monkeypatch.setattr(funds.services.ledger, "_lock_fund", lambda fund: fund)
    outcomes = run_payments(fund, project)
    # Every thread saw ¥100 and paid: the balance went below zero.
    assert outcomes.count("paid") > 3
    assert fund_balances(fund)["total"] < 0


def test_with_the_lock_exactly_the_payments_that_fit_succeed(fund, project, monkeypatch):
    fund_with_100_yuan(fund, project)
    slow_balance_read(monkeypatch)
    outcomes = run_payments(fund, project)
    assert outcomes.count("paid") == 3 and outcomes.count("refused") == PAYMENTS - 3
    balances = fund_balances(fund)
    assert balances["total"] == Decimal("10.00")
    assert balances["unrestricted"] >= 0 and balances["restricted"] >= 0
