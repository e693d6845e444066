"""The station monthly report's donations-by-channel and people sections, and the volunteer
hours kind: worked example and brute force over the same rows."""

from decimal import Decimal

import pytest

from reports.periods import month

from . import brute_force
from .people_data import seed_people
from .test_kinds import build, table

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def people(dataset, network):
    seed_people(dataset, network)
    return dataset


def test_station_monthly_people_worked_example(people, network):
    result = build("station_monthly", station=network.street_a, period=month(2026, 3))
    # March 2026 in street A: 100 + 200 cash, 50 by bank at 23:00 on the 31st; the refunded
    # gift, the April gift and street B's gift are out.
    assert table(result, "donations_by_channel") == [
        ["在线支付（沙箱）", 0, 0, 1],
        ["在线支付（沙箱）：金额（元）", D("0.00"), D("0.00"), D("30.00")],
        ["现金", 2, 0, 2],
        ["现金：金额（元）", D("300.00"), D("0.00"), D("300.00")],
        ["银行转账", 1, 0, 1],
        ["银行转账：金额（元）", D("50.00"), D("0.00"), D("50.00")],
        ["捐款箱", 0, 1, 0],
        ["捐款箱：金额（元）", D("0.00"), D("500.00"), D("0.00")],
        ["全部渠道：捐赠笔数", 3, 1, 4],
        ["全部渠道：金额（元）", D("350.00"), D("500.00"), D("380.00")],
    ]
    assert table(result, "people") == [
        ["受助人数", 3, 1, 3],
        ["救助次数", 4, 1, 5],
        ["活跃志愿者", 2, 1, 2],
        ["已核实服务时长（小时）", D("9.00"), D("6.00"), D("13.00")],
        ["需求评估", 1, 1, 2],
    ]


@pytest.mark.parametrize("station_name", ["district", "street_a", "community_a1", "street_b"])
@pytest.mark.parametrize("period", [month(2026, 3), month(2026, 1), month(2025, 3)])
def test_station_monthly_people_equal_brute_force(people, network, station_name, period):
    station = getattr(network, station_name)
    result = build("station_monthly", station=station, period=period)
    assert table(result, "donations_by_channel") == brute_force.station_channels(station, period)
    assert table(result, "people") == brute_force.station_people(station, period)


def test_volunteer_hours_worked_example(people, network):
    result = build("volunteer_hours_monthly", station=network.street_a, period=month(2026, 3))
    assert table(result, "hours_by_station") == [
        ["华师社区", 2, 3, D("7.00")],
        ["暨南社区", 1, 1, D("2.00")],
        ["合计", 3, 4, D("9.00")],
    ]


@pytest.mark.parametrize("station_name", ["district", "street_a", "community_a2", "street_b"])
@pytest.mark.parametrize("period", [month(2026, 3), month(2026, 1), month(2025, 3)])
def test_volunteer_hours_equal_brute_force(people, network, station_name, period):
    station = getattr(network, station_name)
    result = build("volunteer_hours_monthly", station=station, period=period)
    assert table(result, "hours_by_station") == brute_force.volunteer_hours(station, period)
