"""Volunteer hours monthly per station: verified hours and active volunteers at a station and at
each station below it, for one month. Counts only: no volunteer is named."""

from django.db.models import Count, DecimalField, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from funds.money import ZERO
from stations.models import Station
from volunteers.models import ServiceRecord

from ..periods import period_label
from ..registry import KindContext, Scope, register_kind
from ..structure import Chart, ReportResult, Section, Table


def hours_by_station(station, period) -> list[dict]:
    """Verified service that started in ``period``, per station served: one query (plus one
    for the station names)."""
    start, end = period.bounds()
    rows = (
        ServiceRecord.objects.filter(
            station__path__startswith=station.path,
            status=ServiceRecord.Status.VERIFIED,
            started_at__gte=start,
            started_at__lt=end,
        )
        .values("station", "station__name", "station__path")
        .annotate(
            volunteers=Count("volunteer", distinct=True),
            records=Count("pk"),
            hours=Sum("hours", output_field=DecimalField(max_digits=14, decimal_places=2)),
        )
        .order_by("station__path")
    )
    return list(rows)


@register_kind(
    "volunteer_hours_monthly",
    label=gettext_lazy("Volunteer hours monthly"),
    scope=Scope.STATION,
    period_unit="month",
)
def volunteer_hours_monthly(context: KindContext) -> ReportResult:
    station: Station = context.station
    context.progress(20, _("Volunteer hours"))
    rows = hours_by_station(station, context.period)
    table_rows = [[r["station__name"], r["volunteers"], r["records"], r["hours"]] for r in rows]
    if table_rows:
        table_rows.append(
            [
                _("Total"),
                sum(r["volunteers"] for r in rows),
                sum(r["records"] for r in rows),
                sum((r["hours"] for r in rows), ZERO),
            ]
        )
    chart = None
    if rows:
        chart = Chart(
            title=_("Verified volunteer hours"),
            categories=[r["station__name"] for r in rows],
            series=[(_("Hours"), [r["hours"] for r in rows])],
            horizontal=True,
        )
    return ReportResult(
        title=_("%(station)s: volunteer hours for %(period)s")
        % {
            "station": station.name,
            "period": period_label(context.period_start, context.period_end),
        },
        subtitle=_("%(station)s and every station below it") % {"station": station.name},
        sections=[
            Section(
                "hours_by_station",
                _("Volunteer hours by station"),
                Table(
                    [_("Station"), _("Active volunteers"), _("Service records"), _("Hours")],
                    table_rows,
                ),
                chart=chart,
                note=_(
                    "Verified service that started in the month, counted at the station served. "
                    "The total of active volunteers counts a volunteer once per station."
                ),
            )
        ],
    )
