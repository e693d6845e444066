"""The report kinds. Each kind is a function from a ``KindContext`` to a ``ReportResult``.

A new kind is a few lines in any app's module listed in ``settings.REPORTS_KIND_MODULES``::

    @register_kind("volunteer_hours_monthly", label=_("Volunteer hours"), scope=Scope.STATION,
                   period_unit="month")
    def volunteer_hours(context: KindContext) -> ReportResult: ...
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from importlib import import_module

from django.conf import settings
from django.utils.functional import Promise

from .periods import Period
from .structure import ReportResult


class Scope(StrEnum):
    STATION = "station"  # a station and everything below it
    FUND = "fund"
    PROJECT = "project"
    HOST = "host"  # a host charity: all its funds on the platform


@dataclass(frozen=True)
class KindContext:
    station: object  # stations.models.Station
    fund: object | None  # funds.models.Fund for fund kinds
    period: Period
    # progress(percent 0-100 of the computation, step label): computation may take a while.
    progress: Callable[[int, str], None]
    project: object | None = None  # projects.models.Project for project kinds
    host: object | None = None  # funds.models.HostCharity for host kinds

    @property
    def period_start(self) -> datetime.date:
        return self.period.start

    @property
    def period_end(self) -> datetime.date:
        return self.period.end


@dataclass(frozen=True)
class ReportKind:
    key: str
    label: Promise | str
    scope: Scope
    period_unit: str  # "month", "quarter", "year": what the schedule produces
    build: Callable[[KindContext], ReportResult]
    disclosure: bool = False  # may be published on the public disclosure page
    # For project kinds: the projects the schedule produces a report for, given the period.
    scheduled_subjects: Callable[[Period], list] | None = None


_KINDS: dict[str, ReportKind] = {}


def register_kind(
    key: str,
    *,
    label,
    scope: Scope,
    period_unit: str,
    disclosure: bool = False,
    scheduled_subjects: Callable[[Period], list] | None = None,
) -> Callable:
    def decorator(build: Callable[[KindContext], ReportResult]):
        _KINDS[key] = ReportKind(
            key=key,
            label=label,
            scope=Scope(scope),
            period_unit=period_unit,
            build=build,
            disclosure=disclosure,
            scheduled_subjects=scheduled_subjects,
        )
        return build

    return decorator


def get_kind(key: str) -> ReportKind:
    try:
        return _KINDS[key]
    except KeyError:
        raise LookupError(f"unknown report kind {key!r}") from None


def all_kinds() -> list[ReportKind]:
    return list(_KINDS.values())


def kind_choices() -> list[tuple[str, str]]:
    return [(kind.key, kind.label) for kind in _KINDS.values()]


def disclosure_kind_keys() -> list[str]:
    return [kind.key for kind in _KINDS.values() if kind.disclosure]


def load_kind_modules() -> None:
    for module in settings.REPORTS_KIND_MODULES:
        import_module(module)
