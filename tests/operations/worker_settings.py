"""Settings for worker processes of the fault tests: the project's, a storage that can hold a
job in the middle (holding_storage.py) and, when asked, quick redelivery of a dead worker's
messages."""

import os

from config.settings import *  # noqa: F403
from config.settings import CELERY_BROKER_TRANSPORT_OPTIONS, STORAGES

STORAGES = {
    **STORAGES,
    "default": {"BACKEND": "tests.operations.holding_storage.HoldingStorage"},
}

if os.environ.get("TEST_FAST_REDELIVERY"):
    # kombu's Redis transport looks for unacknowledged messages older than the visibility
    # timeout only every 10 × 10 s by default; a test cannot wait that long.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
