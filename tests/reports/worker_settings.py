"""Settings for worker processes started by the tests: the project's, plus the test kinds."""

import os

from config.settings import *  # noqa: F403
from config.settings import CELERY_BROKER_TRANSPORT_OPTIONS, REPORTS_KIND_MODULES

REPORTS_KIND_MODULES = [*REPORTS_KIND_MODULES, "tests.reports.kinds_for_tests"]

if os.environ.get("TEST_FAST_REDELIVERY"):
    # kombu's Redis transport looks for unacknowledged messages older than the visibility
    # timeout only every 10 × 10 s by default; a test cannot wait that long.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        **CELERY_BROKER_TRANSPORT_OPTIONS,
        "unacked_restore_interval": 1,
        "unacked_restore_throttle": 1,
    }
