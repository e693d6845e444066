import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .models import Station

SERVICE_FIELDS = {
    "donation_point": "offers_donation_point",
    "volunteer_service": "offers_volunteer_service",
    "assistance": "offers_assistance",
}


class StationFilter(FilterSet):
    parent = django_filters.CharFilter(field_name="parent__code", label=_("parent station code"))
    within = django_filters.CharFilter(
        method="filter_within", label=_("station code: this station and all below it")
    )
    service = django_filters.ChoiceFilter(
        choices=[
            ("donation_point", _("donation point")),
            ("volunteer_service", _("volunteer service")),
            ("assistance", _("assistance")),
        ],
        method="filter_service",
        label=_("service offered"),
    )

    class Meta:
        model = Station
        fields = ["level", "parent", "is_active", "service"]

    def filter_service(self, queryset, name, value):
        return queryset.filter(**{SERVICE_FIELDS[value]: True})

    def filter_within(self, queryset, name, value):
        top = Station.objects.filter(code=value).values_list("path", flat=True).first()
        if top is None:
            return queryset.none()
        return queryset.filter(path__startswith=top)
