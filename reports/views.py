"""The public disclosure page: published disclosure reports by station, then fund, project
or host charity, with their files. Aggregates only: no person's data is ever in a disclosure
report. And the signed-in download of a report the user may see (committee members included).
"""

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from funds.models import Fund
from projects.models import Project
from stations.models import Station

from . import files
from .models import Report
from .selectors import fund_reports, published_disclosures, published_report, report_for

COMMITTEE_PANEL_LIMIT = 24


def _by_code(request, model, parameter: str, message: str, **filters):
    code = request.GET.get(parameter)
    if not code:
        return None
    found = model.objects.filter(code=code, **filters).first()
    if found is None:
        raise Http404(message)
    return found


def disclosure(request):
    station = _by_code(
        request, Station, "station", _("There is no station with this code."), is_active=True
    )
    fund = _by_code(request, Fund, "fund", _("There is no fund with this code."))
    project = _by_code(request, Project, "project", _("There is no project with this code."))
    reports = list(published_disclosures(station=station, fund=fund, project=project))
    return render(
        request,
        "reports/disclosure.html",
        {"reports": reports, "station": station, "subject": fund or project},
    )


def report_file(request, code: str, fmt: str):
    """A finished report's file for a signed-in user who may see it: staff of its stations, or
    a member of its fund's committee. Anyone else gets 404, never a hint that it exists."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        report = report_for(request.user, code=code)
    except Report.DoesNotExist:
        raise Http404(_("No such record, or it is not in your stations.")) from None
    if fmt not in Report.FORMATS or report.status != Report.Status.DONE:
        raise Http404
    path = files.absolute(report.file_path(fmt))
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=report.download_name(fmt))


def disclosure_file(request, code: str, fmt: str):
    try:
        report = published_report(code)
    except Report.DoesNotExist:
        raise Http404(_("There is no published report with this code.")) from None
    if fmt not in Report.FORMATS:
        raise Http404
    path = files.absolute(report.file_path(fmt))
    if not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=fmt != "pdf", filename=report.download_name(fmt)
    )


def committee_reports_panel(fund: Fund, *, user) -> dict:
    """The fund's finished reports on its committee dashboard (funds.views.dashboard_panels):
    the dashboard has already checked that ``user`` may see this fund. One query."""
    return {
        "template": "reports/committee_reports.html",
        "reports": list(fund_reports(fund)[:COMMITTEE_PANEL_LIMIT]),
    }
