"""Public pages: browse and give, pay (sandbox gateway), thank-you, verify a receipt, look up
one's own gifts. Mobile first, no personal data on any page, every POST with CSRF and a per-IP
limit."""

import datetime
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from core.personal_data import mask_phone
from funds.money import format_yuan

from . import page_cache, selectors, services
from .documents import annual_statement_pdf
from .forms import GiveForm, LookupCodeForm, LookupStartForm
from .models import Donation, DonationPoint
from .payments import InvalidNotification, enabled_providers, get_provider
from .payments.sandbox import SIGNATURE_HEADER, notification_body, sign
from .ratelimits import over_limit, too_many_requests
from .targets import check_open, open_targets, resolve_target

logger = logging.getLogger(__name__)

LOOKUP_PENDING = "donations.lookup.pending"
LOOKUP_VERIFIED = "donations.lookup.mobile"
LOOKUP_UNTIL = "donations.lookup.until"


def not_found(request, message: str):
    return render(request, "donations/not_found.html", {"message": message}, status=404)


def _apply_service_errors(form, error: ValidationError) -> None:
    fields = {"amount": "amount_other", "target": "target"}
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            name = fields.get(field, field)
            for message in messages:
                form.add_error(name if name in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


def _give(
    request,
    *,
    point: DonationPoint | None,
    targets: list,
    template_context: dict,
    form_token: str | None = None,
):
    providers = enabled_providers()
    if request.method == "POST":
        if over_limit(request, group="give"):
            return too_many_requests(request)
        form = GiveForm(request.POST, targets=targets, providers=providers)
        if form.is_valid():
            data = form.cleaned_data
            try:
                target = resolve_target(data["target"], point=point)
                donation, _created = services.create_donation(
                    target=target,
                    amount=data["amount"],
                    provider=data["provider"],
                    point=point,
                    donor_name=data["donor_name"],
                    is_anonymous=data["is_anonymous"],
                    mobile=data["mobile"],
                    message=data["message"],
                    receipt_wanted=data["receipt_wanted"],
                    form_token=data["form_token"],
                )
            except ValidationError as error:
                _apply_service_errors(form, error)
            else:
                start = get_provider(donation.provider).start(donation=donation, request=request)
                return redirect(start.redirect_url or donation.get_absolute_url())
        status = 400
    else:
        form = GiveForm(
            initial={"form_token": form_token or secrets.token_urlsafe(24)},
            targets=targets,
            providers=providers,
        )
        status = 200
    context = {
        "form": form,
        "point": point,
        "targets": targets,
        "target_choices": list(zip(form["target"], targets, strict=True)),
        "hosts": selectors.hosts_and_filings(targets),
        "limits": services.online_limits(),
        **template_context,
    }
    return render(request, "donations/give.html", context, status=status)


@require_http_methods(["GET", "POST"])
def point_page(request, code: str):
    use_cache = page_cache.cacheable(request)
    if use_cache:
        cached = page_cache.get(code)
        if cached is page_cache.UNAVAILABLE:
            use_cache = False
        elif cached is not None:
            return page_cache.respond(request, cached)
    try:
        point = selectors.public_point(code)
    except DonationPoint.DoesNotExist:
        return not_found(request, _("There is no donation point with this code, or it is closed."))
    targets = open_targets(point)
    if not use_cache:
        return _give(request, point=point, targets=targets, template_context={"title": point.name})
    page = _give(
        request,
        point=point,
        targets=targets,
        template_context={"title": point.name, "csrf_token": page_cache.CSRF_SLOT},
        form_token=page_cache.FORM_TOKEN_SLOT,
    )
    if page.status_code != 200:
        return page
    page_cache.store(code, page)
    return page_cache.respond(request, (page["Content-Type"], page.content.decode()))


def browse(request):
    targets = open_targets()
    return render(request, "donations/browse.html", {"rows": _with_progress(targets)})


def _with_progress(targets: list) -> list[dict]:
    raised = selectors.raised_by_target(targets)
    rows = []
    for target in targets:
        stats = raised.get(target.key, {"total": 0, "count": 0})
        goal = target.campaign.goal if target.campaign else None
        percent = min(100, int(stats["total"] * 100 / goal)) if goal else 0
        rows.append({"target": target, **stats, "percent": percent})
    return rows


@require_http_methods(["GET", "POST"])
def give_to_target(request, target: str):
    try:
        chosen = resolve_target(target)
        check_open(chosen)
    except ValidationError as error:
        return not_found(request, " ".join(error.messages))
    return _give(request, point=None, targets=[chosen], template_context={"title": chosen.title})


def donation_page(request, code: str):
    """The donor's own page for one gift: how to pay, or thanks with the receipt."""
    try:
        donation = selectors.public_donation(code)
    except Donation.DoesNotExist:
        return not_found(request, _("There is no donation with this address."))
    receipt = selectors.valid_receipt_of(donation)
    return render(
        request,
        "donations/donation.html",
        {
            "donation": donation,
            "receipt": receipt,
            "provider": get_provider(donation.provider),
            "amount": format_yuan(donation.amount),
            "bank_note": settings.DONATIONS_BANK_TRANSFER_NOTE,
        },
    )


@require_http_methods(["GET", "POST"])
def sandbox_gateway(request, code: str):
    """A simulated payment gateway page. "Pay" sends the signed notification a real gateway
    would send, through the same verification as the server-to-server endpoint."""
    try:
        donation = selectors.public_donation(code)
    except Donation.DoesNotExist:
        return not_found(request, _("There is no donation with this address."))
    if donation.provider != "sandbox":
        return not_found(request, _("This donation is not paid through the sandbox gateway."))
    if request.method == "POST":
        if over_limit(request, group="sandbox"):
            return too_many_requests(request)
        if donation.status in (Donation.Status.PENDING, Donation.Status.EXPIRED):
            body = notification_body(donation_code=donation.code, amount=donation.amount)
            _receive_notification("sandbox", body, {SIGNATURE_HEADER: sign(body)})
        return redirect(donation.get_absolute_url())
    return render(
        request,
        "donations/sandbox_gateway.html",
        {"donation": donation, "amount": format_yuan(donation.amount)},
    )


def _receive_notification(provider_name: str, body: bytes, headers) -> tuple[int, dict]:
    provider = get_provider(provider_name)
    try:
        notification = provider.verify_notification(body=body, headers=headers)
    except InvalidNotification as error:
        logger.warning("refused %s notification: %s", provider_name, error)
        return 400, {"ok": False, "error": "invalid_notification"}
    outcome = services.apply_payment_notification(provider=provider_name, notification=notification)
    status = {"confirmed": 200, "ignored": 200, "flagged": 400, "unknown": 404}[outcome]
    return status, {"ok": status == 200, "result": outcome}


@csrf_exempt  # server to server: the signature, not a cookie, proves who sent it
@require_POST
def payment_notification(request, provider: str):
    try:
        get_provider(provider)
    except KeyError:
        return JsonResponse({"ok": False, "error": "unknown_provider"}, status=404)
    status, payload = _receive_notification(provider, request.body, request.headers)
    return JsonResponse(payload, status=status)


def receipt_page(request, number: str, check_code: str):
    receipt = selectors.receipt_for_verification(number, check_code)
    if receipt is None:
        return not_found(
            request,
            _("No receipt has this number and check code. Check both against the paper receipt."),
        )
    return render(
        request,
        "donations/receipt.html",
        {
            "receipt": receipt,
            "trace": selectors.where_the_gift_went(receipt.donation),
            "amount": format_yuan(receipt.amount),
            "reissued_as": getattr(receipt, "reissued_as", None),
        },
    )


def receipt_pdf(request, number: str, check_code: str):
    receipt = selectors.receipt_for_verification(number, check_code)
    if receipt is None:
        return not_found(request, _("No receipt has this number and check code."))
    receipt = services.store_receipt_pdf(receipt=receipt)
    return FileResponse(
        receipt.pdf.open("rb"), content_type="application/pdf", filename=f"{receipt.number}.pdf"
    )


# --- donor look-up ----------------------------------------------------------------------------


def _verified_mobile(request) -> str | None:
    until = request.session.get(LOOKUP_UNTIL, 0)
    if until < timezone.now().timestamp():
        return None
    return request.session.get(LOOKUP_VERIFIED)


@require_http_methods(["GET", "POST"])
def lookup_start(request):
    form = LookupStartForm(request.POST or None)
    if request.method == "POST":
        if over_limit(request, group="lookup", rate_setting="DONATIONS_LOOKUP_RATE"):
            return too_many_requests(request)
        if form.is_valid():
            try:
                services.start_donor_lookup(mobile=form.cleaned_data["mobile"])
            except ValidationError as error:
                form.add_error("mobile", error.messages)
            else:
                request.session[LOOKUP_PENDING] = services.clean_mobile(form.cleaned_data["mobile"])
                return redirect("donations:lookup_code")
    return render(request, "donations/lookup_start.html", {"form": form},
                  status=400 if form.errors else 200)  # fmt: skip


@require_http_methods(["GET", "POST"])
def lookup_code(request):
    mobile = request.session.get(LOOKUP_PENDING)
    if not mobile:
        return redirect("donations:lookup")
    form = LookupCodeForm(request.POST or None)
    if request.method == "POST":
        if over_limit(request, group="lookup", rate_setting="DONATIONS_LOOKUP_RATE"):
            return too_many_requests(request)
        if form.is_valid():
            try:
                services.verify_donor_lookup(mobile=mobile, code=form.cleaned_data["code"])
            except ValidationError as error:
                form.add_error("code", error.messages)
            else:
                request.session.cycle_key()
                request.session[LOOKUP_VERIFIED] = mobile
                request.session[LOOKUP_UNTIL] = (
                    timezone.now()
                    + datetime.timedelta(minutes=settings.DONATIONS_LOOKUP_SESSION_MINUTES)
                ).timestamp()
                request.session.pop(LOOKUP_PENDING, None)
                return redirect("donations:my_gifts")
    return render(
        request,
        "donations/lookup_code.html",
        {"form": form, "masked_mobile": mask_phone(mobile)},
        status=400 if form.errors else 200,
    )


def my_gifts(request):
    mobile = _verified_mobile(request)
    if mobile is None:
        return redirect("donations:lookup")
    gifts = list(selectors.donor_gifts(mobile))
    years = sorted({timezone.localtime(g.confirmed_at).year for g in gifts if g.confirmed_at},
                   reverse=True)  # fmt: skip
    return render(
        request,
        "donations/my_gifts.html",
        {"gifts": gifts, "years": years, "masked_mobile": mask_phone(mobile)},
    )


def annual_statement(request, year: int):
    mobile = _verified_mobile(request)
    if mobile is None:
        return redirect("donations:lookup")
    if not 2000 <= year <= 2100:
        return not_found(request, _("There is no statement for this year."))
    pdf = annual_statement_pdf(
        masked_mobile=mask_phone(mobile),
        year=year,
        donations=selectors.donor_gifts_in_year(mobile, year),
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="donations-{year}.pdf"'
    return response
