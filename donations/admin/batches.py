"""Box openings: counting what a donation box held, with two witnesses."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from funds.money import format_yuan
from stations.admin import ScopedAdminMixin

from .. import services
from ..models import DonationBatch
from ..targets import Target, check_open

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
        if cleaned.get("opened_on"):
            try:
                services.check_gift_date(cleaned["opened_on"], field="opened_on")
            except ValidationError as error:
                self.add_error(None, error)
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
