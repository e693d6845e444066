from django.contrib import admin
from django.http import Http404
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .models import StaffMembership, Station
from .scoping import scope_queryset, station_lookup_for
from .services import add_staff_member, remove_staff_member

admin.site.site_header = _("Social Work and Charity Station Platform")
admin.site.site_title = _("Station platform")
admin.site.index_title = _("Station administration")


class ScopedAdminMixin:
    """Admin pages show only rows at the user's stations.

    Lists, change pages (404 outside the scope, not a redirect that confirms the row exists)
    and the choices of every foreign key to a scoped model all go through ``scope_queryset``.
    """

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), request.user)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(gettext("No such record, or it is not in your stations."))
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if station_lookup_for(related) is not None and "queryset" not in kwargs:
            kwargs["queryset"] = scope_queryset(related._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.related_model
        if station_lookup_for(related) is not None and "queryset" not in kwargs:
            kwargs["queryset"] = scope_queryset(related._default_manager.all(), request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    fields = ("user", "role", "created_at")
    readonly_fields = ("created_at",)
    raw_id_fields = ("user",)

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(Station)
class StationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "tree_name",
        "level",
        "parent",
        "services_display",
        "contact_phone",
        "is_active",
    )
    list_filter = (
        "level",
        "is_active",
        "offers_donation_point",
        "offers_volunteer_service",
        "offers_assistance",
    )
    search_fields = ("name", "code", "division_code", "address")
    list_select_related = ("parent",)
    list_per_page = 100
    ordering = ("path",)
    inlines = [StaffMembershipInline]
    fieldsets = (
        (None, {"fields": ("name", "level", "parent", "code", "is_active")}),
        (_("Contact"), {"fields": ("division_code", "address", "contact_phone")}),
        (
            _("Services offered"),
            {"fields": ("offers_donation_point", "offers_volunteer_service", "offers_assistance")},
        ),
    )

    @admin.display(description=_("name"), ordering="path")
    def tree_name(self, obj: Station) -> str:
        return format_html(
            '<span style="padding-left:{}em">{}{}</span>',
            obj.depth * 1.5,
            "└ " if obj.depth else "",
            obj.name,
        )

    @admin.display(description=_("services"))
    def services_display(self, obj: Station) -> str:
        labels = {
            "donation_point": _("donation point"),
            "volunteer_service": _("volunteer service"),
            "assistance": _("assistance"),
        }
        return "、".join(str(labels[key]) for key in obj.services) or "—"

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        # A director edits their own top station but cannot move it out of their network.
        if (
            obj is not None
            and not request.user.is_superuser
            and (
                obj.parent_id is None
                or not self.get_queryset(request).filter(pk=obj.parent_id).exists()
            )
        ):
            readonly += ["parent", "level"]
        return readonly

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "parent" and not request.user.is_superuser:
            field.required = True
        return field


@admin.register(StaffMembership)
class StaffMembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "station", "role", "created_at")
    list_filter = ("role",)
    search_fields = ("user__username", "user__first_name", "user__last_name", "station__name")
    list_select_related = ("user", "station")
    raw_id_fields = ("user",)

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            add_staff_member(station=obj.station, user=obj.user, role=obj.role, by=request.user)

    def delete_model(self, request, obj):
        remove_staff_member(membership=obj, by=request.user)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("station", "user"):
            remove_staff_member(membership=membership, by=request.user)
