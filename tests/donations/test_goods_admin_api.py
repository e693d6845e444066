"""Goods in the admin and the API: recording with items, scoping (404 outside), the
distribute action, the goods receipt, the XLSX export, the expiry list."""

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from donations.goods_services import ItemLine
from donations.models import GoodsDonation, GoodsItem
from donations.selectors import expiring_lots
from projects.models import AssistanceRecord
from tests.donations.conftest import receive_goods

pytestmark = pytest.mark.django_db

DONATIONS = "/admin/donations/goodsdonation/"
LOTS = "/admin/donations/goodsitem/"


def test_staff_record_goods_with_items_in_the_admin(client, cast, point):
    client.force_login(cast.director)
    inline = {"items-TOTAL_FORMS": "2", "items-INITIAL_FORMS": "0",
              "items-MIN_NUM_FORMS": "1", "items-MAX_NUM_FORMS": "1000"}  # fmt: skip
    data = {
        "point": point.pk, "donor_name": "华师后勤集团", "mobile": "", "note": "冬衣",
        "received_at_0": "2026-11-20", "received_at_1": "10:00:00",
        **inline,
        "items-0-category": "clothing", "items-0-name": "棉被", "items-0-quantity": "12",
        "items-0-unit": "床", "items-0-condition": "new",
        "items-1-category": "food", "items-1-name": "面粉", "items-1-quantity": "0",
        "items-1-unit": "袋", "items-1-condition": "new",
    }  # fmt: skip
    response = client.post(f"{DONATIONS}add/", data)
    # A zero quantity: the form says so, nothing is saved.
    assert response.status_code == 200 and not GoodsDonation.objects.exists()
    assert "数量必须大于零" in response.content.decode()
    data["items-1-quantity"] = "5"
    response = client.post(f"{DONATIONS}add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    donation = GoodsDonation.objects.get()
    assert donation.received_by == cast.director and donation.receipt_number.startswith("WZ")
    assert sorted(donation.items.values_list("name", "remaining")) == [
        ("棉被", Decimal("12")),
        ("面粉", Decimal("5")),
    ]


def test_lists_are_scoped_and_outside_rows_are_404(client, cast, lot, network):
    client.force_login(cast.director)
    assert "大米" in client.get(LOTS).content.decode()
    assert client.get(f"{LOTS}{lot.pk}/change/").status_code == 200
    client.force_login(cast.social_worker)  # community B1, another street
    assert "大米" not in client.get(LOTS).content.decode()
    assert client.get(f"{LOTS}{lot.pk}/change/").status_code == 404
    assert client.get(f"{DONATIONS}{lot.donation_id}/change/").status_code == 404


def test_the_distribute_action_asks_then_gives_out(client, cast, lot, project, beneficiary):
    client.force_login(cast.director)
    page = client.post(LOTS, {"action": "distribute", "_selected_action": [lot.pk]})
    assert page.status_code == 200 and "发放物资" in page.content.decode()
    data = {"action": "distribute", "_selected_action": [lot.pk], "apply": "1",
            "quantity": "20", "project": project.pk, "beneficiary": beneficiary.pk,
            "on": datetime.date.today().isoformat()}  # fmt: skip
    refused = client.post(LOTS, data)
    assert refused.status_code == 200 and "库存仅剩 10袋" in refused.content.decode()
    data["quantity"] = "2"
    assert client.post(LOTS, data).status_code == 302
    assert GoodsItem.objects.get(pk=lot.pk).remaining == 8
    assert AssistanceRecord.objects.get(beneficiary=beneficiary).kind == "goods"


def test_print_receipt_and_export_xlsx(client, cast, lot):
    client.force_login(cast.director)
    selected = {"_selected_action": [lot.donation_id]}
    pdf = client.post(DONATIONS, {"action": "print_receipt", **selected})
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert lot.donation.receipt_number in text
    xlsx = client.post(DONATIONS, {"action": "export_xlsx", **selected})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("物资收据编号", "接收时间", "站点")
    assert rows[1][0] == lot.donation.receipt_number and rows[1][6] == "大米"


def test_expiring_lots_are_listed_for_staff(client, cast, point):
    today = datetime.date.today()
    receive_goods(
        point,
        cast.director,
        ItemLine(category="food", name="牛奶", quantity="5", unit="箱",
                 expiry_date=today + datetime.timedelta(days=10)),
        ItemLine(category="food", name="饼干", quantity="5", unit="箱",
                 expiry_date=today + datetime.timedelta(days=90)),
        ItemLine(category="food", name="过期面包", quantity="1", unit="袋",
                 expiry_date=today - datetime.timedelta(days=1)),
        ItemLine(category="clothing", name="围巾", quantity="5", unit="条"),
    )  # fmt: skip
    empty = receive_goods(
        point,
        cast.director,
        ItemLine(category="food", name="已发完的酸奶", quantity="1", unit="箱",
                 expiry_date=today + datetime.timedelta(days=3)),
    ).items.get()  # fmt: skip
    GoodsItem.objects.filter(pk=empty.pk).update(remaining=0)
    assert [lot.name for lot in expiring_lots()] == ["过期面包", "牛奶"]
    assert [lot.name for lot in expiring_lots(within_days=100)] == ["过期面包", "牛奶", "饼干"]
    client.force_login(cast.director)
    html = client.get(LOTS).content.decode()
    section = html.split('id="expiring-lots"', 1)[1].split("</div>", 1)[0]
    assert "牛奶" in section and "过期面包" in section and "饼干" not in section
    assert "已过期" in section
    filtered = client.get(LOTS, {"expiry": "soon"}).content.decode()
    assert "围巾" not in filtered.split('id="result_list"', 1)[1]


def test_api_lists_are_scoped_and_distribute_calls_the_service(cast, lot, project):
    api = APIClient()
    api.force_authenticate(cast.director)
    lots = api.get("/api/v1/goods-lots/").json()["results"]
    assert [row["name"] for row in lots] == ["大米"]
    donations = api.get("/api/v1/goods-donations/").json()["results"]
    assert donations[0]["receipt_number"] == lot.donation.receipt_number
    url = f"/api/v1/goods-lots/{lot.pk}/distribute/"
    bad = api.post(url, {"quantity": "abc", "project": project.code}, format="json")
    assert bad.status_code == 400 and GoodsItem.objects.get(pk=lot.pk).remaining == 10
    response = api.post(url, {"quantity": "3", "project": project.code}, format="json")
    assert response.status_code == 201 and response.json()["change"] == "-3.000"
    kinds = [row["kind"] for row in api.get("/api/v1/goods-movements/").json()["results"]]
    assert sorted(kinds) == ["project", "received"]
    outsider = APIClient()
    outsider.force_authenticate(cast.social_worker)
    assert outsider.get(f"/api/v1/goods-lots/{lot.pk}/").status_code == 404
    assert outsider.post(url, {"quantity": "1", "project": project.code}).status_code == 404
    assert outsider.get("/api/v1/goods-movements/").json()["results"] == []
