from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from stations.admin import ScopedAdminMixin

from .models import Campaign, CampaignShare, Fund, HostCharity, LedgerEntry


@admin.register(HostCharity)
class HostCharityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "credit_code", "has_public_fundraising_qualification")
    list_filter = ("kind", "has_public_fundraising_qualification")
    search_fields = ("name", "credit_code")


@admin.register(Fund)
class FundAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "station", "host", "status", "founded_on")
    list_filter = ("status", "host")
    search_fields = ("name", "code", "station__name")
    list_select_related = ("station", "host")


class CampaignShareInline(ScopedAdminMixin, admin.TabularInline):
    model = CampaignShare
    extra = 1


@admin.register(Campaign)
class CampaignAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "lead_fund", "goal", "starts_on", "ends_on", "status")
    list_filter = ("status", "host")
    search_fields = ("title", "code", "filing_number")
    list_select_related = ("lead_fund",)
    inlines = [CampaignShareInline]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: entries are posted by services and never changed."""

    list_display = ("posted_at", "fund", "kind", "amount", "project", "public_name", "memo")
    list_filter = ("kind", "fund")
    search_fields = ("memo", "public_name", "source_id")
    date_hierarchy = "posted_at"
    list_select_related = ("fund", "project")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("restricted"))
    def restricted(self, obj):
        return obj.project_id is not None
