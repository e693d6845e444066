from django.urls import path

from . import views

app_name = "stations"

urlpatterns = [
    path("stations/<slug:code>/", views.station_detail, name="detail"),
]
