from django.urls import path, re_path

from . import staff_views, views

app_name = "volunteers"

urlpatterns = [
    path("", views.opportunity_list, name="list"),
    path("join/", views.join, name="join"),
    path("join/done/", views.join_done, name="join-done"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("me/", views.my_page, name="me"),
    path("me/report-hours/", views.report_hours, name="report-hours"),
    path("me/certificate/", views.certificate_download, name="certificate-download"),
    path("opportunities/<slug:code>/", views.opportunity_detail, name="opportunity"),
    path("shifts/<slug:code>/sign-up/", views.shift_sign_up, name="sign-up"),
    path("shifts/<slug:code>/cancel/", views.shift_cancel, name="cancel"),
    path(
        "shifts/<slug:code>/check-in/<str:token>/",
        views.shift_self_check_in,
        name="self-check-in",
    ),
    path(
        "certificates/<str:number>/<str:check_code>/",
        views.certificate_verify,
        name="certificate-verify",
    ),
    path("staff/", staff_views.shift_list, name="staff-shifts"),
    path("staff/shifts/<slug:code>/", staff_views.shift_roster, name="staff-roster"),
    re_path(
        r"^staff/shifts/(?P<code>[-\w]+)/(?P<signup_id>\d+)/(?P<action>check-in|check-out)/$",
        staff_views.signup_attendance,
        name="staff-attendance",
    ),
    path("staff/ranking/", staff_views.ranking, name="staff-ranking"),
    re_path(
        r"^staff/export/(?P<kind>volunteers|records)\.(?P<file_format>xlsx|csv)$",
        staff_views.export,
        name="staff-export",
    ),
]
