"""Postgres restarted while the web process runs: requests during the outage get a clear 503
(a Chinese page with a retry hint; the API's JSON error shape under /api/), never a 500, and
the same web process serves normally again once Postgres is back. A Postgres cluster of the
test's own, stopped and started; the platform in gunicorn with production settings."""

import json
import secrets
import time

import pytest
from django.db import OperationalError
from django.test import RequestFactory

from operations.views import server_error

from .servers import Browser, PrivatePostgres, Web, platform_env


@pytest.fixture
def private_postgres():
    cluster = PrivatePostgres()
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_database_restart_gives_503_pages_and_the_site_recovers_without_a_restart(
    private_postgres, test_database_url, network, tmp_path
):
    database_url = private_postgres.copy_database(test_database_url, "shegong")
    web = Web(
        env=platform_env(
            DJANGO_SETTINGS_MODULE="tests.operations.web_settings",
            DJANGO_DEBUG="0",
            DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
            FIELD_ENCRYPTION_KEY=secrets.token_urlsafe(50),
            DJANGO_ALLOWED_HOSTS="127.0.0.1",
            SITE_URL="http://127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DATABASE_URL=database_url,
            DATABASE_CONN_MAX_AGE="60",  # a kept connection that the restart breaks
        ),
        log=tmp_path / "web.log",
    )
    try:
        web.ready()
        visitor = Browser(web.base)
        assert visitor.request("/").status == 200
        assert "石牌街" in visitor.request("/").text
        assert visitor.request("/api/v1/donation-points/").status == 200

        private_postgres.stop()
        started = time.monotonic()
        page = visitor.request("/")
        assert page.status == 503, page.text[:500]
        assert "系统暂时无法访问" in page.text and "秒后刷新" in page.text
        assert page.headers["Retry-After"] == "30"
        api = visitor.request("/api/v1/donation-points/")
        assert api.status == 503
        error = json.loads(api.text)["error"]
        assert error["code"] == "service_unavailable" and error["fields"] == {}
        assert "重试" in error["message"]
        assert visitor.request("/donate/").status == 503
        assert time.monotonic() - started < 10

        private_postgres.start()
        assert visitor.request("/").status == 200
        assert "石牌街" in visitor.request("/").text
        assert visitor.request("/api/v1/donation-points/").status == 200
        assert web.popen.poll() is None
        assert web.output().count("Booting worker") == 1  # the same process, not a restart
    finally:
        web.stop()
        print(web.output()[-5000:])


def test_a_database_error_outside_a_view_is_a_503_too(rf: RequestFactory):
    """Django's handler500 (errors in middleware, not views) tells an outage apart."""
    request = rf.get("/api/v1/funds/")
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert json.loads(response.content)["error"]["code"] == "service_unavailable"
    try:
        raise ValueError("a bug")
    except ValueError:
        response = server_error(rf.get("/"))
    assert response.status_code == 500
