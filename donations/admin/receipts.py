"""Receipts: download, void, reissue."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.staff_admin import ReadOnlyAdminMixin, ask_then_act
from funds.money import format_yuan
from stations.admin import ScopedAdminMixin

from .. import services
from ..models import Receipt
from .donations import ReasonForm

# --- receipts --------------------------------------------------------------------------------


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
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
        return ask_then_act(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=gettext("Void receipts"),
            act=lambda receipt, data: services.void_receipt(
                receipt=receipt, by=request.user, reason=data["reason"]
            ),
            done=lambda count: gettext("%(count)d receipts voided.") % {"count": count},
            refused=lambda receipt, why: f"{receipt.number}：{why}",
        )

    @admin.action(
        description=_("Reissue the selected receipts under new numbers"), permissions=["void"]
    )
    def reissue_selected(self, request, queryset):
        def reissue(receipt, data):
            new = services.reissue_receipt(receipt=receipt, by=request.user, reason=data["reason"])
            return gettext("%(old)s reissued as %(new)s.") % {
                "old": receipt.number,
                "new": new.number,
            }

        return ask_then_act(
            self,
            request,
            queryset,
            form_class=ReasonForm,
            title=gettext("Reissue receipts"),
            act=reissue,
            refused=lambda receipt, why: f"{receipt.number}：{why}",
        )
