"""No full mobile number or resident ID number in the logs, at any level, and none in the
exports given to staff.

Every logger is at DEBUG here. SQL statements (``django.db.backends``) are the one exception:
their parameters hold donors' mobile numbers as stored, so that logger stays at INFO in every
environment (settings.LOGGING) and this test checks that setting instead of its output.
"""

import datetime
import json
import logging
import re
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core import mail

from donations import services as donation_services
from donations.targets import Target
from tests.config.test_settings import BASE_DIR
from tests.projects.conftest import register, valid_id
from tests.security.conftest import PASSWORD
from tests.volunteers.conftest import make_volunteer

pytestmark = pytest.mark.django_db

FULL_MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
FULL_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
MOBILE = "13812349876"


def leaks(text: str) -> list[str]:
    return FULL_MOBILE.findall(text) + FULL_ID.findall(text)


def record_text(record: logging.LogRecord) -> str:
    parts = [record.getMessage(), record.exc_text or ""]
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
    return " ".join(parts)


def test_representative_flows_log_no_full_mobile_or_id_number(client, world, caplog):
    caplog.set_level(logging.DEBUG)  # the root logger: every logger that propagates
    for name in logging.root.manager.loggerDict:
        if not name.startswith("django.db.backends"):
            logging.getLogger(name).setLevel(logging.DEBUG)

    # A donation with a mobile number, confirmed, the donor told by SMS.
    donation, _ = donation_services.create_donation(
        target=Target(fund=world.fund, project=None, campaign=None),
        amount=Decimal("66.00"),
        provider="offline",
        donor_name="赵敏",
        mobile=MOBILE,
    )
    donation_services.confirm_donation(donation=donation, by=world.cast.superuser, channel="cash")
    # A beneficiary with an ID number, and staff opening the full personal data.
    beneficiary = register(
        world.network.community_a1,
        by=world.cast.superuser,
        recorder=world.cast.superuser,
        id_number=valid_id(datetime.date(1948, 5, 6)),
        phone="13912340000",
        name="钱多多",
    )
    client.force_login(world.cast.director)
    client.get(f"/admin/projects/beneficiary/{beneficiary.pk}/personal-data/")
    client.get(f"/api/v1/beneficiaries/{beneficiary.pk}/personal-data/")
    client.logout()
    # A volunteer registers, then signs in with a wrong password (throttling logs it).
    birth = datetime.date(1995, 7, 1)
    volunteer = make_volunteer(
        world.network.community_a1,
        birth_date=birth,
        id_number=valid_id(birth),
        mobile="13700001234",
        password=PASSWORD,
    )
    client.post("/volunteer/login/", {"mobile": volunteer.mobile, "password": "wrong"})
    # A donor looks up their gifts: the code goes out by SMS (logged here).
    client.post("/donate/lookup/", {"mobile": MOBILE})
    client.post("/donate/lookup/code/", {"code": "000000"})
    # Errors: a forged payment notification carrying a mobile, a public form refused.
    client.post(
        "/pay/sandbox/notify/",
        data=json.dumps({"code": donation.code, "mobile": MOBILE}),
        content_type="application/json",
    )
    client.get(f"/donate/g/{donation.code}-{MOBILE}/")

    assert len(caplog.records) >= 5
    found = {record.name: leaks(record_text(record)) for record in caplog.records}
    assert not any(found.values()), {name: hits for name, hits in found.items() if hits}
    # The SMS texts went out (console) masked, and the mail of the receipt names no mobile.
    assert any("138****9876" in record_text(r) for r in caplog.records)
    for message in mail.outbox:
        assert not leaks(message.body), message.body


def test_sql_parameters_are_never_logged_even_at_debug():
    code = (
        "from django.conf import settings as s; "
        "print(s.LOGGING['loggers']['django.db.backends']['level'])"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env={"DJANGO_LOG_LEVEL": "DEBUG", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.strip().splitlines()[-1] == "INFO", result.stderr


def test_staff_exports_are_masked(client, world):
    """The director's exports of donations and volunteers carry masked numbers only."""
    director = world.cast.director
    client.force_login(director)
    response = client.post(
        "/admin/donations/donation/",
        {"action": "export_csv", "_selected_action": [world.donation.pk]},
    )
    assert response.status_code == 200
    body = response.content.decode("utf-8-sig")
    assert "138****1111" in body
    assert not leaks(body), leaks(body)
    birth = datetime.date(1990, 2, 2)
    make_volunteer(
        world.network.community_a1, birth_date=birth, id_number=valid_id(birth), mobile=MOBILE
    )
    for kind in ("volunteers", "records"):
        response = client.get(
            f"/volunteer/staff/export/{kind}.csv?station={world.network.street_a.code}"
        )
        assert response.status_code == 200, response.status_code
        body = response.content.decode("utf-8-sig")
        assert not leaks(body), leaks(body)
    assert "138****9876" in client.get(
        f"/volunteer/staff/export/volunteers.csv?station={world.network.street_a.code}"
    ).content.decode("utf-8-sig")


def test_any_logger_masks_numbers_in_its_message_and_arguments(caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("some.library").warning(
        "called 13812345678 about %s (%s), %d items", "110105194805060013", "13900001111", 3
    )
    logging.getLogger("other").info({"mobile": "13812345678"})
    lines = [record.getMessage() for record in caplog.records]
    assert lines[0] == "called 138****5678 about 110105********0013 (139****1111), 3 items"
    assert not leaks(" ".join(lines))
