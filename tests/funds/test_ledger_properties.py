"""Property test: random sequences of credits, restricted credits, spending and reversals."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from funds.models import Attribution, LedgerEntry
from funds.selectors import fund_balances, restricted_balances
from funds.services import Source, post_entry, reverse_entry, spend_for_project

pytestmark = pytest.mark.django_db

amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)
operations = st.lists(
    st.one_of(
        st.tuples(st.just("credit"), amounts),
        st.tuples(st.just("restricted_credit"), amounts),
        st.tuples(st.just("spend"), amounts),
        st.tuples(st.just("spend_unrestricted"), amounts),
        st.tuples(st.just("reverse"), st.integers(min_value=0, max_value=50)),
    ),
    max_size=25,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=operations)
def test_ledger_invariants_hold_for_any_sequence(fund, project, ops):
    with transaction.atomic():
        for number, (op, value) in enumerate(ops):
            try:
                with transaction.atomic():
                    apply(fund, project, number, op, value)
            except ValidationError:
                pass  # refused operations must leave no trace; checked below
            check_invariants(fund)
        transaction.set_rollback(True)


def apply(fund, project, number, op, value):
    kind = LedgerEntry.Kind
    if op == "credit":
        post_entry(fund=fund, amount=value, kind=kind.DONATION)
    elif op == "restricted_credit":
        post_entry(fund=fund, amount=value, kind=kind.DONATION, project=project)
    elif op == "spend":
        spend_for_project(fund=fund, project=project, amount=value, source=Source("prop", number))
    elif op == "spend_unrestricted":
        post_entry(fund=fund, amount=-value, kind=kind.DISBURSEMENT)
    else:
        entries = list(LedgerEntry.objects.filter(fund=fund).order_by("pk"))
        if entries:
            reverse_entry(entry=entries[value % len(entries)])


def check_invariants(fund):
    # Sums are recomputed in Python (exact Decimal) to check the database's aggregates.
    entries = list(LedgerEntry.objects.filter(fund=fund))
    balances = fund_balances(fund)
    assert balances["total"] == sum((e.amount for e in entries), Decimal(0))
    assert balances["total"] >= 0 and balances["unrestricted"] >= 0
    assert all(balance >= 0 for balance in restricted_balances(fund).values())
    attributions = list(Attribution.objects.select_related("debit", "credit"))
    for entry in entries:
        if entry.amount < 0:
            paid_from = sum(a.amount for a in attributions if a.debit_id == entry.pk)
            assert paid_from == -entry.amount
        else:
            used = sum((a.amount for a in attributions if a.credit_id == entry.pk), Decimal(0))
            assert used <= entry.amount
    for attribution in attributions:
        assert attribution.debit.project_id == attribution.credit.project_id
