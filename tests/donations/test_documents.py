"""The PDFs people open: receipt, poster, annual statement (read back with pypdf)."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from donations import services
from donations.documents import poster_pdf, receipt_pdf
from donations.targets import open_targets
from tests.pdf import assert_fonts_embedded, text_of

pytestmark = pytest.mark.django_db


def confirmed_receipt(donation_factory, **fields):
    donation = donation_factory(**fields)
    services.confirm_donation(donation=donation, by=None, channel="online_sandbox", reference="T")
    return donation.receipts.get()


def test_the_receipt_pdf_shows_number_amount_in_words_and_what_domain_md_lists(
    donation_factory, fund
):
    receipt = confirmed_receipt(donation_factory, amount="1050", donor_name="王小明")
    pdf = receipt_pdf(receipt)
    text = text_of(pdf)
    assert receipt.number in text and receipt.check_code in text
    assert "壹仟零伍拾元整" in text and "¥1,050.00" in text
    assert "王小明" in text and fund.name in text
    assert "广州市天河区慈善会" in text and fund.host.credit_code in text
    assert "经办人" in text and "在线支付系统" in text
    assert "捐赠收据" in text and "年" in text and "日" in text
    assert f"/r/{receipt.number}/{receipt.check_code}/" in text
    # The Chinese font travels inside the file: nothing depends on the reader's fonts.
    assert_fonts_embedded(pdf)


def test_an_anonymous_receipt_and_a_void_one(donation_factory, cast):
    receipt = confirmed_receipt(
        donation_factory, amount="0.05", is_anonymous=True, donor_name="X", online=False
    )
    text = text_of(receipt_pdf(receipt))
    assert "爱心人士" in text and "伍分" in text and "X" not in text.split("交款人")[1][:5]
    voided = services.void_receipt(receipt=receipt, by=cast.finance_officer, reason="错")
    assert "作废" in text_of(receipt_pdf(voided))


def test_the_receipt_pdf_download_from_the_verification_page(client, donation_factory):
    receipt = confirmed_receipt(donation_factory, amount="200")
    response = client.get(f"/r/{receipt.number}/{receipt.check_code}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = b"".join(response.streaming_content)
    assert "贰佰元整" in text_of(pdf)


def test_the_poster_has_name_qr_url_host_filing_and_targets(point, campaign, project, settings):
    url = f"https://station.example.org/d/{point.code}/"
    pdf = poster_pdf(point, url=url, targets=open_targets(point))
    text = text_of(pdf)
    assert point.name in text and url in text
    assert "广州市天河区慈善会" in text and campaign.filing_number in text
    assert campaign.title in text and project.title in text
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    assert_fonts_embedded(pdf)


def test_admin_prints_the_poster(client, point, cast):
    client.force_login(cast.director)
    response = client.get(f"/admin/donations/donationpoint/{point.pk}/poster/")
    assert response.status_code == 200
    text = text_of(response.content)
    assert f"http://testserver/d/{point.code}/" in text
    client.force_login(cast.social_worker)  # another street: the point is outside the scope
    assert client.get(f"/admin/donations/donationpoint/{point.pk}/poster/").status_code == 404


def test_amounts_survive_into_the_pdf_exactly(donation_factory):
    receipt = confirmed_receipt(donation_factory, amount="12345.67")
    text = text_of(receipt_pdf(receipt))
    assert "¥12,345.67" in text and "壹万贰仟叁佰肆拾伍元陆角柒分" in text
    assert receipt.amount == Decimal("12345.67")
