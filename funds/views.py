"""Public fund pages (no personal data) and the committee dashboard with its vote forms."""

import csv

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import LoginView, redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stations.scoping import can_see_station

from . import dashboard as figures
from . import services
from .charts import monthly_bars
from .models import CommitteeMember, DisbursementRequest, Fund, LedgerEntry
from .selectors import committee_members


def _fund(code: str) -> Fund:
    try:
        return Fund.objects.select_related("station", "host").get(code=code)
    except Fund.DoesNotExist:
        raise Http404(_("There is no fund with this code.")) from None


def fund_detail(request, code: str):
    fund = _fund(code)
    today = timezone.localdate()
    members = [
        member
        for member in CommitteeMember.objects.filter(committee__fund=fund).order_by("role", "name")
        if member.serves_on(today)
    ]
    paid = (
        DisbursementRequest.objects.filter(fund=fund, status__in=figures.PAID)
        .select_related("project")
        .order_by("-paid_at")[:50]
    )
    return render(
        request,
        "funds/fund_detail.html",
        {
            "fund": fund,
            "members": members,
            "balances": figures.balances_and_restricted(fund)[0],
            "totals": figures.fund_totals(fund),
            "paid": paid,
            "campaigns": figures.fund_campaigns(fund, public_only=True),
        },
    )


class _Echo:
    def write(self, value: str) -> str:
        return value


def public_name(entry: dict) -> str:
    """A credit shows the donor only as they agreed (``public_name``), otherwise 爱心人士."""
    if entry["amount"] < 0:
        return entry["project__title"] or ""
    return entry["public_name"] or settings.FUNDS_ANONYMOUS_PUBLIC_NAME


def fund_ledger_csv(request, code: str):
    """The public ledger: date, kind, amount, project, campaign, name; never a memo of a gift."""
    fund = _fund(code)
    kinds = dict(LedgerEntry.Kind.choices)
    entries = (
        LedgerEntry.objects.filter(fund=fund)
        .order_by("posted_at", "pk")
        .values(
            "posted_at",
            "kind",
            "amount",
            "project__title",
            "campaign__title",
            "public_name",
            "memo",
        )  # fmt: skip
    )
    writer = csv.writer(_Echo())

    def rows():
        yield "\ufeff"  # so that Excel opens the Chinese text as UTF-8
        yield writer.writerow(
            [_("Date"), _("Kind"), _("Amount (yuan)"), _("Project"), _("Campaign"),
             _("Name"), _("Purpose")]
        )  # fmt: skip
        for entry in entries.iterator(chunk_size=2000):
            spending = entry["kind"] == LedgerEntry.Kind.DISBURSEMENT
            yield writer.writerow(
                [
                    timezone.localtime(entry["posted_at"]).date().isoformat(),
                    kinds.get(entry["kind"], entry["kind"]),
                    f"{entry['amount']:.2f}",
                    entry["project__title"] or "",
                    entry["campaign__title"] or "",
                    public_name(entry),
                    entry["memo"] if spending else "",
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{fund.code}-ledger.csv"'
    return response


class FundLoginView(LoginView):
    """Committee members sign in here; they need not be staff."""

    template_name = "funds/login.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "fund": _fund(self.kwargs["code"])}

    def get_default_redirect_url(self):
        return reverse("funds:dashboard", args=[self.kwargs["code"]])


def _dashboard_access(request, fund: Fund) -> list[CommitteeMember]:
    """The committee's seats if the user may see the dashboard; 404 for anyone else."""
    members = committee_members(fund)
    user = request.user
    if any(m.user_id == user.pk for m in members) or can_see_station(user, fund.station):
        return members
    raise Http404(_("There is no fund with this code."))


def fund_dashboard(request, code: str):
    fund = _fund(code)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path(), reverse("funds:login", args=[code]))
    members = _dashboard_access(request, fund)
    context = figures.dashboard(fund, user=request.user, members=members)
    context["fund"] = fund
    context["chart"] = monthly_bars(context["flows"])
    context["panels"] = dashboard_panels(fund, user=request.user)
    return render(request, "funds/dashboard.html", context)


def dashboard_panels(fund: Fund, *, user) -> list[dict]:
    """Sections other apps add to the committee dashboard (``settings.FUNDS_DASHBOARD_PANELS``,
    e.g. the reports app's list of the fund's reports). Each callable takes the fund and the
    user and returns ``{"template": ..., **context}`` or None. Imported lazily: those apps read
    this one, so this app must not import them."""
    panels = []
    for path in getattr(settings, "FUNDS_DASHBOARD_PANELS", ()):
        panel = import_string(path)(fund, user=user)
        if panel is not None:
            panels.append(panel)
    return panels


def _request_in(fund: Fund, request_code: str) -> DisbursementRequest:
    return get_object_or_404(DisbursementRequest, fund=fund, code=request_code)


def _explain(request, error: Exception) -> None:
    for message in getattr(error, "messages", None) or [str(error)]:
        messages.error(request, message)


def _committee_step(request, code: str, request_code: str, *, act, done):
    """A committee member's step on a request from the dashboard (a vote, an opinion): only
    for the fund's committee, refusals shown as messages, back to the dashboard."""
    fund = _fund(code)
    if not request.user.is_authenticated:
        raise Http404
    _dashboard_access(request, fund)
    disbursement = _request_in(fund, request_code)
    try:
        act(disbursement)
    except (ValidationError, PermissionDenied) as error:
        _explain(request, error)
    else:
        messages.success(request, done(disbursement))
    return redirect("funds:dashboard", code=fund.code)


@require_POST
def vote(request, code: str, request_code: str):
    return _committee_step(
        request,
        code,
        request_code,
        act=lambda disbursement: services.cast_vote(
            request=disbursement,
            by=request.user,
            choice=request.POST.get("choice", ""),
            comment=request.POST.get("comment", "")[:2000],
        ),
        done=lambda disbursement: (
            _("Your vote on %(project)s is recorded.") % {"project": disbursement.project.title}
        ),
    )


@require_POST
def opinion(request, code: str, request_code: str):
    return _committee_step(
        request,
        code,
        request_code,
        act=lambda disbursement: services.record_supervisor_opinion(
            request=disbursement, by=request.user, opinion=request.POST.get("opinion", "")[:2000]
        ),
        done=lambda disbursement: _("Your opinion is recorded in the minutes."),
    )
