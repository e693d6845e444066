"""Staff's admin: scoped lists, filters, search, actions that call services, exports."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from donations import services
from donations.models import Donation, DonationBatch, Receipt
from funds.selectors import fund_balance

pytestmark = pytest.mark.django_db

LIST = "/admin/donations/donation/"


def confirmed(donation_factory, **fields):
    donation = donation_factory(**fields)
    return services.confirm_donation(
        donation=donation, by=None, channel="online_sandbox", reference="T"
    )


def action(client, name, donations, **extra):
    data = {"action": name, "_selected_action": [d.pk for d in donations], **extra}
    return client.post(LIST, data)


def test_list_is_scoped_masks_phones_and_searches(client, cast, fund, other_fund, donation_factory):
    mine = confirmed(donation_factory, donor_name="张三", mobile="13812345678")
    theirs = confirmed(donation_factory, fund=other_fund, donor_name="李四")
    client.force_login(cast.finance_officer)
    html = client.get(LIST).content.decode()
    assert "张三" in html and "李四" not in html
    assert "138****5678" in html and "13812345678" not in html
    assert client.get(f"{LIST}{theirs.pk}/change/").status_code == 404
    assert client.get(f"{LIST}{mine.pk}/change/").status_code == 200
    for query in ("张三", "13812345678", mine.receipts.get().number):
        assert "张三" in client.get(LIST, {"q": query}).content.decode()
    assert "张三" not in client.get(LIST, {"q": "王五"}).content.decode()


def test_filters_by_station_status_channel_and_date_range(client, cast, network, donation_factory):
    confirmed(donation_factory, donor_name="张三")
    donation_factory(donor_name="待付款人")
    client.force_login(cast.superuser)
    assert "待付款人" not in client.get(LIST, {"status__exact": "confirmed"}).content.decode()
    html = client.get(LIST, {"station": network.street_a.pk}).content.decode()
    assert "张三" in html
    assert "张三" not in client.get(LIST, {"station": network.street_b.pk}).content.decode()
    assert "张三" in client.get(LIST, {"channel__exact": "online_sandbox"}).content.decode()
    html = client.get(
        LIST, {"created_at__date__gte": "2000-01-01", "created_at__date__lte": "2000-01-02"}
    ).content.decode()
    assert "张三" not in html
    assert client.get(LIST, {"created_at__date__gte": "not-a-date"}).status_code in (200, 302)


def test_finance_confirms_offline_donations_on_an_intermediate_page(
    client, cast, fund, donation_factory
):
    pending = donation_factory(provider="offline", amount="300")
    client.force_login(cast.finance_officer)
    page = action(client, "confirm_selected", [pending])
    assert page.status_code == 200 and "收款渠道" in page.content.decode()
    response = action(
        client,
        "confirm_selected",
        [pending],
        apply="1",
        channel="bank_transfer",
        reference="BANK-778",
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == "confirmed" and pending.channel == "bank_transfer"
    assert pending.payment_reference == "BANK-778" and pending.confirmed_by == cast.finance_officer
    assert fund_balance(fund) == Decimal("300.00")


def test_the_status_confirmed_and_the_column_confirmed_are_different_words():
    # Another app's catalog may hide this one's "Confirmed"; read the donations catalog itself.
    import gettext
    from pathlib import Path

    import donations

    locale = Path(donations.__file__).parent / "locale"
    catalog = gettext.translation("django", localedir=locale, languages=["zh_Hans"])
    assert catalog.gettext("Confirmed") == "已确认"  # Donation.Status.CONFIRMED
    assert catalog.pgettext("export column", "Confirmed") == "确认时间"


def test_a_director_cannot_confirm(client, cast, donation_factory):
    pending = donation_factory(provider="offline")
    client.force_login(cast.director)
    action(client, "confirm_selected", [pending], apply="1", channel="cash", reference="x")
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_refund_action_with_reason_and_a_refusal_message(
    client, cast, fund, project, donation_factory
):
    from funds.services import Source, spend_for_project

    ok = confirmed(donation_factory, amount="10")
    spent = confirmed(donation_factory, amount="50", project=project)
    spend_for_project(fund=fund, project=project, amount=Decimal("50"), source=Source("t", 1))
    client.force_login(cast.finance_officer)
    assert "原因" in action(client, "refund_selected", [ok]).content.decode()
    response = action(client, "refund_selected", [ok, spent], apply="1", reason="捐赠人要求退款")
    messages = [str(m) for m in response.wsgi_request._messages]
    ok.refresh_from_db()
    spent.refresh_from_db()
    assert ok.status == "refunded" and spent.status == "confirmed"
    assert any("¥50.00" in m for m in messages)


def test_void_receipts_action(client, cast, donation_factory):
    donation = confirmed(donation_factory)
    client.force_login(cast.finance_officer)
    action(client, "void_receipts", [donation], apply="1", reason="抬头错误")
    assert donation.receipts.get().status == Receipt.Status.VOID


def test_exports_have_chinese_headers_and_masked_phones(client, cast, donation_factory):
    donation = confirmed(donation_factory, donor_name="张三", mobile="13812345678", amount="12.5")
    client.force_login(cast.finance_officer)
    response = action(client, "export_csv", [donation])
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][:6] == ["捐赠编号", "创建时间", "确认时间", "捐赠人", "公开显示为", "手机号"]
    assert rows[1][5] == "138****5678" and "13812345678" not in text and rows[1][6] == "12.50"
    response = action(client, "export_xlsx", [donation])
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "捐赠编号" and sheet["F2"].value == "138****5678"
    assert sheet["O2"].value == donation.receipts.get().number


def test_staff_record_a_cash_gift_singly(client, cast, fund, point):
    client.force_login(cast.finance_officer)
    response = client.post(
        f"{LIST}add/",
        {"point": point.pk, "fund": fund.pk, "amount": "500", "channel": "cash",
         "received_on": "2026-01-05", "donor_name": "赵六", "mobile": "13700001111",
         "receipt_wanted": "on", "confirm_now": "on", "payment_reference": "现金"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    donation = Donation.objects.get()
    assert donation.status == "confirmed" and donation.channel == "cash"
    assert donation.confirmed_at.date().isoformat() == "2026-01-05"
    assert donation.receipts.get().number.startswith("TH-2026-")


def test_the_record_form_fills_today_in_the_browsers_date_format(client, cast, fund):
    from django.utils import timezone

    client.force_login(cast.finance_officer)
    html = client.get(f"{LIST}add/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert f'name="received_on" value="{timezone.localdate().isoformat()}"' in html


def test_recording_refuses_bad_input_and_saves_nothing(client, cast, fund):
    client.force_login(cast.finance_officer)
    for amount in ("0", "-3", "abc", "1.001"):
        response = client.post(
            f"{LIST}add/",
            {"fund": fund.pk, "amount": amount, "channel": "cash", "received_on": "2026-01-05",
             "receipt_wanted": "on"},
        )  # fmt: skip
        assert response.status_code == 200
    assert not Donation.objects.exists()


def test_a_box_opening_is_recorded_as_a_batch(client, cast, fund, point):
    client.force_login(cast.finance_officer)
    response = client.post(
        "/admin/donations/donationbatch/add/",
        {"point": point.pk, "fund": fund.pk, "opened_on": "2026-02-01",
         "amounts": "100 50，20.5\n10", "total": "180.50", "witnesses": "陈志明、王丽娟"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    batch = DonationBatch.objects.get()
    assert batch.count == 4 and batch.total == Decimal("180.50")
    assert fund_balance(fund) == Decimal("180.50")
    wrong = client.post(
        "/admin/donations/donationbatch/add/",
        {
            "point": point.pk,
            "fund": fund.pk,
            "opened_on": "2026-02-01",
            "amounts": "100",
            "total": "99",
        },
    )
    assert wrong.status_code == 200 and "¥100.00" in wrong.content.decode()
    assert DonationBatch.objects.count() == 1


def test_donor_admin_masks_phones_and_shows_scoped_history(
    client, cast, other_fund, donation_factory
):
    confirmed(donation_factory, donor_name="张三", mobile="13812345678", amount="10")
    confirmed(
        donation_factory, fund=other_fund, donor_name="张三", mobile="13812345678", amount="77"
    )
    from donations.models import Donor

    donor = Donor.objects.get()
    client.force_login(cast.finance_officer)
    html = client.get("/admin/donations/donor/").content.decode()
    assert "138****5678" in html and "13812345678" not in html and "¥10.00" in html
    html = client.get(f"/admin/donations/donor/{donor.pk}/change/").content.decode()
    assert "¥10.00" in html and "¥77.00" not in html and "13812345678" not in html


def test_donation_point_admin_only_at_stations_with_the_service(client, cast, network):
    client.force_login(cast.director)
    response = client.post(
        "/admin/donations/donationpoint/add/",
        {"station": network.community_a2.pk, "name": "暨南社区捐赠点", "is_active": "on"},
    )
    assert response.status_code == 200  # community_a2 does not offer the donation service
    network.community_a2.offers_donation_point = True
    network.community_a2.save()
    response = client.post(
        "/admin/donations/donationpoint/add/",
        {"station": network.community_a2.pk, "name": "暨南社区捐赠点", "is_active": "on"},
    )
    assert response.status_code == 302


def test_a_donation_shows_its_payment_provider_translated(client, cast, donation_factory):
    offline = donation_factory(provider="offline")
    online = donation_factory(provider="sandbox")
    client.force_login(cast.finance_officer)
    html = client.get(f"{LIST}{offline.pk}/change/").content.decode()
    assert "支付方式" in html and "线下" in html and "offline" not in html
    assert "演示支付网关" in client.get(f"{LIST}{online.pk}/change/").content.decode()


def test_a_box_opened_tomorrow_is_refused_on_the_form(client, cast, fund, point):
    import datetime

    from django.utils import timezone

    client.force_login(cast.finance_officer)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    response = client.post(
        "/admin/donations/donationbatch/add/",
        {"point": point.pk, "fund": fund.pk, "opened_on": tomorrow, "amounts": "50",
         "total": "50", "witnesses": "陈志明、王丽娟"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "日期不能晚于今天。" in response.content.decode()
    assert not Donation.objects.exists()
