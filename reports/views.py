"""The public disclosure page: published disclosure reports by station and fund, with their
files. Aggregates only: no person's data is ever in a disclosure report."""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from stations.models import Station

from . import files
from .models import Report
from .selectors import published_disclosures, published_report


def disclosure(request):
    station = None
    code = request.GET.get("station")
    if code:
        station = Station.objects.filter(code=code, is_active=True).first()
        if station is None:
            raise Http404(_("There is no station with this code."))
    return render(
        request,
        "reports/disclosure.html",
        {"reports": list(published_disclosures(station=station)), "station": station},
    )


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
