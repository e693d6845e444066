"""Production security settings and the Content-Security-Policy header on every kind of page."""

import json

import pytest

from tests.config.test_settings import STRONG_KEY, run_manage

pytestmark = pytest.mark.django_db

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": STRONG_KEY,
    "DJANGO_ALLOWED_HOSTS": "station.example.org",
    "FIELD_ENCRYPTION_KEY": STRONG_KEY + "-fields",
    "SITE_URL": "https://station.example.org",
}


def test_production_settings_keep_hsts_a_year_and_cookies_secure():
    code = (
        "import json; from django.conf import settings as s; print(json.dumps({"
        "'hsts': s.SECURE_HSTS_SECONDS, 'sub': s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
        "'session': s.SESSION_COOKIE_SECURE, 'csrf': s.CSRF_COOKIE_SECURE,"
        "'redirect': s.SECURE_SSL_REDIRECT, 'csp': s.CONTENT_SECURITY_POLICY['DIRECTIVES']}))"
    )
    result = run_manage("shell", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["hsts"] >= 365 * 24 * 3600
    assert values["sub"] and values["session"] and values["csrf"] and values["redirect"]
    assert values["csp"]["object-src"] == ["'none'"]
    assert values["csp"]["base-uri"] == ["'none'"]
    assert values["csp"]["script-src"] == ["'self'"]


@pytest.mark.parametrize("path", ["/", "/donate/", "/admin/login/", "/api/docs/", "/api/v1/"])
def test_every_page_carries_the_policy(client, path):
    response = client.get(path)
    policy = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["script-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert "unsafe-inline" not in directives["script-src"]


def test_swagger_ui_has_no_inline_script(client, cast):
    client.force_login(cast.superuser)
    html = client.get("/api/docs/").content.decode()
    assert "<script>" not in html
    assert "<script src=" in html
