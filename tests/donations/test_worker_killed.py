"""A worker killed (SIGKILL) in the middle of a receipt job: after a restart the job runs
again and its effect happens once: one receipt file, one notification. A real Redis of the
test's own and real worker processes. (A report killed mid-run: tests/reports/test_worker.py.)
"""

import re
import signal
import time
from pathlib import Path

import pytest
from kombu import Connection

from config.celery import app as celery_app
from donations import services
from donations.models import Donation
from donations.tasks import notify_donor_task, render_receipt_pdf_task
from tests.operations.servers import PrivateRedis, Worker, platform_env, wait_for


@pytest.fixture
def redis_server(tmp_path):
    server = PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.mark.postgres
@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_receipt_leaves_one_receipt_file_and_one_notification(
    redis_server, test_database_url, tmp_path, donation_factory
):
    celery_app.conf.task_always_eager = False
    media, hold = tmp_path / "media", tmp_path / "hold"
    env = platform_env(
        DATABASE_URL=test_database_url,
        CELERY_BROKER_URL=redis_server.url(0),
        CELERY_RESULT_BACKEND=redis_server.url(0),
        REDIS_URL=redis_server.url(1),
        DJANGO_SETTINGS_MODULE="tests.operations.worker_settings",
        DJANGO_MEDIA_ROOT=media,
        HOLD_AFTER_SAVE_MARKER=hold,
    )
    donation = donation_factory(amount="300", mobile="13912345678", donor_name="李建国")
    services.confirm_donation(donation=donation, by=None, channel="cash", notify=False)
    receipt = donation.receipts.get()

    hold.touch()
    first = Worker(env=env, log=tmp_path / "worker-1.log")
    second = None
    try:
        first.ready()
        with Connection(redis_server.url(0)) as broker:
            for task, arg in ((render_receipt_pdf_task, receipt.pk),
                              (notify_donor_task, donation.pk)):  # fmt: skip
                task.apply_async(args=[arg], connection=broker, ignore_result=True)

        # In the middle: the PDF is on disk, the receipt does not point to it yet.
        wait_for(lambda: Path(f"{hold}.reached").exists(), timeout=60, what="the job to start")
        receipt.refresh_from_db()
        assert receipt.pdf.name == ""
        assert len(list(media.rglob("*.pdf"))) == 1
        first.popen.send_signal(signal.SIGKILL)
        first.popen.wait(timeout=30)

        # A new worker gets the unacknowledged messages back after the visibility timeout.
        hold.unlink()
        second = Worker(
            env={**env, "CELERY_VISIBILITY_TIMEOUT": "3", "TEST_FAST_REDELIVERY": "1"},
            log=tmp_path / "worker-2.log",
        ).ready()

        def done():
            receipt.refresh_from_db()
            return receipt.pdf.name and Donation.objects.get(pk=donation.pk).notified_at

        wait_for(done, timeout=60, what="the receipt and notification after the restart")
        time.sleep(4)  # another visibility timeout: nothing runs a third time
    finally:
        for worker in (first, second):
            if worker is not None:
                worker.stop()
                print(f"--- {worker.log.name}\n{worker.output()[-5000:]}")

    logs = first.output() + second.output()
    files = sorted(media.rglob("*.pdf"))
    assert files == [media / receipt.pdf.name]
    assert files[0].read_bytes().startswith(b"%PDF")
    assert len(re.findall(r"donations\.render_receipt_pdf\[[^\]]+\] succeeded", logs)) == 1
    assert len(re.findall(r"SMS to 139\*+5678", logs)) == 1
