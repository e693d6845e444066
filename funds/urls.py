from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("funds/<slug:code>/", views.fund_detail, name="detail"),
    path("funds/<slug:code>/ledger.csv", views.fund_ledger_csv, name="ledger_csv"),
    path("funds/<slug:code>/login/", views.FundLoginView.as_view(), name="login"),
    path("funds/<slug:code>/dashboard/", views.fund_dashboard, name="dashboard"),
    path("funds/<slug:code>/requests/<slug:request_code>/vote/", views.vote, name="vote"),
    path(
        "funds/<slug:code>/requests/<slug:request_code>/opinion/",
        views.opinion,
        name="opinion",
    ),
]
