from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("disclosure/", views.disclosure, name="disclosure"),
    path("disclosure/<slug:code>.<str:fmt>", views.disclosure_file, name="disclosure_file"),
    path("reports/<slug:code>/download/<str:fmt>/", views.report_file, name="report_file"),
]
