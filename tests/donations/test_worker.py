"""The receipt PDF is rendered by a real Celery worker process through the broker."""

from pathlib import Path

import pytest
from django.conf import settings

from config.celery import app as celery_app
from donations import services
from donations.tasks import render_receipt_pdf_task
from tests.config.test_celery import worker  # noqa: F401 (fixture)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_renders_and_keeps_the_receipt_pdf(worker, donation_factory):  # noqa: F811
    node, queue = worker
    celery_app.conf.task_always_eager = False
    donation = donation_factory(amount="1050")
    services.confirm_donation(donation=donation, by=None, channel="cash", notify=False)
    receipt = donation.receipts.get()
    name = render_receipt_pdf_task.apply_async(args=[receipt.pk], queue=queue).get(timeout=90)
    receipt.refresh_from_db()
    assert receipt.pdf.name == name and name.endswith(f"{receipt.number}.pdf")
    # The worker runs with the project's own media root (this process's is a temporary one).
    stored = Path(settings.BASE_DIR) / "var" / "media" / name
    try:
        assert stored.read_bytes().startswith(b"%PDF")
    finally:
        stored.unlink(missing_ok=True)
