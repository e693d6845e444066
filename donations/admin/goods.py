"""Staff's work with in-kind goods in the admin (Chinese, scoped): goods received with their
items, the store's lots with what is left, movements (read only), and the actions that go
through ``donations.goods_services``: record, distribute, print the goods receipt, export."""

import io

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from core.staff_admin import ReadOnlyAdminMixin, ask_then_act, messages_of
from projects.models import Beneficiary, Project, ServiceActivity
from stations.admin import ScopedAdminMixin
from stations.scoping import scope_queryset, visible_stations

from .. import goods_services, selectors, services
from ..documents import goods_receipt_pdf
from ..models import GoodsDonation, GoodsItem, GoodsMovement


def _quantity(value) -> str:
    return f"{value.normalize():f}"


class GoodsStationFilter(admin.SimpleListFilter):
    """A station of the user's network, with the stations below it."""

    title = _("station")
    parameter_name = "station"
    lookup = "station"

    def lookups(self, request, model_admin):
        return [
            (str(station.pk), "　" * station.depth + station.name)
            for station in visible_stations(request.user).order_by("path")
        ]

    def queryset(self, request, queryset):
        if not self.value() or not self.value().isdigit():
            return queryset
        station = visible_stations(request.user).filter(pk=self.value()).first()
        if station is None:
            return queryset.none()
        return queryset.filter(**{f"{self.lookup}__path__startswith": station.path})


class DonationStationFilter(GoodsStationFilter):
    lookup = "point__station"


class ExpiryFilter(admin.SimpleListFilter):
    title = _("expiry")
    parameter_name = "expiry"

    def lookups(self, request, model_admin):
        days = settings.DONATIONS_GOODS_EXPIRY_WARNING_DAYS
        return [("soon", _("Expiring within %(days)d days, in stock") % {"days": days})]

    def queryset(self, request, queryset):
        if self.value() == "soon":
            return selectors.expiring_lots(queryset=queryset)
        return queryset


# --- goods donations -------------------------------------------------------------------------


class GoodsItemInline(admin.TabularInline):
    model = GoodsItem
    extra = 3
    min_num = 1
    fields = ("category", "name", "quantity", "unit", "condition", "expiry_date", "value")

    # Items are typed with their donation and never edited afterwards (their stock moves only
    # through movements). On the add page ``obj`` is the new, unsaved donation.
    @staticmethod
    def _adding(obj) -> bool:
        return obj is None or obj._state.adding

    def get_readonly_fields(self, request, obj=None):
        return () if self._adding(obj) else self.fields

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        # Whoever may record a goods donation types its items (no separate right on lots).
        return self._adding(obj) and request.user.has_perm("donations.add_goodsdonation")

    def get_extra(self, request, obj=None, **kwargs):
        return self.extra if self._adding(obj) else 0


class GoodsDonationForm(forms.ModelForm):
    mobile = forms.CharField(
        label=_("mobile"),
        required=False,
        max_length=20,
        help_text=_("Optional: finds the donor's record (one record per person)."),
    )

    class Meta:
        model = GoodsDonation
        fields = ("point", "donor_name", "is_anonymous", "received_at", "note")

    def clean_mobile(self):
        return services.clean_mobile(self.cleaned_data["mobile"])


@admin.register(GoodsDonation)
class GoodsDonationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = GoodsDonationForm
    inlines = [GoodsItemInline]
    list_display = ("receipt_number", "received_at", "point", "public_name", "item_count",
                    "received_by")  # fmt: skip
    list_filter = (DonationStationFilter, "received_at")
    search_fields = ("receipt_number", "donor_name", "note")
    list_select_related = ("point", "received_by")
    date_hierarchy = "received_at"
    actions = ["print_receipt", "export_xlsx"]

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("point", "donor_name", "is_anonymous", "mobile", "received_at", "note")
        return ("receipt_number", "point", "public_name", "received_at", "received_by", "note")

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return ("receipt_number", "point", "public_name", "received_at", "received_by", "note")

    def get_changeform_initial_data(self, request):
        return {"received_at": timezone.now()}

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("items")

    @admin.display(description=_("items"))
    def item_count(self, obj):
        return len(obj.items.all())

    @admin.display(description=_("donor"))
    def public_name(self, obj):
        return obj.public_name

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Saved with its items by the service in save_related (one transaction: the admin's).
        pass

    def save_related(self, request, form, formsets, change):
        if change:
            return
        lines = [
            goods_services.ItemLine(**{k: f.cleaned_data[k] for k in GoodsItemInline.fields})
            for formset in formsets
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        data = form.cleaned_data
        donation = goods_services.record_goods_donation(
            by=request.user,
            point=data["point"],
            items=lines,
            donor_name=data["donor_name"],
            is_anonymous=data["is_anonymous"],
            mobile=data["mobile"],
            received_at=data["received_at"],
            note=data["note"],
        )
        form.instance.pk = donation.pk
        form.instance.receipt_number = donation.receipt_number
        for formset in formsets:
            # The admin's history message lists what the formsets saved; the service saved it.
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

    def _changeform_view(self, request, object_id, form_url, extra_context):
        try:
            return super()._changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The service refused (a mobile that is not one, …): say why, nothing was saved.
            self.message_user(request, messages_of(error), messages.ERROR)
            return super()._changeform_view(_as_get(request), object_id, form_url, extra_context)

    @admin.action(description=_("Print the goods receipt"))
    def print_receipt(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Select one goods donation to print its receipt."),
                              messages.WARNING)  # fmt: skip
            return None
        donation = queryset.select_related("point__station", "received_by").get()
        response = HttpResponse(goods_receipt_pdf(donation), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{donation.receipt_number}.pdf"'
        return response

    @admin.action(description=_("Export the selected goods (Excel)"), permissions=["export"])
    def export_xlsx(self, request, queryset):
        return goods_xlsx_response(
            GoodsItem.objects.filter(donation__in=queryset)
            .select_related("donation__point", "station")
            .order_by("donation__received_at", "pk")
        )

    def has_export_permission(self, request):
        return request.user.has_perm("donations.export_goodsdonation")


def _as_get(request):
    request.method = "GET"
    return request


def goods_xlsx_response(lots) -> HttpResponse:
    """The goods lines as an Excel sheet with Chinese headers (no personal data)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = gettext("Goods")
    sheet.append([
        pgettext("export column", "Goods receipt number"),
        pgettext("export column", "Received"),
        pgettext("export column", "Station"),
        pgettext("export column", "Donation point"),
        pgettext("export column", "Donor"),
        pgettext("export column", "Category"),
        pgettext("export column", "Item"),
        pgettext("export column", "Quantity"),
        pgettext("export column", "Unit"),
        pgettext("export column", "Condition"),
        pgettext("export column", "Expiry date"),
        pgettext("export column", "Confirmed value (yuan)"),
        pgettext("export column", "In stock"),
    ])  # fmt: skip
    for lot in lots:
        donation = lot.donation
        sheet.append([
            donation.receipt_number,
            timezone.localtime(donation.received_at).strftime("%Y-%m-%d %H:%M"),
            lot.station.name,
            donation.point.name,
            donation.public_name,
            lot.get_category_display(),
            lot.name,
            lot.quantity,
            lot.unit,
            lot.get_condition_display(),
            lot.expiry_date,
            lot.value,
            lot.remaining,
        ])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="goods-{stamp}.xlsx"'
    return response


# --- stock lots ------------------------------------------------------------------------------


class DistributeForm(forms.Form):
    quantity = forms.CharField(label=_("quantity"), max_length=20)
    project = forms.ModelChoiceField(label=_("project"), queryset=Project.objects.none(),
                                     required=False)  # fmt: skip
    activity = forms.ModelChoiceField(
        label=_("activity"), queryset=ServiceActivity.objects.none(), required=False
    )
    beneficiary = forms.ModelChoiceField(
        label=_("beneficiary"), queryset=Beneficiary.objects.none(), required=False,
        help_text=_("Goods given to a person are also recorded in their assistance history."),
    )  # fmt: skip
    on = forms.DateField(label=_("date"), initial=timezone.localdate)
    note = forms.CharField(label=_("note"), max_length=255, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        running = (Project.Status.FUNDRAISING, Project.Status.ACTIVE)
        self.fields["project"].queryset = scope_queryset(
            Project.objects.filter(status__in=running), user
        )
        self.fields["activity"].queryset = scope_queryset(
            ServiceActivity.objects.filter(project__status__in=running), user
        ).select_related("project")
        self.fields["beneficiary"].queryset = scope_queryset(Beneficiary.objects.all(), user)


@admin.register(GoodsItem)
class GoodsItemAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "category", "station", "stock", "quantity_received", "condition",
                    "expiry_date", "donation")  # fmt: skip
    list_filter = (ExpiryFilter, GoodsStationFilter, "category", "condition")
    search_fields = ("name", "donation__receipt_number")
    list_select_related = ("station", "donation")
    readonly_fields = ("donation", "station", "category", "name", "quantity", "unit",
                       "condition", "expiry_date", "value", "remaining")  # fmt: skip
    actions = ["distribute"]
    change_list_template = "donations/admin/goods_lots_change_list.html"

    @admin.display(description=_("in stock"), ordering="remaining")
    def stock(self, obj):
        return f"{_quantity(obj.remaining)} {obj.unit}"

    @admin.display(description=_("quantity received"), ordering="quantity")
    def quantity_received(self, obj):
        return f"{_quantity(obj.quantity)} {obj.unit}"

    def has_distribute_permission(self, request):
        return request.user.has_perm("donations.distribute_goodsitem")

    def changelist_view(self, request, extra_context=None):
        expiring = selectors.expiring_lots(
            queryset=scope_queryset(GoodsItem.objects.all(), request.user)
        )[:20]
        extra = {
            "expiring_lots": expiring,
            "expiry_days": settings.DONATIONS_GOODS_EXPIRY_WARNING_DAYS,
            "today": timezone.localdate(),
        }
        return super().changelist_view(request, {**extra, **(extra_context or {})})

    @admin.action(description=_("Give out goods from the selected lot"),
                  permissions=["distribute"])  # fmt: skip
    def distribute(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, gettext("Select one lot to give goods out from."),
                              messages.WARNING)  # fmt: skip
            return None
        lot = queryset.get()

        def give_out(lot, data):
            goods_services.distribute_goods(
                by=request.user,
                lot=lot,
                quantity=data["quantity"],
                project=data["project"],
                activity=data["activity"],
                beneficiary=data["beneficiary"],
                on=data["on"],
                note=data["note"],
            )
            return gettext("Gave out %(quantity)s %(unit)s of %(name)s.") % {
                "quantity": data["quantity"].strip(),
                "unit": lot.unit,
                "name": lot.name,
            }

        return ask_then_act(
            self,
            request,
            queryset,
            form_class=DistributeForm,
            form_kwargs={"user": request.user},
            title=gettext("Give out goods"),
            act=give_out,
            refusals_in_form=True,
            extra={"lot": lot},
        )


@admin.register(GoodsMovement)
class GoodsMovementAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("moved_on", "kind", "lot", "change_display", "project", "activity", "reason",
                    "by")  # fmt: skip
    list_filter = ("kind", "moved_on")
    search_fields = ("lot__name", "reason", "lot__donation__receipt_number")
    list_select_related = ("lot", "project", "activity", "by")
    date_hierarchy = "moved_on"

    @admin.display(description=_("change"), ordering="change")
    def change_display(self, obj):
        sign = "+" if obj.change > 0 else ""
        return f"{sign}{_quantity(obj.change)} {obj.lot.unit}"

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]
