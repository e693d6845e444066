"""Staff's daily work with donations, in Chinese and scoped to their stations.

Rows are never edited here: recording, confirming, refunding and voiding go through
``donations.services``; money fields are read only.
"""

import datetime

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.site import absolute_url
from funds.money import format_yuan
from stations.admin import ScopedAdminMixin
from stations.scoping import scope_queryset, visible_stations

from . import exports, selectors, services
from .documents import poster_pdf
from .models import Donation, DonationBatch, DonationPoint, Donor, Receipt
from .payments import provider_title
from .targets import Target, check_open, open_targets


def _messages_of(error: ValidationError) -> str:
    return "；".join(error.messages)


# --- filters ---------------------------------------------------------------------------------


class StationFilter(admin.SimpleListFilter):
    """A station of the user's network: its donations and those of the stations below it."""

    title = _("station")
    parameter_name = "station"

    def lookups(self, request, model_admin):
        return [
            (str(station.pk), "　" * station.depth + station.name)
            for station in visible_stations(request.user).order_by("path")
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        station = visible_stations(request.user).filter(pk=self.value()).first()
        if station is None:
            raise IncorrectLookupParameters
        return queryset.filter(fund__station__path__startswith=station.path)


class DateRangeFilter(admin.FieldListFilter):
    """From / to dates (inclusive) on a date-time field, typed in two boxes."""

    template = "donations/admin/date_range_filter.html"

    def __init__(self, field, request, params, model, model_admin, field_path):
        self.lookup_from = f"{field_path}__date__gte"
        self.lookup_to = f"{field_path}__date__lte"
        super().__init__(field, request, params, model, model_admin, field_path)
        self.dates = {}
        for lookup in (self.lookup_from, self.lookup_to):
            value = self.used_parameters.get(lookup)
            if isinstance(value, list):
                value = value[-1] if value else None
            if value:
                try:
                    parsed = parse_date(value)
                except ValueError:
                    parsed = None
                if parsed is None:
                    raise IncorrectLookupParameters(gettext("Enter dates as 2026-11-28."))
                self.dates[lookup] = parsed

    def expected_parameters(self):
        return [self.lookup_from, self.lookup_to]

    def queryset(self, request, queryset):
        return queryset.filter(**self.dates)

    def choices(self, changelist):
        keep = {
            key: value
            for key, value in changelist.get_filters_params().items()
            if key not in self.expected_parameters()
        }
        yield {
            "lookup_from": self.lookup_from,
            "lookup_to": self.lookup_to,
            "value_from": self.dates.get(self.lookup_from, ""),
            "value_to": self.dates.get(self.lookup_to, ""),
            "keep": [(k, v[-1] if isinstance(v, list) else v) for k, v in keep.items()],
            "clear_url": changelist.get_query_string(remove=self.expected_parameters()),
        }


class IntermediateActionMixin:
    """Actions that ask for something (a channel, a reason) on a page before they run."""

    def _intermediate(self, request, queryset, *, title, form, action, extra=None):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "form": form,
            "queryset": queryset,
            "action": action,
            "opts": self.model._meta,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            **(extra or {}),
        }
        return TemplateResponse(request, "donations/admin/intermediate.html", context)


# --- donation points -------------------------------------------------------------------------


@admin.register(DonationPoint)
class DonationPointAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "station", "place", "opening_hours", "is_active", "poster_link")
    list_filter = ("is_active",)
    search_fields = ("name", "place", "code", "station__name")
    list_select_related = ("station",)
    filter_horizontal = ("funds", "campaigns", "projects")
    readonly_fields = ("public_url",)
    fields = (
        "station",
        "name",
        "place",
        "opening_hours",
        "funds",
        "campaigns",
        "projects",
        "is_active",
        "public_url",
    )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "station":
            kwargs["queryset"] = visible_stations(request.user).filter(offers_donation_point=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("public page"))
    def public_url(self, obj):
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{0}" target="_blank">{0}</a>', absolute_url(obj.get_absolute_url())
        )

    @admin.display(description=_("poster"))
    def poster_link(self, obj):
        url = reverse("admin:donations_donationpoint_poster", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, gettext("Print poster"))

    def get_urls(self):
        return [
            path(
                "<int:object_id>/poster/",
                self.admin_site.admin_view(self.poster_view),
                name="donations_donationpoint_poster",
            ),
            *super().get_urls(),
        ]

    def poster_view(self, request, object_id: int):
        point = self.get_queryset(request).filter(pk=object_id).first()
        if point is None or not self.has_view_permission(request, point):
            raise Http404(gettext("No such record, or it is not in your stations."))
        url = request.build_absolute_uri(point.get_absolute_url())
        pdf = poster_pdf(point, url=url, targets=open_targets(point))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="poster-{point.code}.pdf"'
        return response


# --- donors ----------------------------------------------------------------------------------


@admin.register(Donor)
class DonorAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "__str__",
        "masked_mobile_display",
        "total_display",
        "gift_count",
        "last_gift_at",
    )
    search_fields = ("name", "mobile", "email")
    fields = ("name", "masked_mobile_display", "email")
    readonly_fields = ("masked_mobile_display",)
    change_form_template = "donations/admin/donor_change_form.html"

    def get_queryset(self, request):
        # Totals count only the gifts at the user's own stations.
        return selectors.with_donor_totals(
            super().get_queryset(request), stations=visible_stations(request.user)
        )

    def has_add_permission(self, request):
        return False  # donors come from confirmed donations

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("mobile"))
    def masked_mobile_display(self, obj):
        return obj.masked_mobile or "—"

    @admin.display(description=_("total given"), ordering="total_given")
    def total_display(self, obj):
        return format_yuan(obj.total_given)

    @admin.display(description=_("gifts"), ordering="gift_count")
    def gift_count(self, obj):
        return obj.gift_count

    @admin.display(description=_("last gift"), ordering="last_gift_at")
    def last_gift_at(self, obj):
        return obj.last_gift_at

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            # Only the gifts at the user's own stations: a donor may also give elsewhere.
            context["gift_history"] = (
                scope_queryset(Donation.objects.filter(donor=obj), request.user)
                .select_related("fund", "project", "campaign")
                .order_by("-created_at")
            )
        return super().render_change_form(request, context, add, change, form_url, obj)


# --- donations -------------------------------------------------------------------------------


class RecordDonationForm(forms.ModelForm):
    """Staff record a gift taken at the point: cash or a transfer."""

    channel = forms.ChoiceField(
        label=_("channel"),
        choices=[(c.value, c.label) for c in Donation.OFFLINE_CHANNELS],
    )
    received_on = forms.DateField(
        label=_("received on"),
        initial=timezone.localdate,
        # A browser date field takes ISO 8601 only, whatever the language.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    confirm_now = forms.BooleanField(
        label=_("confirm now"),
        required=False,
        initial=True,
        help_text=_("The money is in hand: credit the fund and issue the receipt now."),
    )
    amount = forms.CharField(label=_("amount (yuan)"), max_length=20)

    class Meta:
        model = Donation
        fields = [
            "point",
            "fund",
            "campaign",
            "project",
            "donor_name",
            "is_anonymous",
            "mobile",
            "message",
            "receipt_wanted",
            "payment_reference",
        ]

    def clean_amount(self):
        try:
            return services.clean_amount(self.cleaned_data["amount"], online=False)
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def clean_mobile(self):
        try:
            return services.clean_mobile(self.cleaned_data.get("mobile", ""))
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def clean(self):
        cleaned = super().clean()
        fund, campaign, project = (
            cleaned.get("fund"),
            cleaned.get("campaign"),
            cleaned.get("project"),
        )
        if campaign is not None and fund is not None and campaign.lead_fund_id != fund.pk:
            self.add_error("campaign", _("This campaign is organised by another fund."))
        elif fund is not None:
            try:
                check_open(Target(fund=fund, campaign=campaign, project=project))
            except ValidationError as error:
                self.add_error(None, error.messages)
        received_on = cleaned.get("received_on")
        if received_on and received_on > timezone.localdate():
            self.add_error("received_on", _("The date cannot be in the future."))
        if "amount" in cleaned:
            self.instance.amount = cleaned["amount"]
        return cleaned


class ConfirmForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("channel"), choices=[(c.value, c.label) for c in Donation.OFFLINE_CHANNELS]
    )
    reference = forms.CharField(
        label=_("payment reference"),
        max_length=100,
        required=False,
        help_text=_("Bank transaction number, or where and by whom the cash was received."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("reason"), max_length=255)


@admin.register(Donation)
class DonationAdmin(ScopedAdminMixin, IntermediateActionMixin, admin.ModelAdmin):
    form = RecordDonationForm
    list_display = (
        "created_at",
        "reference",
        "public_name_display",
        "donor_name",
        "mobile_display",
        "amount_display",
        "fund",
        "campaign",
        "point",
        "channel",
        "status",
        "receipt_numbers",
    )
    list_filter = (
        StationFilter,
        ("point", admin.RelatedOnlyFieldListFilter),
        ("fund", admin.RelatedOnlyFieldListFilter),
        ("campaign", admin.RelatedOnlyFieldListFilter),
        "channel",
        "status",
        ("created_at", DateRangeFilter),
        ("confirmed_at", DateRangeFilter),
    )
    search_fields = ("donor_name", "mobile", "receipts__number", "reference", "payment_reference")
    list_select_related = ("fund", "campaign", "point", "project")
    date_hierarchy = "created_at"
    actions = [
        "confirm_selected",
        "refund_selected",
        "void_receipts",
        "export_xlsx",
        "export_csv",
    ]
    view_fields = (
        "reference",
        "status",
        "amount_display",
        "fund",
        "campaign",
        "project",
        "point",
        "batch",
        "channel",
        "provider_display",
        "payment_reference",
        "public_name_display",
        "donor_name",
        "is_anonymous",
        "mobile_display",
        "message",
        "receipt_wanted",
        "receipt_numbers",
        "flag_reason",
        "refund_reason",
        "created_at",
        "created_by",
        "confirmed_at",
        "confirmed_by",
    )

    # Records are written by services only: a saved donation is never edited here.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_confirm_permission(self, request):
        return request.user.has_perm("donations.confirm_donation")

    def has_refund_permission(self, request):
        return request.user.has_perm("donations.refund_donation")

    def has_void_permission(self, request):
        return request.user.has_perm("donations.void_receipt")

    def has_export_permission(self, request):
        return request.user.has_perm("donations.export_donation")

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                "point",
                "fund",
                "campaign",
                "project",
                "amount",
                "channel",
                "received_on",
                "payment_reference",
                "donor_name",
                "is_anonymous",
                "mobile",
                "message",
                "receipt_wanted",
                "confirm_now",
            ]
        return self.view_fields

    def get_readonly_fields(self, request, obj=None):
        return self.view_fields if obj is not None else ()

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("receipts")

    @admin.display(description=_("shown as"))
    def public_name_display(self, obj):
        return obj.public_name

    @admin.display(description=_("mobile"))
    def mobile_display(self, obj):
        return obj.masked_mobile or "—"

    @admin.display(description=_("payment provider"))
    def provider_display(self, obj):
        return provider_title(obj.provider)

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return format_yuan(obj.amount)

    @admin.display(description=_("receipt"))
    def receipt_numbers(self, obj):
        return (
            ", ".join(
                f"{r.number}{'' if r.status == Receipt.Status.VALID else gettext('（作废）')}"
                for r in obj.receipts.all()
            )
            or "—"
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        received_at = timezone.make_aware(
            datetime.datetime.combine(data["received_on"], datetime.time(12))
        )
        if data["received_on"] == timezone.localdate():
            received_at = None
        confirm = data["confirm_now"] and self.has_confirm_permission(request)
        donation = services.record_offline_donation(
            by=request.user,
            target=Target(
                fund=data["fund"], campaign=data.get("campaign"), project=data.get("project")
            ),
            amount=data["amount"],
            channel=data["channel"],
            point=data.get("point"),
            donor_name=data.get("donor_name", ""),
            is_anonymous=data.get("is_anonymous", False),
            mobile=data.get("mobile", ""),
            message=data.get("message", ""),
            receipt_wanted=data.get("receipt_wanted", True),
            reference=data.get("payment_reference", ""),
            received_at=received_at,
            confirm=confirm,
        )
        if data["confirm_now"] and not confirm:
            self.message_user(
                request,
                gettext("Recorded; a finance officer still has to confirm it."),
                messages.WARNING,
            )
        obj.pk = donation.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass  # no related rows: the service wrote everything

    # --- actions ---

    @admin.action(
        description=_("Confirm the selected donations (payment received)"), permissions=["confirm"]
    )
    def confirm_selected(self, request, queryset):
        queryset = queryset.filter(
            status__in=[Donation.Status.PENDING, Donation.Status.FLAGGED, Donation.Status.EXPIRED]
        )
        form = ConfirmForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done, refused = 0, []
            for donation in queryset:
                try:
                    services.confirm_donation(
                        donation=donation,
                        by=request.user,
                        channel=form.cleaned_data["channel"],
                        reference=form.cleaned_data["reference"],
                    )
                    done += 1
                except ValidationError as error:
                    refused.append(f"{donation.reference}：{_messages_of(error)}")
            if done:
                self.message_user(
                    request, gettext("%(count)d donations confirmed.") % {"count": done}
                )
            for line in refused:
                self.message_user(request, line, messages.ERROR)
            return None
        if not queryset.exists():
            self.message_user(
                request,
                gettext("None of the selected donations is waiting for payment."),
                messages.WARNING,
            )
            return None
        return self._intermediate(
            request,
            queryset,
            title=gettext("Confirm donations"),
            form=form,
            action="confirm_selected",
        )

    @admin.action(description=_("Refund the selected donations"), permissions=["refund"])
    def refund_selected(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            for donation in queryset:
                try:
                    services.refund_donation(
                        donation=donation, by=request.user, reason=form.cleaned_data["reason"]
                    )
                    self.message_user(
                        request,
                        gettext("Refunded %(reference)s.") % {"reference": donation.reference},
                    )
                except ValidationError as error:
                    self.message_user(
                        request,
                        gettext("Refund of %(reference)s refused: %(why)s")
                        % {"reference": donation.reference, "why": _messages_of(error)},
                        messages.ERROR,
                    )
            return None
        return self._intermediate(
            request,
            queryset,
            title=gettext("Refund donations"),
            form=form,
            action="refund_selected",
        )

    @admin.action(
        description=_("Void the receipts of the selected donations"), permissions=["void"]
    )
    def void_receipts(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            receipts = Receipt.objects.filter(donation__in=queryset, status=Receipt.Status.VALID)
            count = 0
            for receipt in receipts:
                services.void_receipt(
                    receipt=receipt, by=request.user, reason=form.cleaned_data["reason"]
                )
                count += 1
            self.message_user(request, gettext("%(count)d receipts voided.") % {"count": count})
            return None
        return self._intermediate(
            request, queryset, title=gettext("Void receipts"), form=form, action="void_receipts"
        )

    @admin.action(description=_("Export the selected donations (Excel)"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        return exports.xlsx_response(selectors.donations_for_export(queryset))

    @admin.action(description=_("Export the selected donations (CSV)"), permissions=["export"])
    def export_csv(self, request, queryset):
        return exports.csv_response(selectors.donations_for_export(queryset))


# --- box openings ----------------------------------------------------------------------------


class BoxOpeningForm(forms.ModelForm):
    amounts = forms.CharField(
        label=_("gifts found (yuan)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The amount of each gift, separated by spaces, commas or new lines."),
    )
    total = forms.CharField(label=_("counted total (yuan)"), max_length=20)

    class Meta:
        model = DonationBatch
        fields = ["point", "fund", "opened_on", "witnesses", "note"]

    def clean_amounts(self):
        raw = self.cleaned_data["amounts"].replace("，", ",").replace(",", " ").split()
        try:
            return [services.clean_amount(value, online=False) for value in raw]
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def clean_total(self):
        try:
            return services.clean_amount(self.cleaned_data["total"], online=False)
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def clean(self):
        cleaned = super().clean()
        amounts, total = cleaned.get("amounts"), cleaned.get("total")
        if amounts and total is not None and sum(amounts) != total:
            self.add_error(
                "total",
                _("The gifts add up to %(sum)s, not the counted total %(total)s.")
                % {"sum": format_yuan(sum(amounts)), "total": format_yuan(total)},
            )
        if amounts:
            self.instance.count = len(amounts)
        if total is not None:
            self.instance.total = total
        fund = cleaned.get("fund")
        if fund is not None:
            try:
                check_open(Target(fund=fund))
            except ValidationError as error:
                self.add_error("fund", error.messages)
        return cleaned


@admin.register(DonationBatch)
class DonationBatchAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = BoxOpeningForm
    list_display = (
        "opened_on",
        "point",
        "fund",
        "total_display",
        "count",
        "witnesses",
        "created_by",
    )
    list_filter = (
        ("point", admin.RelatedOnlyFieldListFilter),
        ("opened_on", admin.DateFieldListFilter),
    )
    list_select_related = ("point", "fund", "created_by")
    view_fields = (
        "point",
        "fund",
        "opened_on",
        "total_display",
        "count",
        "witnesses",
        "note",
        "created_by",
        "created_at",
    )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return super().has_add_permission(request) and request.user.has_perm(
            "donations.confirm_donation"
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["point", "fund", "opened_on", "amounts", "total", "witnesses", "note"]
        return self.view_fields

    def get_readonly_fields(self, request, obj=None):
        return self.view_fields if obj is not None else ()

    @admin.display(description=_("total"), ordering="total")
    def total_display(self, obj):
        return format_yuan(obj.total)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        batch = services.record_box_opening(
            by=request.user,
            point=data["point"],
            target=Target(fund=data["fund"]),
            opened_on=data["opened_on"],
            amounts=data["amounts"],
            total=data["total"],
            witnesses=data.get("witnesses", ""),
            note=data.get("note", ""),
        )
        obj.pk = batch.pk
        obj._state.adding = False

    def save_related(self, request, form, formsets, change):
        pass


# --- receipts --------------------------------------------------------------------------------


@admin.register(Receipt)
class ReceiptAdmin(ScopedAdminMixin, IntermediateActionMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "status",
        "issued_at",
        "payer_name",
        "purpose",
        "amount_display",
        "host",
        "pdf_link",
    )
    list_filter = ("status", "series", "year")
    search_fields = ("number", "payer_name", "donation__reference")
    list_select_related = ("host", "donation")
    actions = ["void_selected", "reissue_selected"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_void_permission(self, request):
        return request.user.has_perm("donations.void_receipt")

    @admin.display(description=_("amount"), ordering="amount")
    def amount_display(self, obj):
        return format_yuan(obj.amount)

    @admin.display(description=_("PDF"))
    def pdf_link(self, obj):
        url = reverse("donations:receipt_pdf", args=[obj.number, obj.check_code])
        return format_html('<a href="{}">{}</a>', url, gettext("Download"))

    @admin.action(description=_("Void the selected receipts"), permissions=["void"])
    def void_selected(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            for receipt in queryset:
                services.void_receipt(
                    receipt=receipt, by=request.user, reason=form.cleaned_data["reason"]
                )
            self.message_user(
                request, gettext("%(count)d receipts voided.") % {"count": queryset.count()}
            )
            return None
        return self._intermediate(
            request, queryset, title=gettext("Void receipts"), form=form, action="void_selected"
        )

    @admin.action(
        description=_("Reissue the selected receipts under new numbers"), permissions=["void"]
    )
    def reissue_selected(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            for receipt in queryset:
                try:
                    new = services.reissue_receipt(
                        receipt=receipt, by=request.user, reason=form.cleaned_data["reason"]
                    )
                    self.message_user(
                        request,
                        gettext("%(old)s reissued as %(new)s.")
                        % {"old": receipt.number, "new": new.number},
                    )
                except ValidationError as error:
                    self.message_user(
                        request, f"{receipt.number}：{_messages_of(error)}", messages.ERROR
                    )
            return None
        return self._intermediate(
            request,
            queryset,
            title=gettext("Reissue receipts"),
            form=form,
            action="reissue_selected",
        )


# The goods pages live in their own module; importing it registers them.
from . import goods_admin  # noqa: E402, F401
