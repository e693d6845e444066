"""The outbox (operations/outbox.py): jobs are rows written with the change, published once,
and the jobs sent through it do nothing when delivered twice."""

import logging

import pytest
from django.db import transaction

from config.celery import app as celery_app
from donations import services
from donations.models import Receipt
from donations.tasks import notify_donor_task, render_receipt_pdf_task
from operations import outbox
from operations.models import OutboxMessage, SentMessage


@pytest.fixture
def eager():
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_leaves_no_job(donation_factory, eager):
    donation = donation_factory(amount="50", mobile="13812345678")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.confirm_donation(donation=donation, by=None, channel="cash")
        assert OutboxMessage.objects.count() == 2
        raise RuntimeError("the request failed after confirming")
    assert OutboxMessage.objects.count() == 0
    donation.refresh_from_db()
    assert donation.notified_at is None


@pytest.mark.django_db(transaction=True)
def test_jobs_are_published_after_commit_and_marked_sent_once(donation_factory, eager, caplog):
    donation = donation_factory(amount="50", mobile="13812345678")
    with caplog.at_level(logging.INFO, logger="donations.sms"):
        services.confirm_donation(donation=donation, by=None, channel="cash")
    messages = list(OutboxMessage.objects.order_by("pk"))
    assert [(m.task, m.args, m.attempts) for m in messages] == [
        ("donations.render_receipt_pdf", [donation.receipts.get().pk], 1),
        ("donations.notify_donor", [donation.pk], 1),
    ]
    assert all(m.sent_at is not None and m.last_error == "" for m in messages)
    assert donation.receipts.get().pdf
    # Beat's run finds nothing left to send.
    assert outbox.dispatch() == 0
    assert OutboxMessage.objects.filter(attempts=1).count() == 2
    assert len([r for r in caplog.records if "SMS to" in r.getMessage()]) == 1


@pytest.mark.django_db(transaction=True)
def test_a_pending_row_is_sent_by_the_periodic_dispatch(donation_factory, eager):
    donation = donation_factory(amount="50")
    services.confirm_donation(donation=donation, by=None, channel="cash", notify=False)
    receipt = donation.receipts.get()
    # As if the broker had been down at commit time: the row is there, unsent.
    OutboxMessage.objects.create(task=render_receipt_pdf_task.name, args=[receipt.pk])
    assert outbox.dispatch() == 1
    receipt.refresh_from_db()
    assert receipt.pdf and OutboxMessage.objects.get().sent_at is not None


@pytest.mark.django_db
def test_a_twice_delivered_receipt_job_keeps_one_file(donation_factory, settings, caplog):
    donation = donation_factory(amount="80", mobile="13812345678")
    services.confirm_donation(donation=donation, by=None, channel="cash", notify=False)
    receipt = donation.receipts.get()
    # A run that died after writing the file but before recording it left it behind.
    path = Receipt._meta.get_field("pdf").generate_filename(receipt, f"{receipt.number}.pdf")
    leftover = settings.MEDIA_ROOT / path
    leftover.parent.mkdir(parents=True)
    leftover.write_bytes(b"half a PDF")
    first = render_receipt_pdf_task.apply(args=[receipt.pk]).get()
    second = render_receipt_pdf_task.apply(args=[receipt.pk]).get()
    assert first == second == path  # the fixed name, not a "_x7Yz" copy beside the leftover
    assert sorted(settings.MEDIA_ROOT.rglob("*.pdf")) == [leftover]
    assert leftover.read_bytes().startswith(b"%PDF")
    with caplog.at_level(logging.INFO, logger="donations.sms"):
        assert notify_donor_task.apply(args=[donation.pk]).get() is True
        assert notify_donor_task.apply(args=[donation.pk]).get() is False
    assert len([r for r in caplog.records if "SMS to" in r.getMessage()]) == 1


@pytest.mark.django_db
def test_send_once_sends_a_keyed_message_once_and_again_after_a_failure():
    with outbox.send_once("reports.ready:1") as first:
        assert first
    with outbox.send_once("reports.ready:1") as again:
        assert not again
    with pytest.raises(ConnectionError), outbox.send_once("reports.ready:2") as first:
        assert first
        raise ConnectionError("mail server down")
    assert not SentMessage.objects.filter(key="reports.ready:2").exists()
    with outbox.send_once("reports.ready:2") as retry:
        assert retry
