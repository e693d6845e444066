"""Two distributions of the last unit of a lot at the same moment (Postgres, real threads).

The race is proved first: without the lot lock, both read one unit left and both give it out
(the stock constraint would then fail one at commit at best, or with a read-modify-write both
"succeed"). With the lock, exactly one succeeds and the other is told the stock is short.
"""

import threading
import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import close_old_connections

import donations.goods_services
from donations.goods_services import ItemLine, distribute_goods
from donations.models import GoodsItem, GoodsMovement
from tests.donations.conftest import receive_goods

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 2


def run_distributions(lot, project, by) -> list[str]:
    start = threading.Barrier(THREADS)
    outcomes: list[str] = []

    def give() -> None:
        try:
            start.wait(timeout=10)
            distribute_goods(by=by, lot=lot, quantity="1", project=project)
            outcomes.append("given")
        except ValidationError:
            outcomes.append("refused")
        finally:
            close_old_connections()

    threads = [threading.Thread(target=give) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def slow_take(monkeypatch):
    """Widen the window between reading the stock and writing it, as a busy server would."""
    original = donations.goods_services._take

    def slow(lot, quantity):
        time.sleep(0.3)
        return original(lot, quantity)

    monkeypatch.setattr(donations.goods_services, "_take", slow)


def last_unit(point, by) -> GoodsItem:
    donation = receive_goods(
        point, by, ItemLine(category="daily", name="电饭煲", quantity="1", unit="台")
    )
    return donation.items.get()


def test_without_the_lock_both_give_out_the_last_unit(point, project, cast, monkeypatch):
    lot = last_unit(point, cast.director)
    slow_take(monkeypatch)
    monkeypatch.setattr(
        donations.goods_services, "_lock_lot", lambda lot: GoodsItem.objects.get(pk=lot.pk)
    )
    outcomes = run_distributions(lot, project, cast.director)
    assert outcomes.count("given") == 2
    # One unit went out twice: the movements say 2 left the store, the stock says 1 did.
    out = GoodsMovement.objects.filter(lot=lot, kind="project").count()
    assert out == 2 and GoodsItem.objects.get(pk=lot.pk).remaining == 0


def test_with_the_lock_exactly_one_distribution_succeeds(point, project, cast, monkeypatch):
    lot = last_unit(point, cast.director)
    slow_take(monkeypatch)
    outcomes = run_distributions(lot, project, cast.director)
    assert sorted(outcomes) == ["given", "refused"]
    assert GoodsItem.objects.get(pk=lot.pk).remaining == Decimal("0")
    assert GoodsMovement.objects.filter(lot=lot, kind="project").count() == 1
