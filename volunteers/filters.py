import datetime

import django_filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_filters.fields import IsoDateTimeField

from core.filters import FilterSet
from stations.models import Station

from .models import Opportunity, ServiceRecord, Shift, Signup, Volunteer


def _within(queryset, lookup: str, code: str):
    """Rows whose station is the station with ``code`` or below it."""
    top = Station.objects.filter(code=code).values_list("path", flat=True).first()
    if top is None:
        return queryset.none()
    return queryset.filter(**{f"{lookup}__path__startswith": top})


class OpportunityFilter(FilterSet):
    station = django_filters.CharFilter(
        method="filter_station", label=_("station code: this station and all below it")
    )

    class Meta:
        model = Opportunity
        fields = ["station", "is_risky"]

    def filter_station(self, queryset, name, value):
        return _within(queryset, "station", value)


class UtcIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 moment, in UTC: Postgres refuses offsets beyond ±15:59 (Python allows
    ±23:59), and a moment at the ends of the calendar may not exist in UTC at all."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is None:
            return None
        try:
            return value.astimezone(datetime.UTC)
        except (OverflowError, ValueError):
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class UtcIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UtcIsoDateTimeField


class ShiftFilter(FilterSet):
    opportunity = django_filters.CharFilter(
        field_name="opportunity__code", label=_("opportunity code")
    )
    station = django_filters.CharFilter(
        method="filter_station", label=_("station code: this station and all below it")
    )
    starts_after = UtcIsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = UtcIsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Shift
        fields = ["opportunity", "station", "starts_after", "starts_before"]

    def filter_station(self, queryset, name, value):
        return _within(queryset, "opportunity__station", value)


class VolunteerFilter(FilterSet):
    station = django_filters.CharFilter(
        method="filter_station", label=_("station code: this station and all below it")
    )

    class Meta:
        model = Volunteer
        fields = ["status", "gender", "station"]

    def filter_station(self, queryset, name, value):
        return _within(queryset, "home_station", value)


class SignupFilter(FilterSet):
    shift = django_filters.CharFilter(field_name="shift__code", label=_("shift code"))
    volunteer = django_filters.CharFilter(
        field_name="volunteer__number", label=_("volunteer number")
    )

    class Meta:
        model = Signup
        fields = ["shift", "volunteer", "status"]


class ServiceRecordFilter(FilterSet):
    volunteer = django_filters.CharFilter(
        field_name="volunteer__number", label=_("volunteer number")
    )
    station = django_filters.CharFilter(
        method="filter_station", label=_("station code: this station and all below it")
    )
    started_after = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="gte")
    started_before = django_filters.IsoDateTimeFilter(field_name="started_at", lookup_expr="lt")

    class Meta:
        model = ServiceRecord
        fields = ["volunteer", "station", "status", "source", "started_after", "started_before"]

    def filter_station(self, queryset, name, value):
        return _within(queryset, "station", value)
