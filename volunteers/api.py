"""The volunteers API. Opportunities and shifts are public (public fields only); volunteers,
sign-ups and service records are for staff, scoped to their stations, with phone and ID
numbers masked."""

from django.db.models import Count, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.serializers import RejectUnknownFields
from stations.api import ScopedViewSetMixin

from . import services
from .filters import (
    OpportunityFilter,
    ServiceRecordFilter,
    ShiftFilter,
    SignupFilter,
    VolunteerFilter,
)
from .models import Opportunity, ServiceRecord, Shift, Signup, Skill, Volunteer
from .selectors import ZERO_HOURS, star_level


class StaffModelPermissions(permissions.DjangoModelPermissions):
    """Reading needs the model's view permission too (a role grants it), not only a login."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
        "POST": ["%(app_label)s.change_%(model_name)s"],
    }


# --- Public --------------------------------------------------------------------------------------


class OpportunitySerializer(serializers.ModelSerializer):
    station = serializers.SlugRelatedField(slug_field="code", read_only=True)
    station_name = serializers.CharField(source="station.name", read_only=True)
    project = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    skills_wanted = serializers.ListField(child=serializers.ChoiceField(choices=Skill.choices))
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "code",
            "title",
            "description",
            "place",
            "station",
            "station_name",
            "project",
            "skills_wanted",
            "minimum_age",
            "is_risky",
            "url",
        ]
        read_only_fields = fields


class OpportunityViewSet(viewsets.ReadOnlyModelViewSet):
    """Published volunteer opportunities at active stations. Public."""

    queryset = (
        Opportunity.objects.filter(is_published=True, station__is_active=True)
        .select_related("station", "project")
        .order_by("-created_at")
    )
    serializer_class = OpportunitySerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    lookup_field = "code"
    filterset_class = OpportunityFilter
    search_fields = ["title", "place"]
    ordering_fields = ["created_at", "title"]


class ShiftSerializer(serializers.ModelSerializer):
    opportunity = serializers.SlugRelatedField(slug_field="code", read_only=True)
    places_taken = serializers.IntegerField(source="taken", read_only=True)

    class Meta:
        model = Shift
        fields = ["code", "opportunity", "starts_at", "ends_at", "capacity", "places_taken"]
        read_only_fields = fields


class ShiftViewSet(viewsets.ReadOnlyModelViewSet):
    """Shifts still to come of published opportunities, with the places taken. Public."""

    serializer_class = ShiftSerializer
    permission_classes = [permissions.AllowAny]
    authentication_classes = []
    lookup_field = "code"
    filterset_class = ShiftFilter
    ordering_fields = ["starts_at"]

    def get_queryset(self):
        return (
            Shift.objects.filter(
                ends_at__gt=timezone.now(),
                opportunity__is_published=True,
                opportunity__station__is_active=True,
            )
            .select_related("opportunity")
            .annotate(taken=Count("signups", filter=Q(signups__status=Signup.Status.CONFIRMED)))
            .order_by("starts_at", "pk")
        )


# --- Staff ---------------------------------------------------------------------------------------


class VolunteerSerializer(serializers.ModelSerializer):
    mobile = serializers.CharField(source="mobile_masked", read_only=True)
    id_number = serializers.CharField(source="id_number_masked", read_only=True)
    home_station = serializers.SlugRelatedField(slug_field="code", read_only=True)
    skills = serializers.ListField(child=serializers.CharField(), read_only=True)
    verified_hours = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True)
    star_level = serializers.SerializerMethodField()

    class Meta:
        model = Volunteer
        fields = [
            "number",
            "real_name",
            "gender",
            "birth_date",
            "mobile",
            "id_number",
            "home_station",
            "skills",
            "status",
            "rejection_reason",
            "verified_hours",
            "star_level",
            "created_at",
        ]
        read_only_fields = fields

    def get_star_level(self, obj: Volunteer) -> int:
        return star_level(obj.verified_hours)


class RejectSerializer(RejectUnknownFields, serializers.Serializer):
    reason = serializers.CharField(max_length=200)


def _volunteers_with_hours():
    verified = (
        ServiceRecord.objects.filter(volunteer=OuterRef("pk"), status=ServiceRecord.Status.VERIFIED)
        .values("volunteer")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    return (
        Volunteer.objects.select_related("home_station")
        .annotate(verified_hours=Coalesce(Subquery(verified), ZERO_HOURS))
        .order_by("-created_at")
    )


class VolunteerViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Volunteers at the user's stations, personal identifiers masked."""

    queryset = _volunteers_with_hours()
    serializer_class = VolunteerSerializer
    permission_classes = [permissions.IsAuthenticated, StaffModelPermissions]
    lookup_field = "number"
    filterset_class = VolunteerFilter
    search_fields = ["real_name", "number"]
    ordering_fields = ["created_at", "number"]

    @extend_schema(request=None, responses=VolunteerSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, number=None):
        volunteer = services.approve_volunteer(volunteer=self.get_object(), by=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=volunteer.pk)).data)

    @extend_schema(request=RejectSerializer, responses=VolunteerSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, number=None):
        data = RejectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        volunteer = services.reject_volunteer(
            volunteer=self.get_object(), by=request.user, reason=data.validated_data["reason"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=volunteer.pk)).data)


class SignupSerializer(serializers.ModelSerializer):
    shift = serializers.SlugRelatedField(slug_field="code", read_only=True)
    volunteer = serializers.SlugRelatedField(slug_field="number", read_only=True)

    class Meta:
        model = Signup
        fields = [
            "id",
            "shift",
            "volunteer",
            "status",
            "position",
            "created_at",
            "promoted_at",
            "cancelled_at",
            "checked_in_at",
            "checked_out_at",
        ]
        read_only_fields = fields


class SignupViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Sign-ups for shifts at the user's stations."""

    queryset = Signup.objects.select_related("shift", "volunteer").order_by("shift", "position")
    serializer_class = SignupSerializer
    permission_classes = [permissions.IsAuthenticated, StaffModelPermissions]
    filterset_class = SignupFilter
    ordering_fields = ["created_at", "position"]


class ServiceRecordSerializer(serializers.ModelSerializer):
    volunteer = serializers.SlugRelatedField(slug_field="number", read_only=True)
    station = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = ServiceRecord
        fields = [
            "id",
            "volunteer",
            "station",
            "source",
            "description",
            "started_at",
            "ended_at",
            "hours",
            "status",
            "reported_hours",
            "review_note",
            "verified_at",
            "created_at",
        ]
        read_only_fields = fields


class VerifySerializer(RejectUnknownFields, serializers.Serializer):
    hours = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, min_value=0, max_value=24
    )
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ServiceRecordViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Service records at the user's stations; coordinators verify or correct them."""

    queryset = ServiceRecord.objects.select_related("volunteer", "station").order_by("-started_at")
    serializer_class = ServiceRecordSerializer
    permission_classes = [permissions.IsAuthenticated, StaffModelPermissions]
    filterset_class = ServiceRecordFilter
    ordering_fields = ["started_at", "hours"]

    @extend_schema(request=VerifySerializer, responses=ServiceRecordSerializer)
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        data = VerifySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        record = services.verify_record(
            record=self.get_object(),
            by=request.user,
            hours=data.validated_data.get("hours"),
            reason=data.validated_data.get("reason", ""),
        )
        return Response(self.get_serializer(record).data)
