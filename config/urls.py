from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from config.views import healthz
from donations.api import (
    DonationPointViewSet,
    DonationViewSet,
    DonorViewSet,
    ReceiptViewSet,
)
from donations.goods_api import GoodsDonationViewSet, GoodsItemViewSet, GoodsMovementViewSet
from funds.api import (
    CampaignViewSet,
    DisbursementRequestViewSet,
    FundViewSet,
    HostCharityViewSet,
    LedgerEntryViewSet,
)
from projects.api import (
    AssistanceRecordViewSet,
    BeneficiaryViewSet,
    NeedsAssessmentViewSet,
    ProgressUpdateViewSet,
    ProjectViewSet,
)
from reports.api import ReportViewSet
from stations.api import StationViewSet
from stations.views import home
from volunteers import api as volunteers_api

router = DefaultRouter()
router.register("stations", StationViewSet, basename="station")
router.register("opportunities", volunteers_api.OpportunityViewSet, basename="opportunity")
router.register("shifts", volunteers_api.ShiftViewSet, basename="shift")
router.register("volunteers", volunteers_api.VolunteerViewSet, basename="volunteer")
router.register("signups", volunteers_api.SignupViewSet, basename="signup")
router.register("service-records", volunteers_api.ServiceRecordViewSet, basename="service-record")
router.register("needs-assessments", NeedsAssessmentViewSet, basename="needs-assessment")
router.register("projects", ProjectViewSet, basename="project")
router.register("beneficiaries", BeneficiaryViewSet, basename="beneficiary")
router.register("assistance-records", AssistanceRecordViewSet, basename="assistance-record")
router.register("progress-updates", ProgressUpdateViewSet, basename="progress-update")
router.register("hosts", HostCharityViewSet, basename="host")
router.register("funds", FundViewSet, basename="fund")
router.register("ledger-entries", LedgerEntryViewSet, basename="ledger-entry")
router.register("campaigns", CampaignViewSet, basename="campaign")
router.register(
    "disbursement-requests", DisbursementRequestViewSet, basename="disbursement-request"
)
router.register("reports", ReportViewSet, basename="report")
router.register("donation-points", DonationPointViewSet, basename="donation-point")
router.register("donations", DonationViewSet, basename="donation")
router.register("donors", DonorViewSet, basename="donor")
router.register("receipts", ReceiptViewSet, basename="receipt")
router.register("goods-donations", GoodsDonationViewSet, basename="goods-donation")
router.register("goods-lots", GoodsItemViewSet, basename="goods-lot")
router.register("goods-movements", GoodsMovementViewSet, basename="goods-movement")

# A database outage raised outside a view is a 503 page too (operations/middleware.py).
handler500 = "operations.views.server_error"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("stations.urls")),
    path("volunteer/", include("volunteers.urls")),
    path("", include("projects.urls")),
    path("", include("funds.urls")),
    path("", include("reports.urls")),
    path("", include("donations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]

handler404 = "core.api_errors.not_found"

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
