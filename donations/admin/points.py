"""Donation points (with their posters) and donors."""

from django.contrib import admin
from django.http import Http404, HttpResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.site import absolute_url
from funds.money import format_yuan
from stations.admin import ScopedAdminMixin
from stations.scoping import scope_queryset, visible_stations

from .. import selectors
from ..documents import poster_pdf
from ..models import Donation, DonationPoint, Donor
from ..targets import open_targets

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
