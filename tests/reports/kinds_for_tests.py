"""Report kinds that exist only in tests: one that fails, one that is slow (for killing a
worker in the middle), one that prints a float (which the renderers refuse)."""

import os
import time
from decimal import Decimal

from django.db import OperationalError

from reports.registry import KindContext, Scope, register_kind
from reports.structure import ReportResult, Section, Table

CALLS = {"flaky": 0}


def _result(title: str, rows) -> ReportResult:
    return ReportResult(
        title=title, subtitle="测试", sections=[Section("s", "测试", Table(["项目", "金额"], rows))]
    )


@register_kind("test_always_busy", label="测试：数据库忙", scope=Scope.STATION, period_unit="test")
def always_busy(context: KindContext) -> ReportResult:
    raise OperationalError("could not connect: the database is restarting")


@register_kind("test_flaky_once", label="测试：失败一次", scope=Scope.STATION, period_unit="test")
def flaky_once(context: KindContext) -> ReportResult:
    CALLS["flaky"] += 1
    if CALLS["flaky"] == 1:
        raise OperationalError("server closed the connection unexpectedly")
    return _result("失败一次后成功", [["合计", Decimal("1.00")]])


@register_kind("test_broken", label="测试：程序错误", scope=Scope.STATION, period_unit="test")
def broken(context: KindContext) -> ReportResult:
    raise ValueError("the figures do not add up")


@register_kind("test_float_cell", label="测试：浮点数", scope=Scope.STATION, period_unit="test")
def float_cell(context: KindContext) -> ReportResult:
    rows = [[f"第{i}行", Decimal(i)] for i in range(200)] + [["坏数", 0.1]]
    return _result("浮点数", rows)


@register_kind("test_slow", label="测试：很慢", scope=Scope.STATION, period_unit="test")
def slow(context: KindContext) -> ReportResult:
    """Waits in the middle while the marker file named by REPORTS_TEST_SLOW_MARKER exists."""
    context.progress(50, "slow step")
    marker = os.environ.get("REPORTS_TEST_SLOW_MARKER", "")
    deadline = time.monotonic() + 120
    while marker and os.path.exists(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    return _result("很慢的报告", [["合计", Decimal("42.00")]])
