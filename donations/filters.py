import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import FilterSet

from .models import Donation


class DonationFilter(FilterSet):
    station = django_filters.CharFilter(field_name="fund__station__code", label=_("station code"))
    point = django_filters.CharFilter(field_name="point__code", label=_("donation point code"))
    fund = django_filters.CharFilter(field_name="fund__code", label=_("fund code"))
    campaign = django_filters.CharFilter(field_name="campaign__code", label=_("campaign code"))
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label=_("created on or after")
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label=_("created on or before")
    )

    class Meta:
        model = Donation
        fields = ["status", "channel", "provider", "station", "point", "fund", "campaign"]
