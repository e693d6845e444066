"""Production settings refuse to start when they would be insecure."""

import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
STRONG_KEY = "k3y-" + "x7Qp9Lm2Vz8Rt4Wn6Yb1Hc5Jd0Fg3Sa" * 2


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "FIELD_ENCRYPTION_KEY", "SITE_URL"))
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean_env, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start():
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_with_a_weak_secret_key_refuses_to_start():
    result = run_manage(
        "check", DJANGO_DEBUG="0", DJANGO_ALLOWED_HOSTS="example.org", DJANGO_SECRET_KEY="short"
    )
    assert result.returncode != 0
    assert "too weak" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = run_manage("check", DJANGO_DEBUG="0", DJANGO_SECRET_KEY=STRONG_KEY)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_settings_pass_the_deploy_check():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="station.example.org",
        FIELD_ENCRYPTION_KEY=STRONG_KEY + "-fields",
        SITE_URL="https://station.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_the_site_address_refuses_to_start():
    """QR codes on posters and receipts and links in e-mails would point at 127.0.0.1."""
    production = {
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": STRONG_KEY,
        "DJANGO_ALLOWED_HOSTS": "station.example.org",
        "FIELD_ENCRYPTION_KEY": STRONG_KEY + "-fields",
    }
    for site_url in (None, "", "station.example.org"):
        env = production if site_url is None else {**production, "SITE_URL": site_url}
        result = run_manage("check", **env)
        assert result.returncode != 0, site_url
        assert "SITE_URL" in result.stderr


def test_production_without_field_encryption_key_refuses_to_start():
    result = run_manage(
        "check",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=STRONG_KEY,
        DJANGO_ALLOWED_HOSTS="station.example.org",
    )
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEY" in result.stderr


def test_development_needs_no_environment():
    result = run_manage("check")
    assert result.returncode == 0, result.stderr
