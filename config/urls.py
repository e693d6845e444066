from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from donations.api import (
    DonationPointViewSet,
    DonationViewSet,
    DonorViewSet,
    ReceiptViewSet,
)
from stations.api import StationViewSet
from stations.views import home

router = DefaultRouter()
router.register("stations", StationViewSet, basename="station")
router.register("donation-points", DonationPointViewSet, basename="donation-point")
router.register("donations", DonationViewSet, basename="donation")
router.register("donors", DonorViewSet, basename="donor")
router.register("receipts", ReceiptViewSet, basename="receipt")

urlpatterns = [
    path("", home, name="home"),
    path("", include("stations.urls")),
    path("", include("donations.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
