"""Public pages and the volunteer's own pages. No personal data of anyone else, ever."""

import datetime
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.security import over_rate_limit

from . import selectors, services
from .certificate_pdf import render_certificate_pdf
from .forms import CertificateForm, JoinForm, LoginForm, OpportunityFilterForm, ReportHoursForm
from .models import Opportunity, Shift, Volunteer


def _rate_limited(request) -> bool:
    """Not counted (a logged warning) while the cache is down: joining and signing in go on."""
    return over_rate_limit(
        request, group="volunteers-public-post", rate=settings.VOLUNTEERS_PUBLIC_POST_RATE
    )


def _add_service_errors(form, error: ValidationError) -> None:
    """Show a service's refusal on the form: field errors on their fields, the rest on top."""
    if hasattr(error, "error_dict"):
        for field_name, field_errors in error.message_dict.items():
            # The model names consent times (guardian_consent_at); the form has ticks.
            field_name = field_name.removesuffix("_at")
            form.add_error(field_name if field_name in form.fields else None, field_errors)
    else:
        form.add_error(None, error.messages)


def current_volunteer(request) -> Volunteer | None:
    if not request.user.is_authenticated:
        return None
    return Volunteer.objects.select_related("home_station").filter(user=request.user).first()


def volunteer_required(view):
    """The signed-in volunteer is passed to the view; others go to the sign-in page first."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        volunteer = current_volunteer(request)
        if volunteer is None:
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('volunteers:login')}?{query}")
        return view(request, volunteer, *args, **kwargs)

    return wrapper


# --- Open opportunities -------------------------------------------------------------------------


def opportunity_list(request):
    form = OpportunityFilterForm(request.GET or None)
    station = day = None
    if form.is_bound and form.is_valid():
        station, day = form.cleaned_data["station"], form.cleaned_data["day"]
    shifts = list(selectors.open_shifts(station=station, day=day)[:200])
    # Group the shifts under their opportunity, keeping the soonest first.
    grouped: dict[int, dict] = {}
    for shift in shifts:
        shift.places_left = max(shift.capacity - shift.taken, 0)
        entry = grouped.setdefault(
            shift.opportunity_id, {"opportunity": shift.opportunity, "shifts": []}
        )
        entry["shifts"].append(shift)
    return render(
        request,
        "volunteers/opportunity_list.html",
        {"form": form, "opportunities": list(grouped.values())},
    )


def opportunity_detail(request, code: str):
    try:
        opportunity = selectors.public_opportunity(code)
    except Opportunity.DoesNotExist:
        raise Http404(_("There is no open volunteer opportunity with this code.")) from None
    volunteer = current_volunteer(request)
    shifts = list(selectors.shifts_of(opportunity).filter(ends_at__gt=timezone.now()))
    mine = {}
    if volunteer is not None:
        mine = {
            signup.shift_id: signup
            for signup in volunteer.signups.filter(shift__in=shifts).exclude(status="cancelled")
        }
    for shift in shifts:
        shift.my_signup = mine.get(shift.pk)
        shift.places_left = max(shift.capacity - shift.taken, 0)
    return render(
        request,
        "volunteers/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "shifts": shifts,
            "volunteer": volunteer,
            "now": timezone.now(),
        },
    )


# --- Registration and sign-in --------------------------------------------------------------------


def join(request):
    form = JoinForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _rate_limited(request):
            form.add_error(None, _("Too many attempts from your network; wait a minute."))
            status = 429
        elif form.is_valid():
            data = dict(form.cleaned_data)
            try:
                volunteer = services.register_volunteer(**data)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                login(request, volunteer.user, backend="django.contrib.auth.backends.ModelBackend")
                return redirect("volunteers:join-done")
        if status == 200:
            status = 400
    return render(request, "volunteers/join.html", {"form": form}, status=status)


@volunteer_required
def join_done(request, volunteer: Volunteer):
    return render(request, "volunteers/join_done.html", {"volunteer": volunteer})


def login_view(request):
    form = LoginForm(request.POST or None, request=request)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    status = 200
    if request.method == "POST":
        if _rate_limited(request):
            form.add_error(None, _("Too many attempts from your network; wait a minute."))
            status = 429
        elif form.is_valid():
            login(request, form.user)
            return redirect(next_url or "volunteers:me")
        else:
            status = 400
    return render(request, "volunteers/login.html", {"form": form, "next": next_url}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("volunteers:list")


# --- The volunteer's own page ---------------------------------------------------------------------


@volunteer_required
def my_page(request, volunteer: Volunteer):
    hours = selectors.hours_of(volunteer)
    today = timezone.localdate()
    return render(
        request,
        "volunteers/me.html",
        {
            "volunteer": volunteer,
            "hours": hours,
            "signups": list(selectors.signups_of(volunteer)[:50]),
            "records": list(selectors.records_of(volunteer)[:50]),
            "certificates": list(volunteer.certificates.order_by("-issued_at")[:10]),
            "certificate_form": CertificateForm(
                initial={"period_start": datetime.date(today.year, 1, 1), "period_end": today}
            ),
            "now": timezone.now(),
        },
    )


def _shift_or_404(code: str) -> Shift:
    shift = (
        Shift.objects.select_related("opportunity__station")
        .filter(code=code, opportunity__is_published=True)
        .first()
    )
    if shift is None:
        raise Http404(_("There is no such shift."))
    return shift


@require_POST
@volunteer_required
def shift_sign_up(request, volunteer: Volunteer, code: str):
    shift = _shift_or_404(code)
    try:
        signup = services.sign_up(shift=shift, volunteer=volunteer)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        if signup.status == signup.Status.CONFIRMED:
            messages.success(request, _("You are signed up. Thank you!"))
        else:
            messages.info(
                request,
                _(
                    "The shift is full; you are number %(n)s on the waiting list. We will tell you if a place frees up."
                )
                % {"n": selectors.waiting_number(signup)},
            )
    return redirect(shift.opportunity.get_absolute_url())


@require_POST
@volunteer_required
def shift_cancel(request, volunteer: Volunteer, code: str):
    shift = _shift_or_404(code)
    signup = selectors.signup_for(shift=shift, volunteer=volunteer)
    if signup is None:
        messages.error(request, _("You are not signed up for this shift."))
    else:
        try:
            services.cancel_signup(signup=signup)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Your sign-up is cancelled."))
    back_to_my_page = request.POST.get("back") == "me"
    return redirect("volunteers:me" if back_to_my_page else shift.opportunity.get_absolute_url())


@volunteer_required
def shift_self_check_in(request, volunteer: Volunteer, code: str, token: str):
    """The page behind the QR code at the place of a shift: volunteers check themselves in."""
    shift = _shift_or_404(code)
    if token != shift.check_in_code:
        raise Http404(_("There is no such shift."))
    signup = selectors.signup_for(shift=shift, volunteer=volunteer)
    if request.method == "POST":
        if signup is None:
            messages.error(request, _("You are not signed up for this shift."))
        else:
            try:
                services.check_in(signup=signup, by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("You are checked in. Thank you for coming!"))
        return redirect(request.path)
    return render(
        request,
        "volunteers/self_check_in.html",
        {"shift": shift, "signup": signup, "volunteer": volunteer},
    )


@volunteer_required
def report_hours(request, volunteer: Volunteer):
    form = ReportHoursForm(request.POST or None, initial={"station": volunteer.home_station})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.report_hours(volunteer=volunteer, by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(
                    request, _("Hours reported; they count once a coordinator verifies them.")
                )
                return redirect("volunteers:me")
        status = 400
    return render(request, "volunteers/report_hours.html", {"form": form}, status=status)


@require_POST
@volunteer_required
def certificate_download(request, volunteer: Volunteer):
    form = CertificateForm(request.POST)
    if form.is_valid():
        try:
            certificate = services.issue_certificate(
                volunteer=volunteer,
                period_start=form.cleaned_data["period_start"],
                period_end=form.cleaned_data["period_end"],
                by=request.user,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            url = request.build_absolute_uri(certificate.get_verification_url())
            response = HttpResponse(
                render_certificate_pdf(certificate, url), content_type="application/pdf"
            )
            response["Content-Disposition"] = (
                f'attachment; filename="certificate-{certificate.number}.pdf"'
            )
            return response
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("volunteers:me")


def certificate_verify(request, number: str, check_code: str):
    """Public: genuine or not, and the totals. No name, no ID, nothing more."""
    certificate = selectors.certificate_by_number(number, check_code)
    return render(
        request,
        "volunteers/certificate_verify.html",
        {"certificate": certificate, "number": number},
        status=200 if certificate else 404,
    )
