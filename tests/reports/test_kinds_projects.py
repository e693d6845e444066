"""Project progress disclosure and final report: worked example and brute force."""

from decimal import Decimal

import pytest

from reports.periods import month, quarter

from . import brute_force
from .conftest import Q1_2026
from .people_data import seed_people
from .test_kinds import build, table
from .test_kinds_fund_requests import requests  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def everything(requests, network):  # noqa: F811
    seed_people(requests, network)
    return requests


def test_project_final_worked_example(everything, network):
    result = build("project_final", station=network.street_a, period=Q1_2026)
    # Project 2 closed on 20 March 2026: 600 given restricted, 600 spent from it; the 100 paid
    # from unrestricted money in the same payment named no request, so it is not its money.
    # Request 3 (40, administrative) was paid though its ledger debit was then reversed.
    # Helped: two people, three times (one of them in 2025).
    assert table(result, "final") == [
        ["四点半课堂", "暨南社区", "2026年3月20日", D("600.00"), D("600.00"), D("40.00"),
         D("0.00"), 2, 3],
    ]  # fmt: skip


def test_project_progress_worked_example(everything, network):
    # Project 1 started on 10 November 2025: running six months by the end of Q2 2026.
    assert table(build("project_progress_quarterly", station=network.street_a,
                       period=Q1_2026), "progress") == []  # fmt: skip
    result = build("project_progress_quarterly", station=network.street_a, period=quarter(2026, 2))
    # 300 given in 2025; spent 200 in 2025 and 150 for request 1 in March 2026 (100 restricted,
    # 50 unrestricted paid for the request); no assistance in Q2.
    assert table(result, "progress") == [
        ["长者饭堂", "华师社区", "2025年11月10日", D("0.00"), D("0.00"), D("300.00"),
         D("350.00"), D("0.00"), 0, 0],
    ]  # fmt: skip


@pytest.mark.parametrize("station_name", ["district", "street_a", "community_a1", "street_b"])
@pytest.mark.parametrize(
    "period", [Q1_2026, quarter(2026, 2), quarter(2026, 3), month(2026, 3)], ids=str
)
def test_project_kinds_equal_brute_force(everything, network, station_name, period):
    station = getattr(network, station_name)
    progress = build("project_progress_quarterly", station=station, period=period)
    assert table(progress, "progress") == brute_force.project_progress(station, period)
    final = build("project_final", station=station, period=period)
    assert table(final, "final") == brute_force.project_final(station, period)
