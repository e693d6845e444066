"""Row locks go through ``core.locks.lock`` and every service that locks holds its own
transaction. The source is read to find them (``lock_discovery``), so a new locking service is
checked without being listed; and the suite-wide guard in ``tests/conftest.py`` refuses, in
every test, a lock that only the test's own transaction would hold."""

import ast
import textwrap
from pathlib import Path

import pytest
from django.db import transaction

from core.locks import LockOutsideTransaction, lock
from stations.models import Station
from tests.core.lock_discovery import (
    APPS,
    ROOT,
    locking_functions,
    needing_a_callers_transaction,
)

# Public functions that lock on purpose inside their caller's transaction, and say so.
CALLERS_TRANSACTION = {
    # The receipt number is part of the confirmation: its row lock must be the confirmation's.
    "donations.receipt_numbers.next_sequence",
}


def _source_files():
    for package in (*APPS, "config"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_every_row_lock_goes_through_core_locks():
    offenders = []
    for path in _source_files():
        if path == ROOT / "core" / "locks.py":
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "select_for_update":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == [], "use core.locks.lock: " + ", ".join(offenders)


def test_every_public_locking_function_holds_its_own_transaction():
    table = locking_functions()
    assert (
        "funds.services.campaigns.publish_campaign" in table
    )  # the discovery sees through the code
    assert "donations.services.confirming.confirm_donation" in table
    bare = {
        name
        for name in needing_a_callers_transaction(table)
        if not table[name].name.split(".")[-1].startswith("_")
    }
    assert bare == CALLERS_TRANSACTION


def _write(root: Path, name: str, source: str) -> None:
    (root / "shop").mkdir(exist_ok=True)
    (root / "shop" / "__init__.py").write_text("")
    (root / "shop" / f"{name}.py").write_text(textwrap.dedent(source))


def test_the_discovery_flags_a_new_service_that_locks_without_a_transaction(tmp_path):
    _write(
        tmp_path,
        "services",
        """
        from django.db import transaction

        from core.locks import lock

        from .models import Shelf


        def _locked(shelf):
            return lock(Shelf.objects).get(pk=shelf.pk)


        def restock(shelf):
            shelf = _locked(shelf)
            shelf.save()


        @transaction.atomic
        def count(shelf):
            return _locked(shelf)


        def empty(shelf):
            with transaction.atomic():
                _locked(shelf).delete()


        def count_then_restock(shelf):
            count(shelf)
            restock(shelf)
        """,
    )
    table = locking_functions(tmp_path, ("shop",))
    assert set(table) == {
        "shop.services._locked",
        "shop.services.restock",
        "shop.services.count",
        "shop.services.empty",
        "shop.services.count_then_restock",
    }
    assert needing_a_callers_transaction(table) == {
        "shop.services._locked",
        "shop.services.restock",
        "shop.services.count_then_restock",
    }


@pytest.mark.django_db(transaction=True)
def test_a_lock_outside_a_transaction_is_refused_before_any_query(django_assert_num_queries):
    with django_assert_num_queries(0), pytest.raises(LockOutsideTransaction):
        lock(Station.objects)
    with transaction.atomic():
        assert list(lock(Station.objects, of=("self",))) == []


@pytest.mark.django_db
def test_inside_a_test_a_lock_only_the_tests_transaction_holds_is_refused():
    """The suite-wide guard: a service without ``transaction.atomic`` fails in every test."""
    with pytest.raises(LockOutsideTransaction, match="test's"):
        list(lock(Station.objects))
    with transaction.atomic():
        assert list(lock(Station.objects)) == []
