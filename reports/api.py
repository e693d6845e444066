"""``/api/v1/reports/``: the reports a user may see; POST queues an ad-hoc report."""

from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from core.serializers import RejectUnknownFields
from funds.models import Fund, HostCharity
from projects.models import Project
from stations.api import ScopedSlugRelatedField
from stations.scoping import scope_queryset

from . import files, services
from .filters import ReportFilter
from .models import Report
from .registry import kind_choices
from .selectors import hosts_for, reports_for


@extend_schema_field(OpenApiTypes.STR)
class StationCodeField(ScopedSlugRelatedField):
    """A station by public code, among the user's stations."""


@extend_schema_field(OpenApiTypes.STR)
class ScopedFundField(serializers.SlugRelatedField):
    """A fund by public code, among the funds of the user's stations."""

    def get_queryset(self):
        request = self.context.get("request")
        return scope_queryset(Fund.objects.select_related("station"), request.user)


@extend_schema_field(OpenApiTypes.STR)
class ScopedProjectField(serializers.SlugRelatedField):
    """A project by public code, among the projects of the user's stations."""

    def get_queryset(self):
        request = self.context.get("request")
        return scope_queryset(Project.objects.select_related("station"), request.user)


@extend_schema_field(OpenApiTypes.STR)
class HostField(serializers.SlugRelatedField):
    """A host charity by unified social credit code, among the hosts whose funds the user
    sees all of."""

    def get_queryset(self):
        request = self.context.get("request")
        return HostCharity.objects.filter(pk__in=[host.pk for host in hosts_for(request.user)])


class ReportSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="kind_label", read_only=True)
    station = serializers.SlugRelatedField(slug_field="code", read_only=True)
    fund = serializers.SlugRelatedField(slug_field="code", read_only=True)
    project = serializers.SlugRelatedField(slug_field="code", read_only=True)
    host = serializers.SlugRelatedField(slug_field="credit_code", read_only=True)
    scope_name = serializers.CharField(read_only=True)
    period_display = serializers.CharField(source="period_label", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = Report
        fields = [
            "code",
            "kind",
            "kind_display",
            "station",
            "fund",
            "project",
            "host",
            "scope_name",
            "period_start",
            "period_end",
            "period_display",
            "version",
            "status",
            "status_display",
            "progress",
            "progress_step",
            "error",
            "scheduled",
            "created_at",
            "finished_at",
            "published_at",
            "correction_note",
            "files",
        ]
        read_only_fields = fields

    def get_files(self, report: Report) -> dict[str, str]:
        if report.status != Report.Status.DONE:
            return {}
        request = self.context["request"]
        return {
            fmt: request.build_absolute_uri(
                reverse("report-download", kwargs={"code": report.code, "fmt": fmt})
            )
            for fmt in Report.FORMATS
        }


class ReportRequestSerializer(RejectUnknownFields, serializers.Serializer):
    kind = serializers.ChoiceField(choices=[])
    station = StationCodeField(slug_field="code", required=False, allow_null=True)
    fund = ScopedFundField(slug_field="code", required=False, allow_null=True)
    project = ScopedProjectField(slug_field="code", required=False, allow_null=True)
    host = HostField(slug_field="credit_code", required=False, allow_null=True)
    period_start = serializers.DateField()
    period_end = serializers.DateField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("kind", OpenApiTypes.STR, enum=[key for key, _ in kind_choices()])
        ]
    )
)
class ReportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Reports at the user's stations, and those of the funds whose committee the user sits on
    (any other report answers 404). POST queues an ad-hoc report (202) for a station, fund,
    project or host the user may see; asking again for the same kind, scope and period returns
    the same report."""

    queryset = Report.objects.all()
    serializer_class = ReportSerializer
    permission_classes = [permissions.IsAuthenticated, permissions.DjangoModelPermissions]
    lookup_field = "code"
    filterset_class = ReportFilter
    ordering_fields = ["created_at", "period_start", "kind"]
    search_fields = ["station__name", "fund__name"]

    def get_queryset(self):
        return reports_for(self.request.user).order_by("-created_at", "-pk")

    def get_serializer_class(self):
        if self.action == "create":
            return ReportRequestSerializer
        return ReportSerializer

    @extend_schema(request=ReportRequestSerializer, responses={202: ReportSerializer})
    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = ReportRequestSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        report = services.request_report(by=request.user, **serializer.validated_data)
        output = ReportSerializer(report, context={"request": request})
        return Response(output.data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        parameters=[
            OpenApiParameter("fmt", OpenApiTypes.STR, OpenApiParameter.PATH, enum=Report.FORMATS)
        ],
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get"], url_path=r"download/(?P<fmt>pdf|xlsx|csv)")
    def download(self, request: Request, code: str, fmt: str) -> FileResponse:
        report = self.get_object()
        if report.status != Report.Status.DONE:
            raise Http404
        path = files.absolute(report.file_path(fmt))
        if not path.is_file():
            raise Http404
        return FileResponse(path.open("rb"), as_attachment=True, filename=report.download_name(fmt))
