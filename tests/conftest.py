import os
from dataclasses import dataclass

import pytest
from django.db import connection, transaction
from django.db.models.query import QuerySet

from core.locks import LockOutsideTransaction
from stations.models import Station
from tests.factories import Role, make_staff, make_station, make_user


def pytest_collection_modifyitems(config, items):
    """Tests marked ``postgres`` skip on SQLite with a reason, and fail the run in CI."""
    from django.conf import settings

    on_postgres = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
    if on_postgres:
        return
    postgres_items = [item for item in items if item.get_closest_marker("postgres")]
    if postgres_items and os.environ.get("REQUIRE_POSTGRES"):
        raise pytest.UsageError(
            "REQUIRE_POSTGRES is set but DATABASE_URL is not PostgreSQL: "
            f"{len(postgres_items)} postgres tests would be skipped."
        )
    skip = pytest.mark.skip(reason="needs PostgreSQL: set DATABASE_URL=postgres://...")
    for item in postgres_items:
        item.add_marker(skip)


def _lock_held_by_the_code(select_for_update):
    """Inside a test, the test's own transaction would hold any row lock, so a service that
    forgets ``transaction.atomic`` passes here and is a 500 in production, where no such
    transaction exists. This refuses a lock that only the test case's transaction holds: every
    test that reaches a service through a view, an admin action, a task or a direct call then
    proves the service runs in a transaction of its own."""

    def checked(queryset, *args, **kwargs):
        blocks = transaction.get_connection(queryset.db).atomic_blocks
        if blocks and all(getattr(block, "_from_testcase", False) for block in blocks):
            raise LockOutsideTransaction(
                f"A row of {queryset.model._meta.label} was locked with no transaction but the "
                "test's: outside the test it would be locked outside any transaction."
            )
        return select_for_update(queryset, *args, **kwargs)

    return checked


@pytest.fixture(autouse=True, scope="session")
def _locks_need_the_codes_own_transaction():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            QuerySet, "select_for_update", _lock_held_by_the_code(QuerySet.select_for_update)
        )
        yield


@pytest.fixture(autouse=True, scope="session")
def _flush_may_truncate_the_append_only_tables():
    """Between transactional tests Django empties every table with TRUNCATE, which Postgres
    refuses on the append-only tables unless the transaction says it means it."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    from core.append_only import ALLOW

    sql_flush = DatabaseOperations.sql_flush

    def flush_allowed(self, *args, **kwargs):
        statements = sql_flush(self, *args, **kwargs)
        return [ALLOW, *statements] if statements else statements

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(DatabaseOperations, "sql_flush", flush_allowed)
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Network:
    """District 天河 → streets A (with communities A1, A2) and B (with community B1)."""

    district: Station
    street_a: Station
    community_a1: Station
    community_a2: Station
    street_b: Station
    community_b1: Station


@pytest.fixture
def eager_tasks():
    """Celery's own test mode: a task queued after commit (through the outbox) runs in this
    process, so its e-mail lands in mail.outbox. The tests of the real worker leave it off."""
    from config.celery import app as celery_app

    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


@pytest.fixture
def network(db) -> Network:
    district = make_station(level=Station.Level.DISTRICT, name="天河区", code="district")
    street_a = make_station(
        level=Station.Level.STREET, parent=district, name="石牌街", code="street-a"
    )
    street_b = make_station(
        level=Station.Level.STREET, parent=district, name="林和街", code="street-b"
    )
    return Network(
        district=district,
        street_a=street_a,
        community_a1=make_station(
            level=Station.Level.COMMUNITY, parent=street_a, name="华师社区", code="community-a1"
        ),
        community_a2=make_station(
            level=Station.Level.COMMUNITY, parent=street_a, name="暨南社区", code="community-a2"
        ),
        street_b=street_b,
        community_b1=make_station(
            level=Station.Level.COMMUNITY, parent=street_b, name="林和社区", code="community-b1"
        ),
    )


@dataclass
class Cast:
    """The fixed cast of users that every permission table is written for."""

    superuser: object
    director: object  # director of street A
    social_worker: object  # social worker of community B1, another street
    finance_officer: object  # finance officer of street A
    outsider: object  # a logged-in user with no station


@pytest.fixture
def cast(network) -> Cast:
    superuser = make_user("root-admin", is_superuser=True, is_staff=True)
    return Cast(
        superuser=superuser,
        director=make_staff(network.street_a, Role.DIRECTOR, "director-a"),
        social_worker=make_staff(network.community_b1, Role.SOCIAL_WORKER, "worker-b1"),
        finance_officer=make_staff(network.street_a, Role.FINANCE_OFFICER, "finance-a"),
        outsider=make_user("outsider"),
    )


def database_url(settings_dict: dict) -> str:
    """A DATABASE_URL for the database the tests are using, for worker subprocesses."""
    from urllib.parse import quote

    if settings_dict["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{settings_dict['NAME']}"
    user = quote(settings_dict.get("USER") or "")
    password = quote(settings_dict.get("PASSWORD") or "")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


@pytest.fixture(scope="session")
def test_database_url(django_db_setup) -> str:
    return database_url(connection.settings_dict)


# --- Real browser -----------------------------------------------------------------------------
# Debian's Chromium driven by Playwright (its own browser download does not work here).

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOT_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "var", "screenshots")
WECHAT_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 13; V2241A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 MicroMessenger/8.0.47.2560(0x28002F51) "
    "NetType/4G Language/zh_CN"
)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: .ci/run installs it")
        pytest.skip(f"needs Chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # around it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-sync",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield browser
        browser.close()


# A phone inside WeChat: what most residents open the public pages with.
PHONE = {
    "viewport": {"width": 375, "height": 740},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "user_agent": WECHAT_USER_AGENT,
}


@pytest.fixture
def phone_page(browser, live_server):
    """A page in a phone-sized viewport (375×740) with WeChat's browser user agent."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def save_screenshot(page, name: str) -> str:
    """Save a full-page screenshot under var/screenshots/ and print where it is."""
    os.makedirs(SCREENSHOT_DIR, exist_ok=True)
    path = os.path.join(SCREENSHOT_DIR, f"{name}.png")
    page.screenshot(path=path, full_page=True)
    print(f"screenshot: {path}")
    return path


def assert_fits_phone_width(page) -> None:
    """Nothing on the page is wider than the screen (no sideways scrolling)."""
    overflow = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"page is {overflow}px wider than the phone screen"
