"""Settings for worker processes started by the tests: the project's, plus the test kinds."""

from config.settings import *  # noqa: F403
from config.settings import REPORTS_KIND_MODULES

REPORTS_KIND_MODULES = [*REPORTS_KIND_MODULES, "tests.reports.kinds_for_tests"]
