"""Donations: recording an offline gift, confirming, refunding, voiding, exporting."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.staff_admin import ask_then_act
from funds.money import format_yuan
from stations.admin import ScopedAdminMixin

from .. import exports, selectors, services
from ..models import Donation, Receipt
from ..payments import provider_title
from ..targets import Target, check_open
from .filters import DateRangeFilter, StationFilter

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
        if received_on:
            try:
                services.check_gift_date(received_on, field="received_on", campaign=campaign)
            except ValidationError as error:
                self.add_error(None, error)
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
class DonationAdmin(ScopedAdminMixin, admin.ModelAdmin):
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
        if not queryset.exists():
            self.message_user(
                request,
                gettext("None of the selected donations is waiting for payment."),
                messages.WARNING,
            )
            return None
        return ask_then_act(
            self,
            request,
            queryset,
            form_class=ConfirmForm,
            title=gettext("Confirm donations"),
            act=lambda donation, data: services.confirm_donation(
                donation=donation,
                by=request.user,
                channel=data["channel"],
                reference=data["reference"],
            ),
            done=lambda count: gettext("%(count)d donations confirmed.") % {"count": count},
            refused=lambda donation, why: f"{donation.reference}：{why}",
        )

    @admin.action(description=_("Refund the selected donations"), permissions=["refund"])
    def refund_selected(self, request, queryset):
        def refund(donation, data):
            services.refund_donation(donation=donation, by=request.user, reason=data["reason"])
            return gettext("Refunded %(reference)s.") % {"reference": donation.reference}

        return ask_then_act(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=gettext("Refund donations"),
            act=refund,
            refused=lambda donation, why: (
                gettext("Refund of %(reference)s refused: %(why)s")
                % {"reference": donation.reference, "why": why}
            ),
        )

    @admin.action(
        description=_("Void the receipts of the selected donations"), permissions=["void"]
    )
    def void_receipts(self, request, queryset):
        def void(donation, data):
            for receipt in donation.receipts.filter(status=Receipt.Status.VALID):
                services.void_receipt(receipt=receipt, by=request.user, reason=data["reason"])

        return ask_then_act(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=gettext("Void receipts"),
            act=void,
            done=lambda count: gettext("%(count)d receipts voided.") % {"count": count},
        )

    @admin.action(description=_("Export the selected donations (Excel)"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        return exports.xlsx_response(selectors.donations_for_export(queryset))

    @admin.action(description=_("Export the selected donations (CSV)"), permissions=["export"])
    def export_csv(self, request, queryset):
        return exports.csv_response(selectors.donations_for_export(queryset))
