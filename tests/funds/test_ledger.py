from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from funds.models import Attribution, LedgerEntry
from funds.selectors import fund_balances, restricted_balances, where_credits_went
from funds.services import Source, post_entry, reverse_entry, spend_for_project

pytestmark = pytest.mark.django_db

D = Decimal
Kind = LedgerEntry.Kind


def credit(fund, amount, project=None, source_id=None):
    return post_entry(
        fund=fund,
        amount=D(amount),
        kind=Kind.DONATION,
        project=project,
        source=Source("tests.gift", source_id) if source_id else None,
        public_name="爱心人士",
    )


def test_balances_are_sums_of_entries(fund, project):
    credit(fund, "100.00")
    credit(fund, "50.50", project)
    credit(fund, "20.00", project)
    balances = fund_balances(fund)
    assert balances == {
        "total": D("170.50"),
        "unrestricted": D("100.00"),
        "restricted": D("70.50"),
    }
    assert restricted_balances(fund) == {project.pk: D("70.50")}


def test_money_out_beyond_the_balance_is_refused_with_the_amounts(fund):
    credit(fund, "80.00")
    with pytest.raises(ValidationError) as error:
        post_entry(fund=fund, amount=D("-100.00"), kind=Kind.ADJUSTMENT)
    assert "¥100.00" in str(error.value) and "¥80.00" in str(error.value)
    assert LedgerEntry.objects.count() == 1


@pytest.mark.parametrize("amount", ["0", "-0.00", "0.001", "1e3000"])
def test_bad_amounts_are_refused(fund, amount):
    with pytest.raises(ValidationError):
        post_entry(fund=fund, amount=D(amount), kind=Kind.DONATION)
    assert not LedgerEntry.objects.exists()


def test_restricted_money_cannot_pay_another_purpose(fund, project):
    credit(fund, "100.00", project)
    with pytest.raises(ValidationError):
        post_entry(fund=fund, amount=D("-1.00"), kind=Kind.ADJUSTMENT)


def test_project_outside_the_funds_station_is_refused(fund, network):
    from projects.models import Project

    elsewhere = Project.objects.create(
        station=network.community_b1, title="x", kind="assistance", category="other"
    )
    with pytest.raises(ValidationError):
        credit(fund, "10.00", elsewhere)


def test_spending_uses_restricted_money_first_then_unrestricted_fifo(fund, project):
    first = credit(fund, "30.00")
    second = credit(fund, "40.00")
    gift = credit(fund, "50.00", project)
    entries = spend_for_project(
        fund=fund, project=project, amount=D("100.00"), source=Source("tests.pay", 1)
    )
    assert [(e.project_id, e.amount) for e in entries] == [
        (project.pk, D("-50.00")),
        (None, D("-50.00")),
    ]
    attributed = {(a.credit_id, a.amount) for a in Attribution.objects.all()}
    assert attributed == {(gift.pk, D("50.00")), (first.pk, D("30.00")), (second.pk, D("20.00"))}
    assert fund_balances(fund)["total"] == D("20.00")
    trace = list(where_credits_went([second.pk]))
    assert [(t.debit_id, t.amount) for t in trace] == [(entries[1].pk, D("20.00"))]


def test_spending_more_than_both_balances_is_refused(fund, project):
    credit(fund, "10.00", project)
    credit(fund, "20.00")
    with pytest.raises(ValidationError) as error:
        spend_for_project(fund=fund, project=project, amount=D("30.01"), source=Source("t", 1))
    message = str(error.value)
    assert "¥30.01" in message and "¥10.00" in message and "¥20.00" in message
    assert LedgerEntry.objects.filter(amount__lt=0).count() == 0


def test_the_same_source_posts_once(fund, project):
    first = credit(fund, "10.00", source_id=7)
    again = credit(fund, "10.00", source_id=7)
    assert first.pk == again.pk
    credit(fund, "100.00")
    pay = spend_for_project(fund=fund, project=project, amount=D("5.00"), source=Source("p", 1))
    assert (
        spend_for_project(fund=fund, project=project, amount=D("5.00"), source=Source("p", 1))
        == pay
    )
    assert LedgerEntry.objects.count() == 3


def test_reversing_a_credit_refunds_that_gift_first(fund):
    older = credit(fund, "30.00")
    gift = credit(fund, "20.00")
    reversal = reverse_entry(entry=gift, kind=Kind.REFUND)
    assert reversal.amount == D("-20.00") and reversal.reverses == gift
    assert list(Attribution.objects.values_list("credit_id", "amount")) == [(gift.pk, D("20.00"))]
    assert fund_balances(fund)["total"] == D("30.00")
    with pytest.raises(ValidationError):
        reverse_entry(entry=gift)
    with pytest.raises(ValidationError):
        reverse_entry(entry=reversal)
    assert older.amount == D("30.00")


def test_reversing_a_spent_credit_needs_the_balance(fund, project):
    gift = credit(fund, "50.00")
    post_entry(fund=fund, amount=D("-45.00"), kind=Kind.ADJUSTMENT)
    with pytest.raises(ValidationError):
        reverse_entry(entry=gift, kind=Kind.REFUND)


def test_the_orm_refuses_to_change_or_delete_entries(fund):
    entry = credit(fund, "10.00")
    entry.amount = D("99.00")
    with pytest.raises(TypeError):
        entry.save()
    with pytest.raises(TypeError):
        entry.delete()
    with pytest.raises(TypeError):
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=D("1.00"))
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().delete()
    assert LedgerEntry.objects.get().amount == D("10.00")


@pytest.mark.postgres
def test_postgres_refuses_update_and_delete_on_the_ledger(fund):
    from django.db import DatabaseError, connection, transaction

    entry = credit(fund, "10.00")
    post_entry(fund=fund, amount=D("-4.00"), kind=Kind.ADJUSTMENT)
    for sql in (
        "UPDATE funds_ledgerentry SET amount = 1 WHERE id = %s",
        "DELETE FROM funds_ledgerentry WHERE id = %s",
    ):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            connection.cursor().execute(sql, [entry.pk])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        connection.cursor().execute("DELETE FROM funds_attribution")
    assert LedgerEntry.objects.aggregate(total=Sum("amount"))["total"] == D("6.00")
