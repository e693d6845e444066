"""Project progress disclosure and final report, one report per project: worked example,
brute force, and which projects the quarterly schedule reports on."""

from decimal import Decimal

import pytest

from projects.models import Project
from reports import services
from reports.kinds.projects import closed_in, long_running
from reports.models import Report
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


def build_for(kind, project, period):
    return build(kind, station=project.station, project=project, period=period)


def test_project_final_worked_example(everything):
    project = everything.project_2
    result = build_for("project_final", project, Q1_2026)
    assert "四点半课堂" in result.title and "2026年第1季度" in result.title
    # Project 2 closed on 20 March 2026: 600 given restricted, 600 spent from it; the 100 paid
    # from unrestricted money in the same payment named no request, so it is not its money.
    # Request 3 (40, administrative) was paid though its ledger debit was then reversed.
    # Helped: two people, three times (one of them in 2025).
    assert table(result, "final") == [
        ["四点半课堂", "暨南社区", "2026年3月20日", D("600.00"), D("600.00"), D("40.00"),
         D("0.00"), 2, 3],
    ]  # fmt: skip


def test_project_progress_worked_example(everything):
    project = everything.project_1
    result = build_for("project_progress_quarterly", project, quarter(2026, 2))
    assert "长者饭堂" in result.title
    # 300 given in 2025; spent 200 in 2025 and 150 for request 1 in March 2026 (100 restricted,
    # 50 unrestricted paid for the request); no assistance in Q2.
    assert table(result, "progress") == [
        ["长者饭堂", "华师社区", "2025年11月10日", D("0.00"), D("0.00"), D("300.00"),
         D("350.00"), D("0.00"), 0, 0],
    ]  # fmt: skip


def test_the_schedule_reports_on_long_running_and_closed_projects(everything):
    # Project 1 (from 10 November 2025) runs six months by the end of Q2 2026, not of Q1.
    assert long_running(Q1_2026) == []
    assert long_running(quarter(2026, 2)) == [everything.project_1]
    assert long_running(quarter(2026, 2)) == brute_force.long_running(quarter(2026, 2))
    # Project 2 closed on 20 March 2026: its final report comes with Q1.
    assert closed_in(Q1_2026) == [everything.project_2] == brute_force.closed_in(Q1_2026)
    assert closed_in(quarter(2026, 2)) == []


def test_the_quarterly_beat_makes_one_report_per_project(
    everything, django_capture_on_commit_callbacks
):
    import datetime

    with django_capture_on_commit_callbacks():
        final = services.schedule_reports(kind="project_final", today=datetime.date(2026, 4, 1))
        progress = services.schedule_reports(
            kind="project_progress_quarterly", today=datetime.date(2026, 7, 1)
        )
        again = services.schedule_reports(kind="project_final", today=datetime.date(2026, 4, 1))
    assert [(r.project, r.station, r.scope_key) for r in final] == [
        (everything.project_2, everything.project_2.station, f"project:{everything.project_2.pk}")
    ]
    assert [r.project for r in progress] == [everything.project_1]
    assert again == []
    assert Report.objects.filter(kind="project_final").count() == 1


@pytest.mark.parametrize(
    "period", [Q1_2026, quarter(2026, 2), quarter(2026, 3), month(2026, 3)], ids=str
)
def test_project_kinds_equal_brute_force(everything, period):
    for project in Project.objects.select_related("station"):
        progress = build_for("project_progress_quarterly", project, period)
        assert table(progress, "progress") == brute_force.project_progress(project, period)
        final = build_for("project_final", project, period)
        assert table(final, "final") == brute_force.project_final(project, period)
