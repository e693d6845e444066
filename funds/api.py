"""The funds API: hosts, funds, the read-only ledger, campaigns and disbursement requests.

Serializers validate and shape; every write goes through ``funds.services``.
"""

from django.core.validators import RegexValidator
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.validators import UniqueValidator

from core.parsers import MultiPartParser
from core.serializers import RejectUnknownFields
from core.validators import (
    CREDIT_CODE_FORMAT,
    PHONE_FORMAT,
    validate_credit_code,
    validate_mainland_phone,
)
from projects.models import BudgetLine, Project
from stations.api import ScopedViewSetMixin
from stations.scoping import scope_queryset

from . import services
from .filters import (
    CampaignFilter,
    DisbursementRequestFilter,
    FundFilter,
    HostCharityFilter,
    LedgerEntryFilter,
)
from .models import (
    Campaign,
    CampaignShare,
    DisbursementRequest,
    Fund,
    HostCharity,
    LedgerEntry,
    Vote,
)
from .money import MONEY
from .selectors import campaigns_with_raised, funds_for_requests, requests_visible_to


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django's model permissions, reading included (DRF asks nothing of GET by default)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


class ScopedCodeField(serializers.SlugRelatedField):
    """A reference by public code to a row the requesting user may see."""

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("slug_field", "code")
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        return scope_queryset(self.model.objects.all(), request.user if request else None)


# --- Hosts and funds ------------------------------------------------------------------------


class HostCharitySerializer(RejectUnknownFields, serializers.ModelSerializer):
    class Meta:
        model = HostCharity
        fields = [
            "id", "name", "credit_code", "kind", "has_public_fundraising_qualification",
            "receipt_prefix", "contact_name", "contact_phone", "address",
        ]  # fmt: skip
        # The formats as patterns, so the schema states them (the model's validators stay).
        extra_kwargs = {
            "credit_code": {
                "validators": [
                    CREDIT_CODE_FORMAT,
                    validate_credit_code,
                    UniqueValidator(queryset=HostCharity.objects.all()),
                ]
            },
            "contact_phone": {"validators": [PHONE_FORMAT, validate_mainland_phone]},
        }


class HostCharityViewSet(
    mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet
):
    """Host charities: any staff member reads them; directors with the permission edit."""

    queryset = HostCharity.objects.order_by("name")
    serializer_class = HostCharitySerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    filterset_class = HostCharityFilter
    search_fields = ["name", "credit_code"]


class FundSerializer(serializers.ModelSerializer):
    station = serializers.SlugRelatedField(slug_field="code", read_only=True)
    host = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Fund
        fields = [
            "code", "name", "station", "host", "purpose", "founded_on", "agreement_start",
            "agreement_end", "status", "receipt_series_prefix", "min_voting_members",
            "require_odd_voting_members", "require_supervisor", "quorum_numerator",
            "quorum_denominator", "small_amount_limit",
        ]  # fmt: skip
        read_only_fields = fields


class FundViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Funds at the user's stations. Funds are set up in the admin."""

    queryset = Fund.objects.select_related("station", "host").order_by("name")
    serializer_class = FundSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    lookup_field = "code"
    filterset_class = FundFilter
    search_fields = ["name"]


# --- Ledger ---------------------------------------------------------------------------------


class LedgerEntrySerializer(serializers.ModelSerializer):
    fund = serializers.SlugRelatedField(slug_field="code", read_only=True)
    project = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    campaign = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = LedgerEntry
        fields = [
            "id", "fund", "amount", "kind", "project", "campaign", "source_type", "source_id",
            "source_part", "public_name", "memo", "posted_at", "reverses",
        ]  # fmt: skip
        read_only_fields = fields


class LedgerEntryViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The append-only ledger, read-only: entries are posted by services."""

    queryset = LedgerEntry.objects.select_related("fund", "project", "campaign").order_by(
        "-posted_at", "-pk"
    )
    serializer_class = LedgerEntrySerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    filterset_class = LedgerEntryFilter
    ordering_fields = ["posted_at", "amount"]


# --- Campaigns ------------------------------------------------------------------------------


class CampaignShareSerializer(RejectUnknownFields, serializers.ModelSerializer):
    fund = ScopedCodeField(Fund)
    project = ScopedCodeField(Project, required=False, allow_null=True)

    class Meta:
        model = CampaignShare
        fields = ["fund", "project", "percent"]


class CampaignSerializer(RejectUnknownFields, serializers.ModelSerializer):
    lead_fund = ScopedCodeField(Fund)
    host = serializers.PrimaryKeyRelatedField(queryset=HostCharity.objects.all())
    shares = CampaignShareSerializer(many=True, required=False)
    raised = serializers.DecimalField(**MONEY, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "code", "title", "description", "host", "lead_fund", "goal", "starts_on",
            "ends_on", "filing_number", "status", "shares", "raised",
        ]  # fmt: skip
        read_only_fields = ["status", "raised"]
        extra_kwargs = {"code": {"required": False, "validators": []}}


class PublishSerializer(RejectUnknownFields, serializers.Serializer):
    filing_number = serializers.CharField(required=False, max_length=64)


class CampaignViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Campaigns with raised vs goal. Created as drafts; ``publish`` needs the filing number."""

    queryset = campaigns_with_raised(Campaign.objects.order_by("-starts_on")).prefetch_related(
        Prefetch("shares", CampaignShare.objects.select_related("fund", "project"))
    )
    serializer_class = CampaignSerializer
    permission_classes = [permissions.IsAuthenticated, ModelPermissions]
    lookup_field = "code"
    filterset_class = CampaignFilter
    search_fields = ["title", "filing_number"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        shares = [services.Share(**share) for share in data.pop("shares", [])]
        campaign = services.create_campaign(shares=shares or None, by=self.request.user, **data)
        serializer.instance = self.get_queryset().get(pk=campaign.pk)

    @extend_schema(request=PublishSerializer, responses=CampaignSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, code=None):
        campaign = self.get_object()
        if not request.user.has_perm("funds.change_campaign"):
            self.permission_denied(request)
        form = PublishSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.publish_campaign(campaign=campaign, by=request.user, **form.validated_data)
        return Response(self.get_serializer(self.get_queryset().get(pk=campaign.pk)).data)


# --- Disbursement requests ------------------------------------------------------------------


class VoteSerializer(serializers.ModelSerializer):
    member = serializers.CharField(source="member.name", read_only=True)
    role = serializers.CharField(source="member.role", read_only=True)

    class Meta:
        model = Vote
        fields = ["member", "role", "choice", "comment", "cast_at"]
        read_only_fields = fields


class FundForRequestField(serializers.SlugRelatedField):
    def get_queryset(self):
        request = self.context.get("request")
        return funds_for_requests(request.user if request else None)


class DisbursementRequestSerializer(RejectUnknownFields, serializers.ModelSerializer):
    fund = FundForRequestField(slug_field="code")
    project = ScopedCodeField(Project)
    budget_line = serializers.PrimaryKeyRelatedField(
        queryset=BudgetLine.objects.all(), required=False, allow_null=True
    )
    amount = serializers.CharField(
        help_text="Yuan, more than 0, at most two decimals.",
        validators=[
            RegexValidator(
                r"^[0-9]{1,12}(?:\.[0-9]{1,2})?$",
                _("Enter an amount in yuan, such as 100 or 12.50."),
            )
        ],
    )
    votes = VoteSerializer(many=True, read_only=True)
    requested_by = serializers.CharField(source="requested_by.get_username", read_only=True)

    class Meta:
        model = DisbursementRequest
        fields = [
            "code", "fund", "project", "budget_line", "amount", "purpose", "payee",
            "is_administrative", "quote_file", "invoice_file", "status", "requested_by",
            "submitted_at", "decided_at", "decided_by_chair_alone", "minutes",
            "supervisor_opinion", "host_review_note", "paid_at", "reconciled_at", "votes",
        ]  # fmt: skip
        # Quotes and invoices are files: the quote is attached in the admin, the invoice
        # through ``reconcile`` (multipart); the request itself is JSON.
        read_only_fields = [
            "code", "quote_file", "invoice_file", "status", "submitted_at", "decided_at",
            "decided_by_chair_alone", "minutes", "supervisor_opinion", "host_review_note",
            "paid_at", "reconciled_at",
        ]  # fmt: skip

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        if request is not None:
            fields["budget_line"].queryset = scope_queryset(BudgetLine.objects.all(), request.user)
        return fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["amount"] = f"{instance.amount:.2f}"
        return data


class VoteInputSerializer(RejectUnknownFields, serializers.Serializer):
    choice = serializers.ChoiceField(choices=Vote.Choice.choices)
    comment = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReviewInputSerializer(RejectUnknownFields, serializers.Serializer):
    approve = serializers.BooleanField()
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ReconcileInputSerializer(RejectUnknownFields, serializers.Serializer):
    invoice_file = serializers.FileField()


class DisbursementRequestViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Requests at the user's stations and of the committees they sit on, with their votes.

    Actions call the services: ``submit`` (the requester), ``vote`` (committee members),
    ``review`` (the host's reviewer), ``pay`` and ``reconcile`` (a finance officer).
    """

    serializer_class = DisbursementRequestSerializer
    lookup_field = "code"
    filterset_class = DisbursementRequestFilter
    search_fields = ["purpose", "payee", "project__title"]
    ordering_fields = ["created_at", "amount"]

    def get_queryset(self):
        return (
            requests_visible_to(self.request.user)
            .select_related("fund", "project", "requested_by", "budget_line")
            .prefetch_related(Prefetch("votes", Vote.objects.select_related("member")))
            .order_by("-created_at", "-pk")
        )

    def perform_create(self, serializer):
        serializer.instance = services.request_disbursement(
            by=self.request.user, **serializer.validated_data
        )

    def _respond(self, instance):
        instance = self.get_queryset().get(pk=instance.pk)
        return Response(self.get_serializer(instance).data, status=status.HTTP_200_OK)

    @extend_schema(request=None, responses=DisbursementRequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, code=None):
        return self._respond(
            services.submit_disbursement(request=self.get_object(), by=request.user)
        )

    @extend_schema(request=VoteInputSerializer, responses=DisbursementRequestSerializer)
    @action(detail=True, methods=["post"])
    def vote(self, request, code=None):
        disbursement = self.get_object()
        form = VoteInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        services.cast_vote(request=disbursement, by=request.user, **form.validated_data)
        return self._respond(disbursement)

    @extend_schema(request=ReviewInputSerializer, responses=DisbursementRequestSerializer)
    @action(detail=True, methods=["post"])
    def review(self, request, code=None):
        disbursement = self.get_object()  # outside the user's scope: 404 whatever the body
        form = ReviewInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._respond(
            services.review_disbursement(
                request=disbursement, by=request.user, **form.validated_data
            )
        )

    @extend_schema(request=None, responses=DisbursementRequestSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, code=None):
        disbursement = self.get_object()
        services.pay_disbursement(request=disbursement, by=request.user)
        return self._respond(disbursement)

    @extend_schema(request=ReconcileInputSerializer, responses=DisbursementRequestSerializer)
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def reconcile(self, request, code=None):
        disbursement = self.get_object()  # outside the user's scope: 404 whatever the body
        form = ReconcileInputSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        return self._respond(
            services.reconcile_disbursement(
                request=disbursement, by=request.user, **form.validated_data
            )
        )
