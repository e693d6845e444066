"""The donations API: public donation points and a public create with an ``Idempotency-Key``;
donations, donors and receipts for staff, scoped to their stations."""

import hashlib
import json
import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.response import Response

from core.api_errors import RULE, RuleViolation
from core.serializers import RejectUnknownFields
from core.site import absolute_url
from funds.models import Campaign, Fund
from projects.models import Project
from stations.api import ScopedViewSetMixin
from stations.scoping import visible_stations

from . import idempotency, selectors, services
from .filters import DonationFilter
from .models import Donation, DonationPoint, Donor, IdempotencyKey, Receipt
from .payments import enabled_providers, get_provider
from .ratelimits import over_limit
from .targets import resolve_target

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9_.:-]{8,100}$")
TARGET_RE = r"^[fcp]-[A-Za-z0-9][A-Za-z0-9-]{0,31}$"
AMOUNT_RE = r"^[0-9]{1,9}(\.[0-9]{1,2})?$"


class ViewModelPermissions(permissions.DjangoModelPermissions):
    """Reading needs the model's view permission too (role groups grant it)."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }


# --- donation points (public) ----------------------------------------------------------------


class PointFundSerializer(serializers.ModelSerializer):
    target = serializers.SerializerMethodField()

    class Meta:
        model = Fund
        fields = ["code", "name", "target"]

    def get_target(self, obj) -> str:
        return f"f-{obj.code}"


class PointCampaignSerializer(serializers.ModelSerializer):
    target = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["code", "title", "filing_number", "target"]

    def get_target(self, obj) -> str:
        return f"c-{obj.code}"


class PointProjectSerializer(serializers.ModelSerializer):
    target = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = ["code", "title", "target"]

    def get_target(self, obj) -> str:
        return f"p-{obj.code}"


class DonationPointSerializer(serializers.ModelSerializer):
    station = serializers.CharField(source="station.name", read_only=True)
    url = serializers.SerializerMethodField()
    funds = PointFundSerializer(many=True, read_only=True)
    campaigns = PointCampaignSerializer(many=True, read_only=True)
    projects = PointProjectSerializer(many=True, read_only=True)

    class Meta:
        model = DonationPoint
        fields = [
            "code",
            "name",
            "station",
            "place",
            "opening_hours",
            "url",
            "funds",
            "campaigns",
            "projects",
        ]

    def get_url(self, obj) -> str:
        return absolute_url(obj.get_absolute_url())


class DonationPointViewSet(viewsets.ReadOnlyModelViewSet):
    """Active donation points and what each collects for. Public, read only."""

    serializer_class = DonationPointSerializer
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"
    lookup_value_regex = r"[a-z0-9][a-z0-9-]*"
    filterset_fields: list[str] = []
    search_fields = ["name", "place", "station__name"]
    ordering_fields = ["name"]

    def get_queryset(self):
        return selectors.public_points().prefetch_related(
            Prefetch("funds", queryset=Fund.objects.filter(status=Fund.Status.ACTIVE)),
            Prefetch("campaigns", queryset=Campaign.objects.filter(status=Campaign.Status.PUBLIC)),
            Prefetch(
                "projects",
                queryset=Project.objects.filter(
                    status__in=[Project.Status.FUNDRAISING, Project.Status.ACTIVE]
                ),
            ),
        )


# --- donations -------------------------------------------------------------------------------


class DonationCreateSerializer(RejectUnknownFields, serializers.Serializer):
    """A gift as the API takes it. What the schema can state is checked here (400); the
    rules of giving (an open target collected at the point, the online limits, a mobile
    number) are the service's, answered 422."""

    target = serializers.RegexField(
        TARGET_RE,
        max_length=70,
        trim_whitespace=False,  # the pattern is the whole contract
        help_text="f-<fund code>, c-<campaign code> or p-<project code>",
        error_messages={"invalid": gettext_lazy("Choose what you want to give to.")},
    )
    point = serializers.SlugField(max_length=32, required=False, allow_blank=True)
    amount = serializers.RegexField(
        AMOUNT_RE,
        max_length=20,
        trim_whitespace=False,
        help_text="Yuan, such as 100 or 12.50",
        error_messages={"invalid": gettext_lazy("Enter an amount in yuan, such as 100 or 12.50.")},
    )
    donor_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    is_anonymous = serializers.BooleanField(required=False, default=False)
    mobile = serializers.CharField(max_length=20, required=False, allow_blank=True)
    message = serializers.CharField(max_length=200, required=False, allow_blank=True)
    receipt_wanted = serializers.BooleanField(required=False, default=True)
    provider = serializers.ChoiceField(choices=["sandbox", "offline"])

    def validate_provider(self, value):
        if value not in {p.name for p in enabled_providers()}:
            raise serializers.ValidationError(_("This payment method is not offered."), code=RULE)
        return value


class ReceiptBriefSerializer(serializers.ModelSerializer):
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Receipt
        fields = ["number", "status", "verify_url"]

    def get_verify_url(self, obj) -> str:
        return absolute_url(obj.get_absolute_url())


class PublicDonationSerializer(serializers.Serializer):
    """What the donor (and only the donor, who holds the code) gets back. A plain serializer:
    it is built on every public gift, and a model serializer would rebuild its fields from the
    model each time."""

    code = serializers.CharField(read_only=True)
    reference = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=Donation.Status.choices, read_only=True)
    amount = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    purpose = serializers.CharField(read_only=True)
    public_name = serializers.CharField(read_only=True)
    provider = serializers.CharField(read_only=True)
    page_url = serializers.SerializerMethodField()
    payment_url = serializers.SerializerMethodField()

    def get_page_url(self, obj) -> str:
        return absolute_url(obj.get_absolute_url())

    def get_payment_url(self, obj) -> str | None:
        start = get_provider(obj.provider).start(donation=obj, request=self.context.get("request"))
        return absolute_url(start.redirect_url) if start.redirect_url else None


class DonationSerializer(serializers.ModelSerializer):
    """Staff view of a donation; phones are masked."""

    fund = serializers.SlugRelatedField(slug_field="code", read_only=True)
    campaign = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    project = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    point = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    # Blank until the donation is confirmed: the schema says "" is a possible value.
    channel = serializers.ChoiceField(
        choices=Donation.Channel.choices, allow_blank=True, read_only=True
    )
    mobile = serializers.CharField(source="masked_mobile", read_only=True)
    public_name = serializers.CharField(read_only=True)
    receipts = ReceiptBriefSerializer(many=True, read_only=True)

    class Meta:
        model = Donation
        fields = [
            "code",
            "reference",
            "status",
            "amount",
            "channel",
            "provider",
            "fund",
            "campaign",
            "project",
            "point",
            "donor_name",
            "is_anonymous",
            "public_name",
            "mobile",
            "message",
            "receipt_wanted",
            "payment_reference",
            "flag_reason",
            "created_at",
            "confirmed_at",
            "receipts",
        ]
        read_only_fields = fields


def _error(code: str, message: str, http_status: int) -> Response:
    return Response({"error": {"code": code, "message": message, "fields": {}}}, status=http_status)


def _key_in_use() -> Response:
    return _error(
        "idempotency_key_in_use",
        _("A request with this Idempotency-Key is still running; retry in a moment."),
        status.HTTP_409_CONFLICT,
    )


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(f"{request.path}\n{body}".encode()).hexdigest()


class DonationViewSet(ScopedViewSetMixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Donations at the user's stations (staff). Anyone may create one (POST) with an
    ``Idempotency-Key`` header: the same key returns the first answer."""

    queryset = Donation.objects.select_related(
        "fund", "campaign", "project", "point"
    ).prefetch_related("receipts")
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9_-]+"
    filterset_class = DonationFilter
    search_fields = ["donor_name", "mobile", "reference", "receipts__number"]
    ordering_fields = ["created_at", "amount", "confirmed_at"]

    def get_permissions(self):
        if self.action == "create":
            return [permissions.AllowAny()]
        return [permissions.IsAuthenticated(), ViewModelPermissions()]

    def get_serializer_class(self):
        if self.action == "create":
            return DonationCreateSerializer
        return DonationSerializer

    @extend_schema(
        request=DonationCreateSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description="A unique key per donation attempt (8–100 characters). Sending "
                "the same key again returns the first answer.",
            )
        ],
        responses={
            201: PublicDonationSerializer,
            400: OpenApiResponse(description="Invalid data or missing Idempotency-Key"),
            409: OpenApiResponse(description="A request with this key is still running"),
            429: OpenApiResponse(description="Too many requests from this address"),
        },
    )
    def create(self, request, *args, **kwargs):
        key = request.headers.get(IDEMPOTENCY_HEADER, "")
        if not IDEMPOTENCY_KEY_RE.match(key):
            return _error(
                "idempotency_key_required",
                _("Send an Idempotency-Key header of 8 to 100 letters, digits or -_.:"),
                status.HTTP_400_BAD_REQUEST,
            )
        if over_limit(request, group="api"):
            raise exceptions.Throttled()
        fingerprint = _fingerprint(request)
        try:
            # The donation and the key with its answer are saved in one commit (see
            # donations.idempotency): a key whose answer is already stored rolls this back.
            with transaction.atomic():
                body = self._create_donation(request)
                idempotency.store(
                    key=key,
                    fingerprint=fingerprint,
                    status=status.HTTP_201_CREATED,
                    body=body["data"],
                    donation=body["donation"],
                )
        except (IntegrityError, exceptions.ValidationError, DjangoValidationError) as error:
            # A retry of a request that succeeded gets the first answer, even when the same
            # body would be refused now (the fund closed in between, say).
            answer = self._stored_answer(key, fingerprint)
            if answer is not None:
                return answer
            if not isinstance(error, IntegrityError):
                raise
            return _key_in_use()  # a clash on another unique value: a retry succeeds
        return Response(body["data"], status=status.HTTP_201_CREATED)

    @staticmethod
    def _stored_answer(key: str, fingerprint: str) -> Response | None:
        record = idempotency.stored(key)
        if record is None:
            return None
        if record.fingerprint != fingerprint:
            return _error(
                "idempotency_key_reused",
                _("This Idempotency-Key was already used with a different request."),
                status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        if record.state == IdempotencyKey.State.RUNNING:
            return _key_in_use()
        return Response(record.response_body, status=record.response_status)

    def _create_donation(self, request) -> dict:
        serializer = DonationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        point = None
        if data.get("point"):
            try:
                point = selectors.point_for_giving(data["point"])
            except DonationPoint.DoesNotExist:
                raise RuleViolation(
                    {"point": [_("There is no donation point with this code, or it is closed.")]}
                ) from None
        # The service's refusals (a closed target, the online limits...) are answered 422.
        target = resolve_target(data["target"], point=point)
        donation, _created = services.create_donation(
            target=target,
            amount=data["amount"],
            provider=data["provider"],
            point=point,
            donor_name=data.get("donor_name", ""),
            is_anonymous=data["is_anonymous"],
            mobile=data.get("mobile", ""),
            message=data.get("message", ""),
            receipt_wanted=data["receipt_wanted"],
        )
        output = PublicDonationSerializer(donation, context={"request": request}).data
        return {"data": dict(output), "donation": donation}


# --- donors and receipts (staff) -------------------------------------------------------------


class DonorSerializer(serializers.ModelSerializer):
    mobile = serializers.CharField(source="masked_mobile", read_only=True)
    total_given = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    gift_count = serializers.IntegerField(read_only=True)
    last_gift_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Donor
        fields = ["id", "name", "mobile", "total_given", "gift_count", "last_gift_at"]
        read_only_fields = fields


class DonorViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Donors who gave at the user's stations, with the total of those gifts; phones masked."""

    queryset = Donor.objects.all()
    serializer_class = DonorSerializer
    permission_classes = [permissions.IsAuthenticated, ViewModelPermissions]
    search_fields = ["name", "mobile"]
    ordering_fields = ["total_given", "last_gift_at", "name"]

    def get_queryset(self):
        return selectors.with_donor_totals(
            super().get_queryset(), stations=visible_stations(self.request.user)
        ).order_by("-last_gift_at", "pk")


class ReceiptSerializer(serializers.ModelSerializer):
    host = serializers.CharField(source="host.name", read_only=True)
    donation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    verify_url = serializers.SerializerMethodField()

    class Meta:
        model = Receipt
        fields = [
            "number",
            "status",
            "issued_at",
            "payer_name",
            "purpose",
            "amount",
            "host",
            "handler",
            "donation",
            "void_reason",
            "verify_url",
        ]
        read_only_fields = fields

    def get_verify_url(self, obj) -> str:
        return absolute_url(obj.get_absolute_url())


class ReceiptViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Receipts of donations at the user's stations."""

    queryset = Receipt.objects.select_related("host", "donation")
    serializer_class = ReceiptSerializer
    permission_classes = [permissions.IsAuthenticated, ViewModelPermissions]
    lookup_field = "number"
    lookup_value_regex = r"[A-Z]{1,8}-\d{4}-\d{6}"
    filterset_fields = ["status", "year", "series"]
    search_fields = ["number", "payer_name"]
    ordering_fields = ["issued_at", "number"]
