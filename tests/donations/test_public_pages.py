"""The resident's side: point page, giving, thank-you page, verification, look-up."""

import logging
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from donations import services
from donations.models import Donation, DonationPoint, LookupCode
from funds.services import Source, spend_for_project
from projects.models import Project
from tests.pdf import assert_fonts_embedded

pytestmark = pytest.mark.django_db


def token(html: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


def give(client, point, **overrides):
    page = client.get(f"/d/{point.code}/").content.decode()
    data = {
        "target": f"f-{point.funds.get().code}",
        "amount_preset": "50",
        "amount_other": "",
        "donor_name": "王小明",
        "mobile": "",
        "message": "",
        "receipt_wanted": "1",
        "provider": "sandbox",
        "form_token": token(page),
        **overrides,
    }
    return client.post(f"/d/{point.code}/", data)


def test_point_page_in_chinese_shows_targets_presets_host_and_filing(
    client, point, campaign, project
):
    response = client.get(f"/d/{point.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-hans">' in html
    assert point.name in html and "我要捐款" in html
    for preset in ("¥10", "¥50", "¥100", "¥200"):
        assert preset in html
    assert "其他金额" in html
    assert "广州市天河区慈善会" in html and campaign.filing_number in html
    assert campaign.title in html and project.title in html
    assert "csrfmiddlewaretoken" in html and 'name="form_token"' in html


def test_giving_creates_a_pending_donation_and_goes_to_the_gateway(client, point):
    response = give(client, point, amount_preset="100", message="祝老人健康")
    donation = Donation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/pay/sandbox/{donation.code}/"
    assert donation.amount == Decimal("100.00") and donation.point == point
    assert donation.status == Donation.Status.PENDING and donation.message == "祝老人健康"


def test_other_amount_wins_over_a_preset(client, point):
    give(client, point, amount_preset="50", amount_other="66.60")
    assert Donation.objects.get().amount == Decimal("66.60")


def test_a_double_click_or_reload_makes_one_donation(client, point):
    page = client.get(f"/d/{point.code}/").content.decode()
    first = give(client, point, form_token=token(page))
    second = give(client, point, form_token=token(page))
    assert Donation.objects.count() == 1
    assert first["Location"] == second["Location"]


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "金额必须大于零"),
        ("-5", "金额必须大于零"),
        ("0.001", "最多两位小数"),
        ("abc", "请输入以元为单位的金额"),
        ("50000.01", "¥1.00"),
        ("0.50", "¥50,000.00"),
    ],
)
def test_bad_amounts_get_a_clear_message_and_save_nothing(client, point, amount, message):
    response = give(client, point, amount_preset="", amount_other=amount)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Donation.objects.exists()


def test_the_online_limits_come_from_settings(client, point, settings):
    settings.DONATIONS_ONLINE_MAX_AMOUNT = "500"
    response = give(client, point, amount_other="501")
    assert response.status_code == 400 and "¥500.00" in response.content.decode()
    assert give(client, point, amount_other="500").status_code == 302


def test_no_amount_chosen(client, point):
    response = give(client, point, amount_preset="")
    assert response.status_code == 400 and "请选择" in response.content.decode()


def test_a_bad_mobile_number_is_refused(client, point):
    response = give(client, point, mobile="12345")
    assert response.status_code == 400
    assert "11位" in response.content.decode()
    assert not Donation.objects.exists()


def test_a_message_over_200_characters_is_refused(client, point):
    response = give(client, point, message="好" * 201)
    assert response.status_code == 400 and not Donation.objects.exists()


def test_a_script_in_the_message_is_stored_as_typed_and_shown_escaped(client, point, settings):
    script = '<script>alert("x")</script>'
    give(client, point, message=script, donor_name="<b>名</b>")
    donation = Donation.objects.get()
    assert donation.message == script
    services.confirm_donation(donation=donation, by=None, channel="online_sandbox", reference="T")
    html = client.get(donation.get_absolute_url()).content.decode()
    assert "<b>名</b>" not in html and "&lt;b&gt;名&lt;/b&gt;" in html
    receipt = donation.receipts.get()
    html = client.get(receipt.get_absolute_url()).content.decode()
    assert "<b>" not in html


def test_unknown_or_inactive_point_is_a_chinese_404(client, point):
    response = client.get("/d/nosuchpt/")
    assert response.status_code == 404
    assert "没有找到" in response.content.decode() or "捐赠站点" in response.content.decode()
    DonationPoint.objects.filter(pk=point.pk).update(is_active=False)
    response = client.get(f"/d/{point.code}/")
    assert response.status_code == 404 and "捐赠站点" in response.content.decode()
    assert client.post(f"/d/{point.code}/", {}).status_code == 404


def test_a_closed_fund_or_project_takes_no_gifts(client, point, fund, project):
    page = client.get(f"/d/{point.code}/").content.decode()
    Project.objects.filter(pk=project.pk).update(status=Project.Status.CLOSED)
    response = give(client, point, target=f"p-{project.code}", form_token=token(page))
    assert response.status_code == 400 and not Donation.objects.exists()
    assert project.title not in client.get(f"/d/{point.code}/").content.decode()
    # Its own giving page says why (404), rather than offering a form.
    response = client.get(f"/donate/give/p-{project.code}/")
    assert response.status_code == 404 and "目前不在募款" in response.content.decode()
    page = client.get(f"/d/{point.code}/").content.decode()
    fund.status = fund.Status.CLOSED
    fund.save()
    response = client.post(
        f"/d/{point.code}/",
        {"target": f"f-{fund.code}", "amount_preset": "50", "receipt_wanted": "1",
         "provider": "offline", "form_token": token(page)},
    )  # fmt: skip
    assert response.status_code == 400 and not Donation.objects.exists()


def test_a_target_of_another_point_is_refused(client, point, other_fund):
    response = give(client, point, target=f"f-{other_fund.code}")
    assert response.status_code == 400 and not Donation.objects.exists()


def test_public_posts_are_rate_limited_with_a_chinese_429(client, point, settings):
    settings.DONATIONS_PUBLIC_POST_RATE = "3/m"
    for _ in range(3):
        assert give(client, point).status_code == 302
    response = give(client, point)
    assert response.status_code == 429
    assert "请稍等" in response.content.decode() or "太多" in response.content.decode()
    assert Donation.objects.count() == 3


def test_offline_payment_shows_the_reference_code_and_how_to_pay(client, point):
    response = give(client, point, provider="offline")
    donation = Donation.objects.get()
    assert response["Location"] == donation.get_absolute_url()
    html = client.get(donation.get_absolute_url()).content.decode()
    assert donation.reference in html and point.place in html and "银行转账" in html


def test_thank_you_page_shows_the_receipt_number_and_a_link_to_keep(client, point):
    give(client, point)
    donation = Donation.objects.get()
    client.post(f"/pay/sandbox/{donation.code}/")
    html = client.get(donation.get_absolute_url()).content.decode()
    receipt = donation.receipts.get()
    assert "感谢" in html and receipt.number in html and receipt.get_absolute_url() in html
    assert "王小明" in html or "爱心人士" in html


def test_browse_page_lists_what_is_open(client, point, fund, campaign, project, other_fund):
    html = client.get("/donate/").content.decode()
    for title in (fund.name, campaign.title, project.title, other_fund.name):
        assert title in html
    assert f"/donate/give/c-{campaign.code}/" in html
    response = client.get(f"/donate/give/c-{campaign.code}/")
    assert response.status_code == 200 and campaign.filing_number in response.content.decode()
    assert client.get("/donate/give/x-nothing/").status_code == 404


def test_giving_from_the_browse_page(client, campaign):
    page = client.get(f"/donate/give/c-{campaign.code}/").content.decode()
    response = client.post(
        f"/donate/give/c-{campaign.code}/",
        {"target": f"c-{campaign.code}", "amount_preset": "200", "receipt_wanted": "0",
         "provider": "offline", "form_token": token(page)},
    )  # fmt: skip
    assert response.status_code == 302
    donation = Donation.objects.get()
    assert donation.campaign == campaign and donation.point is None and not donation.receipt_wanted
    assert donation.public_name == "爱心人士"


# --- receipt verification ---------------------------------------------------------------------


def confirmed(donation_factory, **fields):
    donation = donation_factory(**fields)
    return services.confirm_donation(
        donation=donation, by=None, channel="online_sandbox", reference="T"
    )


def test_verification_page_valid_receipt(client, donation_factory):
    receipt = confirmed(donation_factory, amount="1050", donor_name="王小明").receipts.get()
    html = client.get(f"/r/{receipt.number}/{receipt.check_code}/").content.decode()
    assert "有效" in html and receipt.number in html and "¥1,050.00" in html
    assert "广州市天河区慈善会" in html and "王小明" in html


def test_verification_page_void_receipt(client, donation_factory, cast):
    receipt = confirmed(donation_factory).receipts.get()
    services.void_receipt(receipt=receipt, by=cast.finance_officer, reason="写错")
    new = services.reissue_receipt(receipt=receipt, by=cast.finance_officer)
    html = client.get(f"/r/{receipt.number}/{receipt.check_code}/").content.decode()
    assert "作废" in html and new.number in html


def test_verification_page_wrong_check_code_is_404(client, donation_factory):
    receipt = confirmed(donation_factory).receipts.get()
    wrong = "AAAAAAAA" if receipt.check_code != "AAAAAAAA" else "BBBBBBBB"
    response = client.get(f"/r/{receipt.number}/{wrong}/")
    html = response.content.decode()
    assert response.status_code == 404 and "没有找到" in html
    assert "有效" not in html and receipt.payer_name not in html
    assert client.get(f"/r/TH-2020-999999/{receipt.check_code}/").status_code == 404
    assert client.get(f"/r/{receipt.number}/{wrong}/pdf/").status_code == 404


def test_where_did_my_gift_go_after_a_disbursement(client, fund, project, donation_factory):
    donation = confirmed(donation_factory, amount="100", project=project)
    spend_for_project(
        fund=fund, project=project, amount=Decimal("30"), source=Source("funds.request", 7),
        memo="购买食材",
    )  # fmt: skip
    receipt = donation.receipts.get()
    html = client.get(receipt.get_absolute_url()).content.decode()
    assert fund.name in html and project.title in html
    assert "¥30.00" in html and "¥70.00" in html
    today = timezone.localdate()
    assert f"{today.year}年{today.month}月{today.day}日" in html


def test_an_unrestricted_gift_spent_on_a_project_names_the_project(
    client, cast, fund, project, donation_factory, django_assert_max_num_queries
):
    # The fund's money is spent on the project through a request; the debit carries no
    # restriction, but the donor still sees which project the gift paid for.
    from funds.services import request_disbursement

    donation = confirmed(donation_factory, amount="100")
    url = donation.receipts.get().get_absolute_url()

    def pay(amount):
        request = request_disbursement(
            fund=fund,
            project=project,
            amount=amount,
            purpose="购买食材",
            payee="饭堂",
            by=cast.director,
        )
        spend_for_project(
            fund=fund,
            project=project,
            amount=Decimal(amount),
            source=Source(*request.ledger_source),
        )

    pay("30")
    with django_assert_max_num_queries(14) as one:
        html = client.get(url).content.decode()
    assert f"<td>{project.title}</td>" in html and f"<td>{fund.name}</td>" not in html
    assert "¥30.00" in html and "¥70.00" in html
    for _ in range(3):
        pay("5")
    with django_assert_max_num_queries(len(one.captured_queries)):
        html = client.get(url).content.decode()
    assert html.count(f"<td>{project.title}</td>") == 4


def test_the_where_did_it_go_query_count_does_not_grow(
    client, fund, project, donation_factory, django_assert_max_num_queries
):
    donation = confirmed(donation_factory, amount="1000", project=project)
    receipt = donation.receipts.get()
    url = receipt.get_absolute_url()
    spend_for_project(fund=fund, project=project, amount=Decimal("1"), source=Source("r", 1))
    with django_assert_max_num_queries(12) as small:
        client.get(url)
    for n in range(2, 12):
        spend_for_project(fund=fund, project=project, amount=Decimal("1"), source=Source("r", n))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


# --- donor look-up ---------------------------------------------------------------------------


def sms_code(caplog) -> str:
    lines = [r.getMessage() for r in caplog.records if r.name == "donations.sms"]
    return re.search(r"(\d{6})", lines[-1]).group(1)


def test_donor_looks_up_gifts_with_a_one_time_code_and_gets_a_statement(
    client, donation_factory, caplog
):
    import io

    from pypdf import PdfReader

    confirmed(donation_factory, amount="10", mobile="13800001111")
    confirmed(donation_factory, amount="20.5", mobile="13800001111", receipt_wanted=False)
    confirmed(donation_factory, amount="99", mobile="13900002222")
    assert client.get("/donate/my/").status_code == 302
    with caplog.at_level(logging.INFO, logger="donations.sms"):
        response = client.post("/donate/lookup/", {"mobile": "138 0000 1111"})
    assert response.status_code == 302
    code = sms_code(caplog)
    wrong = "000000" if code != "000000" else "111111"
    assert client.post("/donate/lookup/code/", {"code": wrong}).status_code == 400
    response = client.post("/donate/lookup/code/", {"code": code})
    assert response["Location"] == "/donate/my/"
    html = client.get("/donate/my/").content.decode()
    assert "¥10.00" in html and "¥20.50" in html and "¥99.00" not in html
    assert "13800001111" not in html and "138****1111" in html
    year = timezone.localdate().year
    pdf = client.get(f"/donate/my/statement/{year}/")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "¥30.50" in text and "叁拾元伍角" in text
    assert_fonts_embedded(pdf.content)
    # A used code does not work again.
    client.logout()
    client.post("/donate/lookup/", {"mobile": "13800001111"})
    assert client.post("/donate/lookup/code/", {"code": code}).status_code == 400


def test_lookup_codes_allow_only_a_few_wrong_tries(client, caplog, settings):
    settings.DONATIONS_LOOKUP_RATE = "100/m"
    with caplog.at_level(logging.INFO, logger="donations.sms"):
        client.post("/donate/lookup/", {"mobile": "13800001111"})
    code = sms_code(caplog)
    wrong = "000000" if code != "000000" else "111111"
    for _ in range(services.LOOKUP_MAX_ATTEMPTS):
        assert client.post("/donate/lookup/code/", {"code": wrong}).status_code == 400
    assert LookupCode.objects.get().attempts == services.LOOKUP_MAX_ATTEMPTS
    # The code is used up: even the right one is refused now.
    assert client.post("/donate/lookup/code/", {"code": code}).status_code == 400


def test_lookup_is_rate_limited(client, settings):
    settings.DONATIONS_LOOKUP_RATE = "2/m"
    for _ in range(2):
        client.post("/donate/lookup/", {"mobile": "13800001111"})
    assert client.post("/donate/lookup/", {"mobile": "13800001111"}).status_code == 429


def test_lookup_refuses_a_bad_mobile(client):
    response = client.post("/donate/lookup/", {"mobile": "abc"})
    assert response.status_code == 400 and "11位" in response.content.decode()


def test_a_mobile_typed_in_full_width_mode_is_stored_in_ascii(client, point):
    response = give(client, point, mobile="１３９\u3000０００１\u3000２３４５")
    assert response.status_code == 302
    assert Donation.objects.get().mobile == "13900012345"
