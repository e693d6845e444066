# Two streets with a fund, a project, people and money each (tests/security/conftest.py).
from tests.security.conftest import world  # noqa: F401
