"""The sandbox provider: signed notifications, replays, wrong amounts; the gateway page."""

import json
from decimal import Decimal

import pytest

from donations.models import Donation, Receipt
from donations.payments import enabled_providers, get_provider
from donations.payments.sandbox import SIGNATURE_HEADER, notification_body, sign
from funds.models import LedgerEntry

pytestmark = pytest.mark.django_db

NOTIFY = "/pay/sandbox/notify/"


def notify(client, body: bytes, signature: str | None = None):
    headers = {} if signature == "" else {SIGNATURE_HEADER: signature or sign(body)}
    return client.generic("POST", NOTIFY, body, content_type="application/json", headers=headers)


def test_a_signed_notification_confirms_the_donation(client, donation_factory):
    donation = donation_factory(amount="100")
    body = notification_body(
        donation_code=donation.code, amount=Decimal("100"), transaction_id="SBX1"
    )
    response = notify(client, body)
    assert response.status_code == 200 and response.json()["result"] == "confirmed"
    donation.refresh_from_db()
    assert donation.status == Donation.Status.CONFIRMED
    assert (
        donation.channel == Donation.Channel.ONLINE_SANDBOX and donation.payment_reference == "SBX1"
    )


@pytest.mark.parametrize("signature", ["", "0" * 64, "not-hex"])
def test_a_bad_signature_gets_400_and_changes_nothing(client, donation_factory, signature):
    donation = donation_factory(amount="100")
    body = notification_body(donation_code=donation.code, amount=Decimal("100"))
    response = notify(client, body, signature)
    assert response.status_code == 400
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING and not LedgerEntry.objects.exists()


def test_a_body_changed_after_signing_is_refused(client, donation_factory):
    donation = donation_factory(amount="100")
    body = notification_body(donation_code=donation.code, amount=Decimal("1"))
    tampered = body.replace(b'"1.00"', b'"100.00"')
    assert notify(client, tampered, sign(body)).status_code == 400
    assert notify(client, body, sign(body, secret="another-secret")).status_code == 400
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING


def test_the_secret_comes_from_settings(client, donation_factory, settings):
    settings.SANDBOX_PAYMENT_SECRET = "rotated-secret"
    donation = donation_factory(amount="100")
    body = notification_body(donation_code=donation.code, amount=Decimal("100"))
    assert (
        notify(client, body, sign(body, secret="sandbox-development-secret-change-me")).status_code
        == 400
    )
    assert notify(client, body, sign(body, secret="rotated-secret")).status_code == 200


def test_the_same_notification_many_times_confirms_once(client, donation_factory):
    donation = donation_factory(amount="100")
    body = notification_body(donation_code=donation.code, amount=Decimal("100"))
    for _ in range(15):
        assert notify(client, body).status_code == 200
    assert LedgerEntry.objects.count() == 1 and Receipt.objects.count() == 1


def test_a_different_amount_is_refused_and_flagged_for_staff(client, donation_factory):
    donation = donation_factory(amount="100")
    body = notification_body(donation_code=donation.code, amount=Decimal("1"))
    response = notify(client, body)
    assert response.status_code == 400 and response.json()["result"] == "flagged"
    donation.refresh_from_db()
    assert donation.status == Donation.Status.FLAGGED
    assert "¥1.00" in donation.flag_reason and "¥100.00" in donation.flag_reason
    assert not LedgerEntry.objects.exists() and not Receipt.objects.exists()


def test_unreadable_or_unknown_notifications(client, donation_factory):
    for body in (b"not json", b"{}", json.dumps({"order": "x\x00", "amount": "1", "transaction_id": "t", "status": "paid"}).encode(),
                 json.dumps({"order": "abc", "amount": "NaN", "transaction_id": "t", "status": "paid"}).encode()):  # fmt: skip
        assert notify(client, body).status_code == 400
    body = notification_body(donation_code="nosuchorder", amount=Decimal("1"))
    assert notify(client, body).status_code == 404
    assert (
        client.post("/pay/nosuch/notify/", b"{}", content_type="application/json").status_code
        == 404
    )
    assert client.get(NOTIFY).status_code == 405


def test_a_failed_payment_changes_nothing(client, donation_factory):
    donation = donation_factory(amount="100")
    body = json.dumps(
        {"order": donation.code, "amount": "100.00", "transaction_id": "T", "status": "failed"}
    ).encode()
    assert notify(client, body).status_code == 200
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING


def test_offline_donations_are_not_confirmed_by_sandbox_notifications(client, donation_factory):
    donation = donation_factory(amount="100", provider="offline")
    body = notification_body(donation_code=donation.code, amount=Decimal("100"))
    assert notify(client, body).status_code == 404
    donation.refresh_from_db()
    assert donation.status == Donation.Status.PENDING


def test_the_gateway_page_pays_through_the_signed_notification(client, donation_factory):
    donation = donation_factory(amount="50")
    page = client.get(f"/pay/sandbox/{donation.code}/")
    assert page.status_code == 200 and "¥50.00" in page.content.decode()
    response = client.post(f"/pay/sandbox/{donation.code}/")
    assert response["Location"] == donation.get_absolute_url()
    donation.refresh_from_db()
    assert donation.status == Donation.Status.CONFIRMED
    client.post(f"/pay/sandbox/{donation.code}/")  # pressing "pay" again
    assert LedgerEntry.objects.count() == 1


def test_providers_share_one_interface(settings):
    assert [p.name for p in enabled_providers()] == ["sandbox", "offline"]
    settings.DONATIONS_PAYMENT_PROVIDERS = ["offline"]
    assert [p.name for p in enabled_providers()] == ["offline"]
    offline = get_provider("offline")
    assert offline.start(donation=None, request=None).shows_instructions
    from donations.payments import InvalidNotification

    with pytest.raises(InvalidNotification):
        offline.verify_notification(body=b"{}", headers={})


def test_a_rotated_secret_is_accepted_from_the_fallback_list(client, donation_factory, settings):
    settings.SANDBOX_PAYMENT_SECRET = "new-secret"
    settings.SANDBOX_PAYMENT_SECRET_FALLBACKS = ["old-secret"]
    donation = donation_factory(amount="100")
    body = notification_body(donation_code=donation.code, amount=Decimal("100"))
    assert notify(client, body, sign(body, secret="unknown-secret")).status_code == 400
    assert notify(client, body, sign(body, secret="old-secret")).status_code == 200
    settings.SANDBOX_PAYMENT_SECRET_FALLBACKS = []
    other = donation_factory(amount="100")
    body = notification_body(donation_code=other.code, amount=Decimal("100"))
    assert notify(client, body, sign(body, secret="old-secret")).status_code == 400
    assert notify(client, body, sign(body, secret="new-secret")).status_code == 200
