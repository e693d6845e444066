"""The goods API for staff, scoped to their stations: goods donations, stock lots (with a
``distribute`` action calling the service) and stock movements (read only)."""

import django_filters
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.filters import BooleanFilter, FilterSet, IntegerFilter
from core.serializers import RejectUnknownFields
from projects.models import Beneficiary, Project, ServiceActivity
from stations.api import ScopedViewSetMixin
from stations.scoping import scope_queryset

from . import goods_services
from .api import ViewModelPermissions
from .models import GoodsDonation, GoodsItem, GoodsMovement


class GoodsItemSerializer(serializers.ModelSerializer):
    station = serializers.SlugRelatedField(slug_field="code", read_only=True)
    donation = serializers.SlugRelatedField(slug_field="receipt_number", read_only=True)

    class Meta:
        model = GoodsItem
        fields = ["id", "donation", "station", "category", "name", "quantity", "unit",
                  "condition", "expiry_date", "value", "remaining"]  # fmt: skip
        read_only_fields = fields


class GoodsDonationSerializer(serializers.ModelSerializer):
    point = serializers.SlugRelatedField(slug_field="code", read_only=True)
    donor = serializers.CharField(source="public_name", read_only=True)
    items = GoodsItemSerializer(many=True, read_only=True)

    class Meta:
        model = GoodsDonation
        fields = ["receipt_number", "point", "donor", "received_at", "note", "items"]
        read_only_fields = fields


class GoodsMovementSerializer(serializers.ModelSerializer):
    project = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = GoodsMovement
        fields = ["id", "lot", "kind", "change", "project", "activity", "beneficiary", "reason",
                  "moved_on", "created_at"]  # fmt: skip
        read_only_fields = fields


class ScopedChoice(serializers.PrimaryKeyRelatedField):
    """A reference whose choices are the rows at the user's stations (others: "not found")."""

    def get_queryset(self):
        return scope_queryset(super().get_queryset(), self.context["request"].user)


class ScopedProjectChoice(serializers.SlugRelatedField):
    def get_queryset(self):
        return scope_queryset(super().get_queryset(), self.context["request"].user)


class DistributeSerializer(RejectUnknownFields, serializers.Serializer):
    quantity = serializers.CharField(
        max_length=20,
        validators=[
            RegexValidator(
                r"^[0-9]{1,9}(?:\.[0-9]{1,3})?$",
                _("Enter a quantity as a number, such as 10 or 2.5."),
            )
        ],
    )
    project = ScopedProjectChoice(
        slug_field="code", queryset=Project.objects.all(), required=False, allow_null=True
    )
    activity = ScopedChoice(queryset=ServiceActivity.objects.all(), required=False,
                            allow_null=True)  # fmt: skip
    beneficiary = ScopedChoice(queryset=Beneficiary.objects.all(), required=False,
                               allow_null=True)  # fmt: skip
    on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class GoodsDonationFilter(FilterSet):
    station = django_filters.CharFilter(field_name="point__station__code", label=_("station code"))
    point = django_filters.CharFilter(field_name="point__code", label=_("donation point code"))
    received_after = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__gte", label=_("received on or after")
    )
    received_before = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__lte", label=_("received on or before")
    )

    class Meta:
        model = GoodsDonation
        fields = ["station", "point"]


class GoodsItemFilter(FilterSet):
    station = django_filters.CharFilter(field_name="station__code", label=_("station code"))
    in_stock = BooleanFilter(
        field_name="remaining", lookup_expr="gt", method="filter_in_stock", label=_("in stock")
    )
    expires_before = django_filters.DateFilter(
        field_name="expiry_date", lookup_expr="lte", label=_("expires on or before")
    )

    class Meta:
        model = GoodsItem
        fields = ["station", "category", "condition"]

    def filter_in_stock(self, queryset, name, value):
        return queryset.filter(remaining__gt=0) if value else queryset.filter(remaining=0)


class GoodsMovementFilter(FilterSet):
    lot = IntegerFilter(field_name="lot_id", label=_("stock lot id"))

    class Meta:
        model = GoodsMovement
        fields = ["kind", "lot"]


class GoodsDonationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Goods received at the user's stations, with their items."""

    queryset = GoodsDonation.objects.select_related("point").prefetch_related(
        "items__station", "items__donation"
    )
    serializer_class = GoodsDonationSerializer
    permission_classes = [permissions.IsAuthenticated, ViewModelPermissions]
    lookup_field = "receipt_number"
    lookup_value_regex = r"WZ\d{1,6}-\d{4}-\d{6}"
    filterset_class = GoodsDonationFilter
    search_fields = ["receipt_number", "donor_name"]
    ordering_fields = ["received_at", "receipt_number"]


class GoodsItemViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The stock lots of the user's stations; ``distribute`` gives goods out of one."""

    queryset = GoodsItem.objects.select_related("station", "donation")
    serializer_class = GoodsItemSerializer
    permission_classes = [permissions.IsAuthenticated, ViewModelPermissions]
    filterset_class = GoodsItemFilter
    search_fields = ["name"]
    ordering_fields = ["expiry_date", "remaining", "name"]

    @extend_schema(request=DistributeSerializer, responses={201: GoodsMovementSerializer})
    # Giving out needs the distribute right (checked after the scope: outside rows are 404).
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def distribute(self, request, pk=None):
        lot = self.get_object()
        if not request.user.has_perm("donations.distribute_goodsitem"):
            self.permission_denied(request)
        serializer = DistributeSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        # A refusal by the service (more than the lot has left ...) is a 422 (config/api_errors).
        movement = goods_services.distribute_goods(by=request.user, lot=lot,
                                                   **serializer.validated_data)  # fmt: skip
        return Response(GoodsMovementSerializer(movement).data, status=status.HTTP_201_CREATED)


class GoodsMovementViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Every stock movement at the user's stations."""

    queryset = GoodsMovement.objects.select_related("project")
    serializer_class = GoodsMovementSerializer
    permission_classes = [permissions.IsAuthenticated, ViewModelPermissions]
    filterset_class = GoodsMovementFilter
    ordering_fields = ["created_at", "moved_on"]
