"""Coordinators' pages outside the admin: the shift roster for checking volunteers in and out
on a phone, the ranking by hours, and exports. Everything goes through the station scope:
a shift or station outside it is a 404."""

import datetime
import logging
from functools import wraps

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from stations.scoping import visible_stations

from . import exports, selectors, services
from .models import Shift, Signup

logger = logging.getLogger(__name__)


def staff_permission_required(permission: str):
    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not request.user.has_perm(permission):
                raise PermissionDenied(_("Your role does not include this work."))
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _scoped_shift(request, code: str) -> Shift:
    shifts = selectors.staff_shifts(request.user, upcoming_only=False)
    return get_object_or_404(shifts, code=code)


def _station_param(request):
    """The station named by ``?station=<code>`` if the user may see it, else their first one."""
    stations = visible_stations(request.user).order_by("path")
    code = request.GET.get("station")
    if code:
        station = stations.filter(code=code).first()
        if station is None:
            raise Http404(_("No such station, or it is not in your stations."))
        return station
    return stations.first()


@staff_permission_required("volunteers.view_signup")
def shift_list(request):
    return render(
        request,
        "volunteers/staff/shift_list.html",
        {"shifts": list(selectors.staff_shifts(request.user)[:100])},
    )


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


@staff_permission_required("volunteers.view_signup")
def shift_roster(request, code: str):
    shift = _scoped_shift(request, code)
    check_in_url = request.build_absolute_uri(
        reverse(
            "volunteers:self-check-in", kwargs={"code": shift.code, "token": shift.check_in_code}
        )
    )
    return render(
        request,
        "volunteers/staff/shift_roster.html",
        {
            "shift": shift,
            "signups": list(selectors.shift_roster(shift)),
            # The SVG is produced by the qrcode library from our own URL, not from user input.
            "qr_svg": mark_safe(_qr_svg(check_in_url)),  # noqa: S308
            "check_in_url": check_in_url,
        },
    )


@require_POST
@staff_permission_required("volunteers.change_signup")
def signup_attendance(request, code: str, signup_id: int, action: str):
    shift = _scoped_shift(request, code)
    signup = get_object_or_404(Signup, pk=signup_id, shift=shift)
    try:
        if action == "check-in":
            services.check_in(signup=signup, by=request.user)
            messages.success(
                request, _("%(name)s checked in.") % {"name": signup.volunteer.real_name}
            )
        else:
            record = services.check_out(signup=signup, by=request.user)
            messages.success(
                request,
                _("%(name)s checked out: %(hours)s hours, waiting for verification.")
                % {"name": signup.volunteer.real_name, "hours": record.hours},
            )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("volunteers:staff-roster", code=shift.code)


def _date_param(request, name: str, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get(name, ""))
    except ValueError:
        return default


@staff_permission_required("volunteers.view_volunteer")
def ranking(request):
    station = _station_param(request)
    today = timezone.localdate()
    start = _date_param(request, "start", datetime.date(today.year, 1, 1))
    end = _date_param(request, "end", today)
    rows = (
        selectors.station_ranking(request.user, station=station, start=start, end=end)
        if station
        else []
    )
    for row in rows:
        row.stars = selectors.star_level(row.period_hours)
    return render(
        request,
        "volunteers/staff/ranking.html",
        {
            "station": station,
            "stations": visible_stations(request.user).order_by("path"),
            "start": start,
            "end": end,
            "rows": rows,
        },
    )


@staff_permission_required("volunteers.view_volunteer")
def export(request, kind: str, file_format: str):
    """Masked exports of a station's volunteers or service records, XLSX or CSV."""
    station = _station_param(request)
    if station is None:
        raise Http404(_("No such station, or it is not in your stations."))
    if kind == "volunteers":
        headers = exports.volunteer_headers()
        rows = exports.volunteer_rows(
            selectors.staff_volunteers(request.user, station=station).iterator(chunk_size=500)
        )
        title = pgettext("volunteer export", "Volunteer roster")
    else:
        headers = exports.record_headers()
        rows = exports.record_rows(
            selectors.staff_records(request.user, station=station).iterator(chunk_size=500)
        )
        title = pgettext("volunteer export", "Service records")
    logger.info(
        "volunteers export %s.%s of station %s by %s",
        kind,
        file_format,
        station.pk,
        request.user.pk,
    )
    if file_format == "xlsx":
        content = exports.to_xlsx(title, headers, rows)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        content = exports.to_csv(headers, rows)
        content_type = "text/csv; charset=utf-8"
    response = HttpResponse(content, content_type=content_type)
    filename = f"{kind}-{station.code}-{timezone.localdate():%Y%m%d}.{file_format}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
