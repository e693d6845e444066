"""A task goes through the configured broker (Redis in CI) to a real worker process and back."""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from config.celery import app, healthcheck_task

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
def worker(test_database_url, tmp_path):
    node = f"test-{uuid.uuid4().hex[:8]}@localhost"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {**os.environ, "DATABASE_URL": test_database_url}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo",
             f"--hostname={node}", f"--queues={queue}", "--without-gossip", "--without-mingle",
             "--loglevel=INFO"],
            cwd=BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_until_ready(process, node, log)
        yield node, queue
    finally:
        process.terminate()
        process.wait(timeout=30)
        print(log.read_text())


def wait_until_ready(process, node: str, log: Path, seconds: float = 120) -> None:
    """Wait for the worker to answer a ping, so a slow start on a busy machine is not taken
    for a lost task."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the worker exited with {process.returncode}:\n{log.read_text()}")
        if app.control.ping(destination=[node], timeout=1.0):
            return
    pytest.fail(f"the worker did not answer within {seconds} s:\n{log.read_text()}")


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_task_round_trip_through_the_broker(worker):
    node, queue = worker
    assert not settings.CELERY_TASK_ALWAYS_EAGER
    if os.environ.get("REQUIRE_POSTGRES"):  # CI: the real Redis broker, not the embedded one
        assert app.conf.broker_url.startswith("redis://")
    result = healthcheck_task.apply_async(queue=queue)
    payload = result.get(timeout=60)
    assert payload["worker"] == node  # executed by the worker process, not in this one
    assert payload["database"] is True
    assert payload["pid"] != os.getpid()
