"""The goods receipt PDF (read back with pypdf) and the goods counts on the public station
and fund pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from donations.documents import goods_receipt_pdf
from donations.goods_services import ItemLine, distribute_goods
from tests.donations.conftest import receive_goods
from tests.pdf import assert_fonts_embedded, text_of

pytestmark = pytest.mark.django_db


def test_the_goods_receipt_lists_the_items_and_a_value_only_where_confirmed(point, cast):
    donation = receive_goods(
        point,
        cast.director,
        ItemLine(category="clothing", name="羽绒服", quantity="20", unit="件", condition="good"),
        ItemLine(
            category="food",
            name="食用油",
            quantity="2.5",
            unit="箱",
            value="1050",
            expiry_date=datetime.date(2027, 3, 1),
        ),
        donor_name="天河爱心企业有限公司",
    )
    pdf = goods_receipt_pdf(donation)
    assert_fonts_embedded(pdf)
    text = text_of(pdf).replace(" ", "")
    assert donation.receipt_number in text
    assert "物资捐赠收据" in text and "天河爱心企业有限公司" in text
    assert "羽绒服" in text and "20件" in text and "食用油" in text and "2.5箱" in text
    assert "¥1,050.00" in text and "2027年3月1日" in text
    # One item has no confirmed value: no total, no amount in capitals.
    assert "壹仟零伍拾元整" not in text
    assert "仅列出价值已确认的物品" in text


def test_a_fully_valued_gift_gets_its_total_in_capitals_and_anonymity_is_kept(point, cast):
    donation = receive_goods(
        point,
        cast.director,
        ItemLine(category="stationery", name="书包", quantity="30", unit="个", value="1050"),
        is_anonymous=True,
        donor_name="王五",
    )
    text = text_of(goods_receipt_pdf(donation)).replace(" ", "")
    assert "壹仟零伍拾元整" in text and "爱心人士" in text and "王五" not in text


def test_the_station_and_fund_pages_show_goods_counts(client, point, fund, project, network, cast):
    lot = receive_goods(point, cast.director).items.get()
    receive_goods(
        point,
        cast.director,
        ItemLine(category="food", name="牛奶", quantity="6", unit="箱"),
        ItemLine(category="daily", name="毛巾", quantity="50", unit="条"),
    )
    distribute_goods(by=cast.director, lot=lot, quantity=Decimal("4"), project=project)
    for url in (network.street_a.get_absolute_url(), network.district.get_absolute_url(),
                reverse("funds:detail", args=[fund.code])):  # fmt: skip
        page = client.get(url).content.decode()
        assert "物资捐赠" in page, url
        counts = page.split("goods-counts", 1)[1].split("</section>", 1)[0]
        assert "<dd>2</dd>" in counts and "<dd>3</dd>" in counts and "<dd>4</dd>" in counts
    # A sister station's page counts only its own goods (none here: no section).
    assert "goods-counts" not in client.get(network.street_b.get_absolute_url()).content.decode()


def test_the_counts_cost_the_same_queries_at_two_sizes(point, cast, network,
                                                       django_assert_num_queries):  # fmt: skip
    from donations.selectors import goods_counts

    receive_goods(point, cast.director)
    with django_assert_num_queries(2):
        goods_counts(network.street_a)
    for _ in range(5):
        receive_goods(point, cast.director)
    with django_assert_num_queries(2):
        goods_counts(network.street_a)
