"""Report periods: calendar months, quarters and years in the platform's time zone."""

import calendar
import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # inclusive

    def bounds(self) -> tuple[datetime.datetime, datetime.datetime]:
        """[start 00:00, day after end 00:00) as aware datetimes in the current time zone."""
        return day_start(self.start), day_start(self.end + datetime.timedelta(days=1))

    def contains(self, day: datetime.date) -> bool:
        return self.start <= day <= self.end


def day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def month(year: int, month_number: int) -> Period:
    last = calendar.monthrange(year, month_number)[1]
    return Period(datetime.date(year, month_number, 1), datetime.date(year, month_number, last))


def quarter(year: int, number: int) -> Period:
    first_month = 3 * (number - 1) + 1
    return Period(month(year, first_month).start, month(year, first_month + 2).end)


def year(year_number: int) -> Period:
    return Period(datetime.date(year_number, 1, 1), datetime.date(year_number, 12, 31))


def same_period_last_year(period: Period) -> Period:
    """The same calendar month (or span) one year earlier; 29 February becomes the 28th."""

    def shift(day: datetime.date) -> datetime.date:
        last = calendar.monthrange(day.year - 1, day.month)[1]
        return day.replace(year=day.year - 1, day=min(day.day, last))

    start, end = shift(period.start), shift(period.end)
    if period.end == month(period.end.year, period.end.month).end:
        end = month(end.year, end.month).end  # a whole month stays a whole month
    return Period(start, end)


def year_to_date(period: Period) -> Period:
    return Period(datetime.date(period.end.year, 1, 1), period.end)


def previous_complete(unit: str, today: datetime.date) -> Period:
    """The last whole month / quarter / year before ``today``."""
    if unit == "month":
        last_month_end = today.replace(day=1) - datetime.timedelta(days=1)
        return month(last_month_end.year, last_month_end.month)
    if unit == "quarter":
        current = (today.month - 1) // 3 + 1
        return quarter(today.year - 1, 4) if current == 1 else quarter(today.year, current - 1)
    if unit == "year":
        return year(today.year - 1)
    raise ValueError(unit)


def add_months(day: datetime.date, months: int) -> datetime.date:
    index = day.month - 1 + months
    target_year, target_month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=target_year,
        month=target_month,
        day=min(day.day, calendar.monthrange(target_year, target_month)[1]),
    )


def period_label(start: datetime.date, end: datetime.date) -> str:
    """2026年3月, 2026年第1季度, 2026年度, or the two dates."""
    if start.day == 1 and end == month(start.year, start.month).end:
        return _("%(month)s/%(year)s") % {"year": start.year, "month": start.month}
    if (
        start.day == 1
        and start.month in (1, 4, 7, 10)
        and end == quarter(start.year, (start.month - 1) // 3 + 1).end
    ):
        return _("Q%(quarter)s %(year)s") % {"year": start.year, "quarter": (start.month + 2) // 3}
    if start == datetime.date(start.year, 1, 1) and end == datetime.date(start.year, 12, 31):
        return _("year %(year)s") % {"year": start.year}
    return _("%(start)s to %(end)s") % {"start": format_date(start), "end": format_date(end)}


def format_date(day: datetime.date) -> str:
    """2026年11月28日 in Chinese; the active language's date format otherwise."""
    return date_format(day, "DATE_FORMAT")
