import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import BooleanFilter, FilterSet

from .models import Report
from .registry import kind_choices


class ReportFilter(FilterSet):
    kind = django_filters.ChoiceFilter(choices=kind_choices, label=_("kind"))
    station = django_filters.CharFilter(field_name="station__code", label=_("station code"))
    fund = django_filters.CharFilter(field_name="fund__code", label=_("fund code"))
    project = django_filters.CharFilter(field_name="project__code", label=_("project code"))
    published = BooleanFilter(
        field_name="published_at", lookup_expr="isnull", exclude=True, label=_("published")
    )

    class Meta:
        model = Report
        fields = ["kind", "status", "station", "fund", "project", "published"]
