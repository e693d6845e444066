"""Domain fixtures of other apps' tests, for the backup test's history."""

from tests.donations.conftest import (  # noqa: F401 (fixtures)
    _media_in_tmp,
    donation_factory,
    fund,
    host,
    other_fund,
    project,
)
from tests.volunteers.conftest import coordinator, volunteer  # noqa: F401 (fixtures)
