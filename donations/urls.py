from django.urls import path, re_path

from . import views

app_name = "donations"

urlpatterns = [
    path("donate/", views.browse, name="browse"),
    path("donate/give/<slug:target>/", views.give_to_target, name="give"),
    path("donate/g/<slug:code>/", views.donation_page, name="donation"),
    path("donate/lookup/", views.lookup_start, name="lookup"),
    path("donate/lookup/code/", views.lookup_code, name="lookup_code"),
    path("donate/my/", views.my_gifts, name="my_gifts"),
    path("donate/my/statement/<int:year>/", views.annual_statement, name="statement"),
    path("d/<slug:code>/", views.point_page, name="point"),
    path("pay/<slug:provider>/notify/", views.payment_notification, name="notify"),
    path("pay/sandbox/<slug:code>/", views.sandbox_gateway, name="sandbox_gateway"),
    re_path(
        r"^r/(?P<number>[A-Z]{1,8}-\d{4}-\d{6})/(?P<check_code>[A-Z0-9]{4,16})/$",
        views.receipt_page,
        name="receipt",
    ),
    re_path(
        r"^r/(?P<number>[A-Z]{1,8}-\d{4}-\d{6})/(?P<check_code>[A-Z0-9]{4,16})/pdf/$",
        views.receipt_pdf,
        name="receipt_pdf",
    ),
]
