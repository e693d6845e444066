"""Goods in and out: receipt into stock, distribution to a beneficiary, an activity, a
project; the stock never below zero; bad input gives a clear message and saves nothing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from donations.goods_services import ItemLine, adjust_stock, distribute_goods
from donations.models import Donor, GoodsDonation, GoodsItem, GoodsMovement
from projects.models import AssistanceRecord, ServiceActivity
from tests.donations.conftest import receive_goods
from tests.projects.conftest import register

pytestmark = pytest.mark.django_db


def test_goods_received_enter_the_station_stock_with_a_numbered_receipt(point, cast):
    first = receive_goods(
        point,
        cast.director,
        ItemLine(category="clothing", name="羽绒服", quantity="20", unit="件", condition="good"),
        ItemLine(category="food", name="食用油", quantity="2.5", unit="箱", value="300"),
        donor_name="天河爱心企业有限公司",
    )
    second = receive_goods(point, cast.director, mobile="138 1234 5678", donor_name="李明")
    year = first.received_at.year
    prefix = f"WZ{point.station_id}-{year}-"
    assert (first.receipt_number, second.receipt_number) == (f"{prefix}000001", f"{prefix}000002")
    lots = list(first.items.order_by("pk"))
    assert [(lot.remaining, lot.station) for lot in lots] == [
        (Decimal("20"), point.station),
        (Decimal("2.5"), point.station),
    ]
    assert [lot.value for lot in lots] == [None, Decimal("300.00")]
    ins = GoodsMovement.objects.filter(lot__donation=first, kind="received")
    assert sorted(m.change for m in ins) == [Decimal("2.5"), Decimal("20")]
    # The donor is matched by normalised mobile, as for money.
    assert second.donor == Donor.objects.get(mobile="13812345678")
    assert first.donor.name == "天河爱心企业有限公司" and not first.is_anonymous
    anonymous = receive_goods(point, cast.director)
    assert anonymous.donor is None and anonymous.public_name == "爱心人士"


def test_distribution_to_a_beneficiary_records_their_goods_assistance(lot, project, beneficiary,
                                                                       cast):  # fmt: skip
    movement = distribute_goods(
        by=cast.director, lot=lot, quantity="3", beneficiary=beneficiary, project=project
    )
    lot.refresh_from_db()
    assert lot.remaining == Decimal("7")
    assert movement.kind == GoodsMovement.Kind.TO_BENEFICIARY and movement.change == -3
    record = AssistanceRecord.objects.get(beneficiary=beneficiary)
    assert record == movement.assistance
    assert (record.kind, record.project, record.description) == ("goods", project, "大米 3袋")


def test_distribution_to_an_activity_and_to_a_project(lot, project, cast):
    activity = ServiceActivity.objects.create(
        project=project, date=datetime.date.today(), place="华师社区活动室", description="重阳敬老"
    )
    distribute_goods(by=cast.director, lot=lot, quantity="4", activity=activity)
    distribute_goods(by=cast.director, lot=lot, quantity="1.5", project=project, note="送餐点")
    lot.refresh_from_db()
    assert lot.remaining == Decimal("4.5")
    kinds = list(lot.movements.order_by("pk").values_list("kind", "project", "activity"))
    assert kinds == [
        ("received", None, None),
        ("activity", project.pk, activity.pk),
        ("project", project.pk, None),
    ]


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        ("11", "Only 10 袋 of 大米 are left in stock."),
        ("0", "The quantity must be greater than zero."),
        ("-1", "The quantity must be greater than zero."),
        ("abc", "Enter a quantity as a number, such as 10 or 2.5."),
        ("1.0001", "A quantity has at most three decimals and fewer than ten digits."),
        ("NaN", "Enter a quantity as a number, such as 10 or 2.5."),
        ("", "Enter a quantity as a number, such as 10 or 2.5."),
    ],
)
def test_bad_quantities_are_refused_and_nothing_is_saved(lot, project, beneficiary, cast,
                                                         quantity, message, settings):  # fmt: skip
    settings.LANGUAGE_CODE = "en"
    with pytest.raises(ValidationError) as error:
        distribute_goods(
            by=cast.director, lot=lot, quantity=quantity, beneficiary=beneficiary, project=project
        )
    assert error.value.message_dict["quantity"] == [message]
    lot.refresh_from_db()
    assert lot.remaining == Decimal("10")
    assert lot.movements.count() == 1 and not AssistanceRecord.objects.exists()


def test_the_message_is_chinese_by_default(lot, project, cast):
    with pytest.raises(ValidationError) as error:
        distribute_goods(by=cast.director, lot=lot, quantity="0", project=project)
    assert error.value.message_dict["quantity"] == ["数量必须大于零。"]


def test_the_last_unit_goes_once_then_the_stock_is_empty(lot, project, cast):
    distribute_goods(by=cast.director, lot=lot, quantity="10", project=project)
    with pytest.raises(ValidationError):
        distribute_goods(by=cast.director, lot=lot, quantity="1", project=project)
    lot.refresh_from_db()
    assert lot.remaining == 0


def test_the_database_refuses_negative_stock_even_without_the_service(lot):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        GoodsItem.objects.filter(pk=lot.pk).update(remaining=Decimal("-1"))


def test_a_beneficiary_outside_the_line_of_the_goods_station_is_refused(lot, project, network,
                                                                        cast):  # fmt: skip
    elsewhere = register(network.community_b1, recorder=cast.director, name="张三")
    with pytest.raises(ValidationError) as error:
        distribute_goods(
            by=cast.director, lot=lot, quantity="1", beneficiary=elsewhere, project=project
        )
    assert "beneficiary" in error.value.message_dict
    assert GoodsItem.objects.get(pk=lot.pk).remaining == 10


def test_adjustments_need_a_reason_and_never_go_below_zero(lot, cast):
    with pytest.raises(ValidationError) as error:
        adjust_stock(by=cast.director, lot=lot, change="-2", reason="")
    assert "reason" in error.value.message_dict
    with pytest.raises(ValidationError):
        adjust_stock(by=cast.director, lot=lot, change="-11", reason="受潮")
    adjust_stock(by=cast.director, lot=lot, change="-2", reason="受潮")
    adjust_stock(by=cast.director, lot=lot, change="1", reason="盘点多出")
    lot.refresh_from_db()
    assert lot.remaining == Decimal("9")


@pytest.mark.parametrize(
    "line",
    [
        ItemLine(category="food", name="米", quantity="0", unit="袋"),
        ItemLine(category="food", name="米", quantity="-3", unit="袋"),
        ItemLine(category="food", name="米", quantity="x", unit="袋"),
        ItemLine(category="weapons", name="米", quantity="1", unit="袋"),
        ItemLine(category="food", name="", quantity="1", unit="袋"),
        ItemLine(category="food", name="米", quantity="1", unit=""),
        ItemLine(category="food", name="米\x00", quantity="1", unit="袋"),
        ItemLine(category="food", name="米", quantity="1", unit="袋", value="-5"),
    ],
)
def test_bad_item_lines_save_nothing(point, cast, line):
    with pytest.raises(ValidationError) as error:
        receive_goods(point, cast.director, line)
    assert error.value.message_dict["items"][0].startswith("物品1")
    assert not GoodsDonation.objects.exists() and not GoodsItem.objects.exists()
