import django_filters
from django.utils.translation import gettext_lazy as _

from core.filters import BooleanFilter, FilterSet
from stations.models import Station

from .models import (
    AssistanceRecord,
    Beneficiary,
    BeneficiaryCategory,
    NeedsAssessment,
    ProgressUpdate,
    Project,
)


def _within(queryset, lookup: str, code: str):
    """Rows whose station is the station with this code or below it."""
    top = Station.objects.filter(code=code).values_list("path", flat=True).first()
    if top is None:
        return queryset.none()
    return queryset.filter(**{f"{lookup}__path__startswith": top})


class NeedsAssessmentFilter(FilterSet):
    station = django_filters.CharFilter(
        method="filter_station", label=_("station code: this station and all below it")
    )
    category = django_filters.ChoiceFilter(
        field_name="needs__category",
        choices=Project.Category.choices,
        distinct=True,
        label=_("category of a need found"),
    )
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = NeedsAssessment
        fields = ["station", "method", "category", "date_after", "date_before"]

    def filter_station(self, queryset, name, value):
        return _within(queryset, "station", value)


class ProjectFilter(FilterSet):
    station = django_filters.CharFilter(
        method="filter_station", label=_("station code: this station and all below it")
    )
    overdue = BooleanFilter(
        field_name="disclosure_overdue_since",
        lookup_expr="isnull",
        exclude=True,
        label=_("progress update overdue"),
    )

    class Meta:
        model = Project
        fields = ["station", "status", "kind", "category", "overdue"]

    def filter_station(self, queryset, name, value):
        return _within(queryset, "station", value)


class BeneficiaryFilter(FilterSet):
    station = django_filters.CharFilter(
        method="filter_station", label=_("station code: this station and all below it")
    )
    category = django_filters.ChoiceFilter(
        field_name="categories__category",
        choices=BeneficiaryCategory.Category.choices,
        distinct=True,
        label=_("category"),
    )
    project = django_filters.CharFilter(field_name="projects__code", label=_("project code"))

    class Meta:
        model = Beneficiary
        fields = ["station", "category", "project", "gender"]

    def filter_station(self, queryset, name, value):
        return _within(queryset, "station", value)


class AssistanceRecordFilter(FilterSet):
    project = django_filters.CharFilter(field_name="project__code", label=_("project code"))
    beneficiary = django_filters.NumberFilter(field_name="beneficiary_id", label=_("beneficiary"))
    date_after = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_before = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = AssistanceRecord
        fields = ["project", "beneficiary", "kind", "date_after", "date_before"]


class ProgressUpdateFilter(FilterSet):
    project = django_filters.CharFilter(field_name="project__code", label=_("project code"))

    class Meta:
        model = ProgressUpdate
        fields = ["project"]
