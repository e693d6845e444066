from rest_framework import mixins, permissions, serializers, viewsets

from core.serializers import RejectUnknownFields
from core.validators import (
    DIVISION_CODE_FORMAT,
    PHONE_FORMAT,
    validate_division_code,
    validate_mainland_phone,
)

from .filters import StationFilter
from .models import Station
from .scoping import scope_queryset, visible_stations
from .services import create_station, update_station


class ScopedViewSetMixin:
    """API querysets narrowed to the requesting user's stations; outside rows answer 404."""

    def get_queryset(self):
        return scope_queryset(super().get_queryset(), self.request.user)


class ScopedSlugRelatedField(serializers.SlugRelatedField):
    """A writable reference by public code whose choices are the user's own stations."""

    def get_queryset(self):
        request = self.context.get("request")
        return visible_stations(request.user if request else None)

    def run_validation(self, data=serializers.empty):
        # DRF reads "" as null for a related field; the schema says a code is never empty (an
        # absent station is null), so "" is refused rather than taken for "no parent".
        if data == "":
            raise serializers.ValidationError(
                serializers.CharField.default_error_messages["blank"], code="blank"
            )
        return super().run_validation(data)

    def to_internal_value(self, data):
        # Postgres refuses NUL in text: such a code cannot exist, so say so before looking.
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data.replace("\x00", ""))
        return super().to_internal_value(data)


class StationSerializer(RejectUnknownFields, serializers.ModelSerializer):
    parent = ScopedSlugRelatedField(slug_field="code", allow_null=True, required=False)
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    services = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Station
        fields = [
            "code",
            "name",
            "level",
            "level_display",
            "parent",
            "depth",
            "division_code",
            "address",
            "contact_phone",
            "offers_donation_point",
            "offers_volunteer_service",
            "offers_assistance",
            "services",
            "is_active",
        ]
        read_only_fields = ["depth"]
        # Uniqueness of the code is checked (with a clear message) by the service's full_clean.
        extra_kwargs = {
            "code": {"validators": [], "required": False},
            # The formats as patterns, so the schema states them (the model's validators stay).
            "division_code": {"validators": [DIVISION_CODE_FORMAT, validate_division_code]},
            "contact_phone": {"validators": [PHONE_FORMAT, validate_mainland_phone]},
        }


class StationViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Stations the user may see: their memberships' stations and everything below them.

    Creating and changing need the station permissions of the director role; a new station's
    parent must be one of the user's stations and one level above it.
    """

    queryset = Station.objects.select_related("parent").order_by("path")
    serializer_class = StationSerializer
    permission_classes = [permissions.IsAuthenticated, permissions.DjangoModelPermissions]
    lookup_field = "code"
    filterset_class = StationFilter
    search_fields = ["name", "address", "division_code"]
    ordering_fields = ["path", "name", "level"]

    def perform_create(self, serializer):
        serializer.instance = create_station(by=self.request.user, **serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = update_station(
            station=serializer.instance, by=self.request.user, **serializer.validated_data
        )
