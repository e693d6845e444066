"""What every journey needs: browser pages for residents (phone) and staff
(desktop), signing in, a clock the server can be moved forward on, and screenshots that the
test run names at its end."""

import datetime

import pytest
from django.core.cache import cache

from config.celery import app as celery_app
from tests.conftest import PHONE, save_screenshot
from tests.factories import Charity, make_charity

PASSWORD = "pw-Secret-123"  # tests.factories.make_user's password

_screenshots: list[tuple[str, str]] = []


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Public POSTs are limited per address, and every page here comes from 127.0.0.1.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def eager_tasks():
    """Tasks queued after commit (receipt PDFs, notifications) run in the server's thread."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = eager


# --- Browser pages ------------------------------------------------------------------------------


@pytest.fixture
def open_page(browser, live_server):
    """``open_page("phone")`` or ``open_page("desktop")``: a page in a fresh browser context,
    so each person in a journey has their own cookies."""
    contexts = []

    def open_(kind: str = "phone"):
        if kind == "phone":
            context = browser.new_context(**PHONE, accept_downloads=True)
        else:
            context = browser.new_context(
                viewport={"width": 1280, "height": 900}, locale="zh-CN", accept_downloads=True
            )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        return page

    yield open_
    for context in contexts:
        context.close()


def sign_in_to_admin(page, live_server, username: str, *, next_path: str = "/admin/") -> None:
    page.goto(f"{live_server.url}/admin/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"**{next_path}")


def run_admin_action(page, action: str) -> None:
    """Choose an action in an admin list (for the rows already ticked) and run it."""
    page.select_option("select[name=action]", action)
    page.get_by_role("button", name="执行").click()
    page.wait_for_load_state()


# --- The server's clock -------------------------------------------------------------------------


class ServerClock:
    """The live server's ``timezone.now()``, held still from the start of the test and moved
    forward only by ``advance``, so that a shift's hours pass during a test and come out
    exactly, however slow the machine. The browser and the database keep real time; the
    code under test reads the time through ``django.utils.timezone.now``."""

    def __init__(self, monkeypatch):
        from django.utils import timezone

        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta) -> None:
        self.now += datetime.timedelta(**delta)


@pytest.fixture
def server_clock(monkeypatch):
    return ServerClock(monkeypatch)


# --- Screenshots --------------------------------------------------------------------------------


@pytest.fixture
def screenshot(request):
    """Save a full-page screenshot (var/screenshots/NAME.png); the run lists them at the end."""

    def take(page, name: str) -> str:
        path = save_screenshot(page, name)
        _screenshots.append((request.node.nodeid, path))
        return path

    return take


def pytest_terminal_summary(terminalreporter):
    if not _screenshots:
        return
    terminalreporter.section("journey screenshots")
    for nodeid, path in _screenshots:
        terminalreporter.write_line(f"{path}  ({nodeid})")


# --- A fund, a project and a donation point at street A -----------------------------------------


@pytest.fixture
def charity(network) -> Charity:
    return make_charity(network)
