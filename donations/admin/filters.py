"""The list filters the donation pages share: station and date range."""

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stations.scoping import visible_stations

# --- filters ---------------------------------------------------------------------------------


class StationFilter(admin.SimpleListFilter):
    """A station of the user's network: its donations and those of the stations below it."""

    title = _("station")
    parameter_name = "station"

    def lookups(self, request, model_admin):
        return [
            (str(station.pk), "　" * station.depth + station.name)
            for station in visible_stations(request.user).order_by("path")
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        station = visible_stations(request.user).filter(pk=self.value()).first()
        if station is None:
            raise IncorrectLookupParameters
        return queryset.filter(fund__station__path__startswith=station.path)


class DateRangeFilter(admin.FieldListFilter):
    """From / to dates (inclusive) on a date-time field, typed in two boxes."""

    template = "donations/admin/date_range_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_from = f"{field_path}__date__gte"
        self.lookup_to = f"{field_path}__date__lte"
        super().__init__(field, request, params, model, model_admin, field_path)
        self.dates = {}
        for lookup in (self.lookup_from, self.lookup_to):
            value = self.used_parameters.get(lookup)
            if isinstance(value, list):
                value = value[-1] if value else None
            if value:
                try:
                    parsed = parse_date(value)
                except ValueError:
                    parsed = None
                if parsed is None:
                    raise IncorrectLookupParameters(gettext("Enter dates as 2026-11-28."))
                self.dates[lookup] = parsed

    def expected_parameters(self):
        return [self.lookup_from, self.lookup_to]

    def queryset(self, request, queryset):
        return queryset.filter(**self.dates)

    def choices(self, changelist):
        keep = {
            key: value
            for key, value in changelist.get_filters_params().items()
            if key not in self.expected_parameters()
        }
        yield {
            "lookup_from": self.lookup_from,
            "lookup_to": self.lookup_to,
            "value_from": self.dates.get(self.lookup_from, ""),
            "value_to": self.dates.get(self.lookup_to, ""),
            "keep": [(k, v[-1] if isinstance(v, list) else v) for k, v in keep.items()],
            "clear_url": changelist.get_query_string(remove=self.expected_parameters()),
        }
