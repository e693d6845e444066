import django_filters

from core.filters import BooleanFilter, FilterSet, MultipleChoiceFilter

from .models import Campaign, DisbursementRequest, Fund, HostCharity, LedgerEntry


class HostCharityFilter(FilterSet):
    class Meta:
        model = HostCharity
        fields = ["kind", "has_public_fundraising_qualification"]


class FundFilter(FilterSet):
    station = django_filters.CharFilter(field_name="station__code", label="station code")
    host = django_filters.CharFilter(field_name="host__credit_code", label="host credit code")

    class Meta:
        model = Fund
        fields = ["status", "station", "host"]


class LedgerEntryFilter(FilterSet):
    fund = django_filters.CharFilter(field_name="fund__code", label="fund code")
    project = django_filters.CharFilter(field_name="project__code", label="project code")
    campaign = django_filters.CharFilter(field_name="campaign__code", label="campaign code")
    posted_after = django_filters.DateFilter(field_name="posted_at", lookup_expr="date__gte")
    posted_before = django_filters.DateFilter(field_name="posted_at", lookup_expr="date__lte")
    restricted = BooleanFilter(
        field_name="project", lookup_expr="isnull", exclude=True, label="restricted"
    )

    class Meta:
        model = LedgerEntry
        fields = ["fund", "kind", "project", "campaign", "source_type"]


class CampaignFilter(FilterSet):
    fund = django_filters.CharFilter(field_name="shares__fund__code", label="fund code")

    class Meta:
        model = Campaign
        fields = ["status", "fund"]


class DisbursementRequestFilter(FilterSet):
    fund = django_filters.CharFilter(field_name="fund__code", label="fund code")
    project = django_filters.CharFilter(field_name="project__code", label="project code")
    status = MultipleChoiceFilter(choices=DisbursementRequest.Status.choices)

    class Meta:
        model = DisbursementRequest
        fields = ["fund", "project", "status", "is_administrative"]
