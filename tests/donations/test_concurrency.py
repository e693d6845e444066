"""Races on Postgres with real threads: confirmations, form tokens, Idempotency-Keys and
replayed gateway notifications."""

import json
import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections
from django.test import Client
from django.utils import timezone

from donations import services
from donations.models import Donation, Receipt
from donations.payments.sandbox import SIGNATURE_HEADER, notification_body, sign
from funds.models import LedgerEntry
from funds.selectors import fund_balance

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def run_together(count: int, work) -> list:
    """Start ``count`` threads at the same moment; return what each returned (or raised)."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            start.wait(timeout=20)
            results[index] = work(index)
        except Exception as error:  # noqa: BLE001 - collected for the assertions
            results[index] = error
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_50_confirmations_at_once_50_credits_exact_balance_gapless_numbers(fund, donation_factory):
    donations = [donation_factory(amount=f"{n}.01") for n in range(1, 51)]
    results = run_together(
        50,
        lambda i: services.confirm_donation(
            donation=donations[i], by=None, channel="online_sandbox", reference=f"T{i}"
        ),
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert LedgerEntry.objects.filter(fund=fund, kind="donation").count() == 50
    expected = sum(Decimal(f"{n}.01") for n in range(1, 51))
    assert fund_balance(fund) == expected
    sequences = sorted(Receipt.objects.values_list("sequence", flat=True))
    assert sequences == list(range(1, 51))
    year = timezone.localdate().year
    assert Receipt.objects.filter(number=f"TH-{year}-000050").exists()


def test_the_same_donation_confirmed_by_many_at_once_is_credited_once(fund, donation_factory):
    donation = donation_factory(amount="10")
    results = run_together(
        10, lambda i: services.confirm_donation(donation=donation, by=None, channel="cash")
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert LedgerEntry.objects.count() == 1 and Receipt.objects.count() == 1


def test_the_same_form_token_posted_20_times_at_once_makes_one_donation(point, fund, settings):
    settings.DONATIONS_PUBLIC_POST_RATE = "1000/m"
    client = Client()
    import re

    html = client.get(f"/d/{point.code}/").content.decode()
    token = re.search(r'name="form_token" value="([^"]+)"', html).group(1)
    data = {"target": f"f-{fund.code}", "amount_preset": "50", "receipt_wanted": "1",
            "provider": "sandbox", "form_token": token}  # fmt: skip
    results = run_together(20, lambda i: Client().post(f"/d/{point.code}/", data))
    assert all(not isinstance(r, Exception) and r.status_code == 302 for r in results), results
    assert Donation.objects.count() == 1
    assert len({r["Location"] for r in results}) == 1


def test_the_same_idempotency_key_20_times_at_once_makes_one_donation(fund, settings):
    settings.DONATIONS_PUBLIC_POST_RATE = "1000/m"
    data = {"target": f"f-{fund.code}", "amount": "50", "provider": "offline"}

    def post(i):
        return Client().post(
            "/api/v1/donations/", data, content_type="application/json",
            headers={"Idempotency-Key": "race-key-0001"},
        )  # fmt: skip

    results = run_together(20, post)
    # The requests that lost the race waited for the first to commit and got its answer.
    assert [r.status_code for r in results] == [201] * 20
    assert Donation.objects.count() == 1
    answers = {json.dumps(r.json(), sort_keys=True) for r in results}
    assert len(answers) == 1
    assert json.loads(answers.pop())["code"] == Donation.objects.get().code


def test_a_notification_replayed_15_times_and_twice_at_once_confirms_once(fund, donation_factory):
    donation = donation_factory(amount="100")
    body = notification_body(
        donation_code=donation.code, amount=Decimal("100"), transaction_id="SBX9"
    )
    headers = {SIGNATURE_HEADER: sign(body)}

    def deliver(i):
        return (
            Client()
            .generic(
                "POST",
                "/pay/sandbox/notify/",
                body,
                content_type="application/json",
                headers=headers,
            )
            .status_code
        )

    assert run_together(2, deliver) == [200, 200]
    for _ in range(15):
        assert deliver(0) == 200
    assert run_together(2, deliver) == [200, 200]
    donation.refresh_from_db()
    assert donation.status == Donation.Status.CONFIRMED
    assert LedgerEntry.objects.count() == 1
    assert Receipt.objects.count() == 1
    assert fund_balance(fund) == Decimal("100.00")
