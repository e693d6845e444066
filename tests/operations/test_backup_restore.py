"""Backup and restore (docs/operations.md): `manage.py backup` dumps with pg_dump, `manage.py
restore` loads the dump into an EMPTY database with pg_restore; every ledger total, receipt
number and volunteer service hour is equal afterwards, read straight from the restored
database."""

import datetime
import json
import uuid
from decimal import Decimal

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from donations import services as donations
from donations.models import Receipt
from funds.models import LedgerEntry
from operations import backups
from tests.donations.conftest import make_donation
from tests.volunteers.conftest import verified_record
from volunteers import services as volunteers
from volunteers.models import ServiceRecord


@pytest.fixture
def empty_database(test_database_url):
    """New, empty databases on the test's Postgres server, dropped afterwards."""
    server = backups.params_from_url(test_database_url)
    names = []

    def create() -> str:
        name = f"shegong_restore_{uuid.uuid4().hex[:10]}"
        with psycopg.connect(**_connect_args(server, "postgres"), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        names.append(name)
        return test_database_url.rsplit("/", 1)[0] + "/" + name

    yield create
    with psycopg.connect(**_connect_args(server, "postgres"), autocommit=True) as conn:
        for name in names:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _connect_args(params: dict, dbname: str) -> dict:
    return {key: value for key, value in {**params, "dbname": dbname}.items() if value}


def make_history(*, fund, other_fund, project, coordinator, volunteer, cast):
    """Gifts to two funds (one restricted to a project), a refund, a reissued receipt, and
    verified and waiting volunteer hours."""
    gifts = [
        make_donation(fund, amount="100.00", mobile="13812345678", donor_name="陈美玲"),
        make_donation(fund, amount="2500.50", project=project),
        make_donation(other_fund, amount="88.88"),
        make_donation(fund, amount="19.99", is_anonymous=True),
    ]
    for gift in gifts:
        donations.confirm_donation(donation=gift, by=cast.finance_officer, channel="cash")
    donations.refund_donation(donation=gifts[3], by=cast.finance_officer, reason="捐赠人要求退回")
    donations.reissue_receipt(receipt=gifts[0].receipts.get(), by=cast.finance_officer)
    verified_record(volunteer, volunteer.home_station, days_ago=3, hours=Decimal("2.5"),
                    by=coordinator)  # fmt: skip
    verified_record(volunteer, volunteer.home_station, days_ago=2, hours=Decimal("4"),
                    by=coordinator)  # fmt: skip
    start = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1, hours=5)
    volunteers.report_hours(
        volunteer=volunteer,
        station=volunteer.home_station,
        description="助老送餐",
        started_at=start,
        ended_at=start + datetime.timedelta(hours=1, minutes=45),
        hours=Decimal("1.75"),
    )


def figures_from_django() -> dict:
    return {
        "ledger": {
            row["fund_id"]: row["total"]
            for row in LedgerEntry.objects.values("fund_id").annotate(total=Sum("amount"))
        },
        "receipts": sorted(Receipt.objects.values_list("number", "amount", "status")),
        "hours": sorted(ServiceRecord.objects.values_list("pk", "hours", "status")),
    }


def figures_from(url: str) -> dict:
    with psycopg.connect(url) as conn:
        ledger = dict(
            conn.execute(
                "SELECT fund_id, sum(amount) FROM funds_ledgerentry GROUP BY fund_id"
            ).fetchall()
        )
        receipts = sorted(
            conn.execute("SELECT number, amount, status FROM donations_receipt").fetchall()
        )
        hours = sorted(
            conn.execute("SELECT id, hours, status FROM volunteers_servicerecord").fetchall()
        )
    return {"ledger": ledger, "receipts": receipts, "hours": hours}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_an_empty_database_has_every_total_number_and_hour(
    fund, other_fund, project, coordinator, volunteer, cast, tmp_path, empty_database,
    test_database_url, capsys,
):  # fmt: skip
    make_history(fund=fund, other_fund=other_fund, project=project, coordinator=coordinator,
                 volunteer=volunteer, cast=cast)  # fmt: skip
    expected = figures_from_django()
    assert len(expected["ledger"]) == 2 and len(expected["receipts"]) == 5
    assert sum(hours for _pk, hours, _status in expected["hours"]) == Decimal("8.25")

    dump = tmp_path / "backups" / "station.dump"
    call_command("backup", output=dump)
    assert dump.stat().st_size > 0 and backups.summary_path(dump).is_file()
    assert "backup written" in capsys.readouterr().out

    # Never over live data: a database with tables is refused and left alone.
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", dump, into=test_database_url)

    target = empty_database()
    call_command("restore", dump, into=target)
    assert "equal the backup's" in capsys.readouterr().out
    restored = figures_from(target)
    assert restored == expected
    assert restored["ledger"][fund.pk] == Decimal("2600.50")  # 100 + 2500.50 (19.99 refunded)
    assert restored["ledger"][other_fund.pk] == Decimal("88.88")
    with psycopg.connect(target) as conn, psycopg.connect(test_database_url) as source:
        query = "SELECT app, name FROM django_migrations ORDER BY app, name"
        assert conn.execute(query).fetchall() == source.execute(query).fetchall()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_restore_that_does_not_match_the_backup_summary_fails_loudly(
    fund, cast, tmp_path, empty_database
):
    gift = make_donation(fund, amount="500.00")
    donations.confirm_donation(donation=gift, by=cast.finance_officer, channel="cash")
    dump = tmp_path / "station.dump"
    call_command("backup", output=dump)
    summary_file = backups.summary_path(dump)
    summary = json.loads(summary_file.read_text())
    assert summary["ledger_totals"][str(fund.pk)]["total"] == "500.00"
    summary["ledger_totals"][str(fund.pk)]["total"] = "5000.00"  # not what the dump holds
    summary_file.write_text(json.dumps(summary))
    with pytest.raises(CommandError, match=r"ledger_totals\.\d+: backup .*5000\.00"):
        call_command("restore", dump, into=empty_database())
