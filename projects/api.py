"""The projects API. Serializers validate and shape; every write goes through a service.

Beneficiaries are masked in lists and details for everyone; the full ID number and phone come
only from ``/beneficiaries/{id}/personal-data/``, for the roles that need them, logged.
"""

import re
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api_errors import RULE
from core.serializers import RejectUnknownFields
from core.validators import RESIDENT_ID_FORMAT
from stations.api import ScopedSlugRelatedField, ScopedViewSetMixin
from stations.scoping import scope_queryset

from . import filters, selectors, services
from .models import (
    AssessedNeed,
    AssistanceRecord,
    Beneficiary,
    BeneficiaryCategory,
    BeneficiaryViewLog,
    BudgetLine,
    NeedsAssessment,
    ProgressUpdate,
    Project,
)

POSITIVE = {"min_value": Decimal("0.01"), "max_digits": 14, "decimal_places": 2}


class ViewModelPermissions(permissions.DjangoModelPermissions):
    """Reading needs the model's view permission too: a role without it gets 403."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class _RequestScopedMixin:
    def _user(self):
        request = self.context.get("request")
        return request.user if request else None


@extend_schema_field({"type": "string", "minLength": 1})
class ScopedProjectField(_RequestScopedMixin, serializers.SlugRelatedField):
    """A project referenced by its public code, among the user's projects."""

    def __init__(self, **kwargs):
        super().__init__(slug_field="code", **kwargs)

    def get_queryset(self):
        return scope_queryset(Project.objects.select_related("station"), self._user())


@extend_schema_field(OpenApiTypes.STR)
class OptionalScopedProjectField(ScopedProjectField):
    """The same, optional: an empty code means none."""


class ScopedPrimaryKeyField(_RequestScopedMixin, serializers.PrimaryKeyRelatedField):
    def __init__(self, *, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return scope_queryset(self.model._default_manager.all(), self._user())


class StaffUserField(_RequestScopedMixin, serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return selectors.staff_users_visible_to(self._user())


# --- needs assessments -------------------------------------------------------------------------


class AssessedNeedSerializer(RejectUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = AssessedNeed
        fields = ["category", "description", "priority"]


class NeedsAssessmentSerializer(RejectUnknownFields, serializers.ModelSerializer):
    station = ScopedSlugRelatedField(slug_field="code")
    needs = AssessedNeedSerializer(many=True, required=False)

    class Meta:
        model = NeedsAssessment
        fields = [
            "id",
            "station",
            "title",
            "method",
            "date",
            "respondents_count",
            "respondents",
            "findings",
            "needs",
            "created_at",
        ]


class NeedsAssessmentViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Needs assessments of the user's stations, with the needs each found."""

    queryset = NeedsAssessment.objects.select_related("station").prefetch_related("needs")
    serializer_class = NeedsAssessmentSerializer
    permission_classes = [permissions.IsAuthenticated, ViewModelPermissions]
    filterset_class = filters.NeedsAssessmentFilter
    search_fields = ["title", "findings"]
    ordering_fields = ["date", "created_at"]

    def perform_create(self, serializer):
        serializer.instance = services.create_needs_assessment(
            by=self.request.user, **serializer.validated_data
        )


# --- projects ----------------------------------------------------------------------------------


class BudgetLineSerializer(RejectUnknownFields, serializers.Serializer):
    category = serializers.ChoiceField(choices=BudgetLine.Category.choices)
    description = serializers.CharField(max_length=200, required=False, allow_blank=True)
    amount = serializers.DecimalField(**POSITIVE)


class IndicatorSerializer(RejectUnknownFields, serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(max_length=200)
    unit = serializers.CharField(max_length=32, required=False, allow_blank=True)
    planned_value = serializers.DecimalField(**POSITIVE)


class ProjectSerializer(RejectUnknownFields, serializers.ModelSerializer):
    station = ScopedSlugRelatedField(slug_field="code")
    lead = StaffUserField(required=False, allow_null=True)
    team = StaffUserField(many=True, required=False)
    assessments = ScopedPrimaryKeyField(model=NeedsAssessment, many=True, required=False)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    budget_lines = BudgetLineSerializer(many=True, required=False)
    indicators = IndicatorSerializer(many=True, required=False)
    fundraising_goal = serializers.DecimalField(**POSITIVE, required=False, allow_null=True)
    beneficiaries_served = serializers.IntegerField(source="served_count", read_only=True)
    disclosure_overdue = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "code",
            "station",
            "title",
            "kind",
            "category",
            "status",
            "status_display",
            "summary",
            "objectives",
            "target_group",
            "target_beneficiaries",
            "fundraising_goal",
            "start_date",
            "end_date",
            "lead",
            "team",
            "assessments",
            "budget_lines",
            "indicators",
            "beneficiaries_served",
            "last_public_update_at",
            "disclosure_overdue",
            "disclosure_overdue_since",
        ]
        read_only_fields = ["code", "status", "last_public_update_at", "disclosure_overdue_since"]

    def get_disclosure_overdue(self, obj) -> bool:
        return obj.disclosure_overdue_since is not None

    def validate(self, attrs):
        start, end = attrs.get("start_date"), attrs.get("end_date")
        if self.instance is not None:
            start = attrs.get("start_date", self.instance.start_date)
            end = attrs.get("end_date", self.instance.end_date)
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": _("The end date cannot be before the start date.")}, code=RULE
            )
        return attrs


INDICATOR_ID = re.compile(r"^[0-9]+$")


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {
            "type": "string",
            "format": "decimal",
            "pattern": r"^-?(?:\d{1,12}(?:\.\d{0,2})?|\.\d{1,2})$",
        },
    }
)
class IndicatorResultsField(serializers.DictField):
    """Achieved value per indicator id: ``{"12": "30"}``."""

    child = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=0)

    def to_internal_value(self, data):
        results = super().to_internal_value(data)
        if not all(INDICATOR_ID.fullmatch(str(key)) for key in results):
            # OpenAPI 3.0 has no way to state what a map's keys look like: a rule (422).
            raise serializers.ValidationError(_("Indicator ids are numbers."), code=RULE)
        return {int(key): value for key, value in results.items()}


class EvaluationInputSerializer(RejectUnknownFields, serializers.Serializer):
    narrative = serializers.CharField()
    results = IndicatorResultsField(
        help_text=_("Achieved value per indicator id."), required=False, default=dict
    )
    # Counted from the assistance records: a value sent back is ignored.
    beneficiaries_served = serializers.IntegerField(read_only=True)
    satisfaction_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, required=False, allow_null=True
    )
    satisfaction_respondents = serializers.IntegerField(
        min_value=0, required=False, allow_null=True
    )


class ProjectViewSet(
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Projects of the user's stations. Each lifecycle step is its own POST action; a refused
    step answers 400 (a guard) or 403 (the wrong person) with a message saying why."""

    queryset = Project.objects.all()
    serializer_class = ProjectSerializer
    permission_classes = [permissions.IsAuthenticated, ViewModelPermissions]
    lookup_field = "code"
    filterset_class = filters.ProjectFilter
    search_fields = ["title", "summary", "target_group"]
    ordering_fields = ["created_at", "start_date", "title"]

    def get_queryset(self):
        return selectors.projects_for_staff(super().get_queryset())

    def _reload(self, project: Project) -> Project:
        return self.get_queryset().get(pk=project.pk)

    def perform_create(self, serializer):
        project = services.create_project(by=self.request.user, **serializer.validated_data)
        serializer.instance = self._reload(project)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        data.pop("station", None)
        budget_lines = data.pop("budget_lines", None)
        indicators = data.pop("indicators", None)
        if budget_lines is not None or indicators is not None:
            raise serializers.ValidationError(
                {"budget_lines": _("Add budget lines and indicators in the admin after creation.")},
                code=RULE,
            )
        project = services.update_project(project=serializer.instance, by=self.request.user, **data)
        serializer.instance = self._reload(project)

    def _transition(self, service):
        project = service(project=self.get_object(), by=self.request.user)
        return Response(self.get_serializer(self._reload(project)).data)

    @extend_schema(request=None, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, code=None):
        """design → review (the lead)."""
        return self._transition(services.submit_for_review)

    @extend_schema(request=None, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, code=None):
        """review → fundraising (a director)."""
        return self._transition(services.approve_project)

    @extend_schema(request=None, responses=ProjectSerializer)
    @action(detail=True, methods=["post"], url_path="return-to-design")
    def return_to_design(self, request, code=None):
        """review → design (a director)."""
        return self._transition(services.return_to_design)

    @extend_schema(request=None, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, code=None):
        """fundraising → active (the lead)."""
        return self._transition(services.start_project)

    @extend_schema(request=None, responses=ProjectSerializer)
    @action(detail=True, methods=["post"], url_path="reopen-fundraising")
    def reopen_fundraising(self, request, code=None):
        """active → fundraising (the lead); refused while disclosure is long overdue."""
        return self._transition(services.reopen_fundraising)

    @extend_schema(request=None, responses=ProjectSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, code=None):
        """active → closed (the lead); no activity may be left open."""
        return self._transition(services.close_project)

    @extend_schema(
        request=EvaluationInputSerializer,
        responses=inline_serializer(
            "EvaluationOutput",
            {
                "beneficiaries_served": serializers.IntegerField(),
                "narrative": serializers.CharField(),
            },
        ),
    )
    @action(detail=True, methods=["post"])
    def evaluation(self, request, code=None):
        """Record the evaluation of a closed project (the lead). Beneficiaries served is
        counted from the assistance records."""
        project = self.get_object()
        form = EvaluationInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        evaluation = services.record_evaluation(
            project=project,
            by=request.user,
            narrative=data["narrative"],
            results=data["results"],
            satisfaction_percent=data.get("satisfaction_percent"),
            satisfaction_respondents=data.get("satisfaction_respondents"),
        )
        return Response(
            {
                "beneficiaries_served": evaluation.beneficiaries_served,
                "narrative": evaluation.narrative,
            }
        )

    @extend_schema(request=None, responses=ProjectSerializer)
    @action(detail=True, methods=["post"], url_path="complete-evaluation")
    def complete_evaluation(self, request, code=None):
        """closed → evaluated (the lead); needs a recorded evaluation."""
        return self._transition(services.complete_evaluation)


# --- beneficiaries -----------------------------------------------------------------------------


class CategoryListField(serializers.ListField):
    child = serializers.ChoiceField(choices=BeneficiaryCategory.Category.choices)

    def to_representation(self, data):
        return [row.category for row in data.all()]


class BeneficiarySerializer(RejectUnknownFields, serializers.ModelSerializer):
    """Masked for everyone: ID number (first 6, last 4) and phone (first 3, last 4)."""

    station = ScopedSlugRelatedField(slug_field="code")
    id_number = serializers.CharField(
        write_only=True, max_length=18, validators=[RESIDENT_ID_FORMAT]
    )
    phone = serializers.CharField(write_only=True, max_length=32, required=False, allow_blank=True)
    phone_masked = serializers.CharField(read_only=True)
    age = serializers.SerializerMethodField()
    categories = CategoryListField(required=False)
    projects = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    project = OptionalScopedProjectField(write_only=True, required=False, allow_null=True)
    consent_recorded_by = StaffUserField(required=False)

    class Meta:
        model = Beneficiary
        fields = [
            "id",
            "station",
            "name",
            "gender",
            "age",
            "id_number",
            "id_number_masked",
            "phone",
            "phone_masked",
            "address",
            "household_registration",
            "categories",
            "projects",
            "project",
            "consent_date",
            "consent_method",
            "consent_recorded_by",
            "guardian_name",
            "guardian_relationship",
            "guardian_consent",
            "created_at",
        ]
        read_only_fields = ["gender", "id_number_masked", "created_at"]

    def get_age(self, obj) -> int:
        return obj.age_on(timezone.localdate())


class PersonalDataSerializer(serializers.Serializer):
    id_number = serializers.CharField()
    phone = serializers.CharField()


class BeneficiaryViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Beneficiaries of the user's stations, always masked here."""

    queryset = Beneficiary.objects.all()
    serializer_class = BeneficiarySerializer
    permission_classes = [permissions.IsAuthenticated, ViewModelPermissions]
    filterset_class = filters.BeneficiaryFilter
    search_fields = ["name"]
    ordering_fields = ["name", "created_at"]

    def get_queryset(self):
        return selectors.beneficiaries_for_staff(super().get_queryset())

    def perform_create(self, serializer):
        beneficiary = services.register_beneficiary(
            by=self.request.user, **serializer.validated_data
        )
        serializer.instance = self.get_queryset().get(pk=beneficiary.pk)

    @extend_schema(request=None, responses=PersonalDataSerializer)
    @action(detail=True, methods=["get"], url_path="personal-data")
    def personal_data(self, request, pk=None):
        """The full ID number and phone, for the station's director and the social workers of
        the person's projects; every call is logged. Others get 403."""
        full = services.reveal_personal_data(
            beneficiary=self.get_object(), by=request.user, action=BeneficiaryViewLog.Action.API
        )
        return Response(PersonalDataSerializer(full).data)


# --- assistance records and progress updates ---------------------------------------------------


class AssistanceRecordSerializer(RejectUnknownFields, serializers.ModelSerializer):
    project = ScopedProjectField()
    beneficiary = ScopedPrimaryKeyField(model=Beneficiary)
    amount = serializers.DecimalField(**POSITIVE, required=False, allow_null=True)
    staff = serializers.CharField(source="staff.get_username", read_only=True)

    class Meta:
        model = AssistanceRecord
        fields = ["id", "project", "beneficiary", "date", "kind", "amount", "description", "staff"]


class AssistanceRecordViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """What beneficiaries received from projects of the user's stations."""

    queryset = AssistanceRecord.objects.select_related("project", "staff")
    serializer_class = AssistanceRecordSerializer
    permission_classes = [permissions.IsAuthenticated, ViewModelPermissions]
    filterset_class = filters.AssistanceRecordFilter
    ordering_fields = ["date"]

    def perform_create(self, serializer):
        serializer.instance = services.record_assistance(
            by=self.request.user, **serializer.validated_data
        )


class ProgressPhotoSerializer(serializers.Serializer):
    url = serializers.CharField(source="image.url")
    caption = serializers.CharField()


class ProgressUpdateSerializer(RejectUnknownFields, serializers.ModelSerializer):
    project = ScopedProjectField()
    author = serializers.CharField(source="author.get_full_name", read_only=True)
    photos = ProgressPhotoSerializer(many=True, read_only=True)

    class Meta:
        model = ProgressUpdate
        fields = ["id", "project", "title", "body", "published_at", "author", "photos"]
        read_only_fields = ["published_at"]


class ProgressUpdateViewSet(
    ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Public progress updates of projects of the user's stations; photos are added in the
    admin."""

    queryset = ProgressUpdate.objects.select_related("project", "author").prefetch_related("photos")
    serializer_class = ProgressUpdateSerializer
    permission_classes = [permissions.IsAuthenticated, ViewModelPermissions]
    filterset_class = filters.ProgressUpdateFilter
    search_fields = ["title", "body"]
    ordering_fields = ["published_at"]

    def perform_create(self, serializer):
        serializer.instance = services.publish_progress_update(
            by=self.request.user, **serializer.validated_data
        )
