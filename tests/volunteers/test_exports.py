"""Exports of a station's volunteers and records: Chinese headers, masked personal data, scoped."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tests.volunteers.conftest import (
    birth_for_age,
    make_volunteer,
    valid_id_number,
    verified_record,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(network, coordinator):
    birth = birth_for_age(45)
    inside = make_volunteer(
        network.community_a1, real_name="周敏", mobile="13812345678", birth_date=birth,
        id_number=valid_id_number(birth),
    )  # fmt: skip
    for day in range(5):
        verified_record(
            inside,
            network.community_a1,
            days_ago=3 + day,
            hours=Decimal(21),
            by=coordinator,
            hour=1,
        )
    outside = make_volunteer(network.community_b1, real_name="林外", mobile="13987654321")
    return inside, outside


def test_volunteers_xlsx_is_masked_with_chinese_headers(client, coordinator, network, people):
    inside, outside = people
    client.force_login(coordinator)
    response = client.get(
        f"/volunteer/staff/export/volunteers.xlsx?station={network.street_a.code}"
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert sheet.title == "志愿者名册"
    assert rows[0] == [
        "志愿者编号", "姓名", "性别", "出生日期", "手机号码", "证件号码", "所属站点", "服务技能",
        "状态", "已认证时长（小时）", "星级", "注册日期",
    ]  # fmt: skip
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["姓名"] == "周敏"
    assert row["手机号码"] == "138****5678"
    assert row["证件号码"] == inside.id_number[:6] + "********" + inside.id_number[-4:]
    assert row["已认证时长（小时）"] == "105.00" and row["星级"] == "★"
    flat = repr(rows)
    assert inside.mobile not in flat and inside.id_number not in flat and "林外" not in flat


def test_records_csv_is_masked_and_opens_in_excel(client, coordinator, network, people):
    client.force_login(coordinator)
    response = client.get(
        f"/volunteer/staff/export/records.csv?station={network.community_a1.code}"
    )
    assert response.status_code == 200
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "志愿者编号", "姓名", "服务站点", "服务内容", "开始时间", "结束时间", "时长（小时）",
        "来源", "状态", "认证人", "认证时间",
    ]  # fmt: skip
    assert len(rows) == 6
    assert all(row[6] == "21.00" and row[8] == "已认证" for row in rows[1:])
    assert "13812345678" not in response.content.decode("utf-8-sig")


def test_exports_are_scoped_and_need_the_role(
    client, coordinator, coordinator_b, cast, network, people
):
    client.force_login(coordinator)
    assert (
        client.get(
            f"/volunteer/staff/export/volunteers.csv?station={network.street_b.code}"
        ).status_code
        == 404
    )
    client.force_login(cast.finance_officer)
    assert (
        client.get(
            f"/volunteer/staff/export/volunteers.csv?station={network.street_a.code}"
        ).status_code
        == 403
    )
    client.logout()
    response = client.get(f"/volunteer/staff/export/volunteers.csv?station={network.street_a.code}")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_export_headers_follow_the_active_language():
    from django.utils import translation

    from volunteers import exports

    with translation.override("en"):
        assert exports.volunteer_headers()[:3] == ["Volunteer number", "Name", "Gender"]
        assert exports.record_headers()[-2:] == ["Verified by", "Verified at"]
