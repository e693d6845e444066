"""Projects: the plan while it may change, the lifecycle's actions, the overdue filter."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.staff_admin import messages_of
from stations.admin import ScopedAdminMixin

from .. import rules, selectors, services
from ..models import (
    BudgetLine,
    OutcomeIndicator,
    Project,
)
from .common import StaffChoicesMixin

# --- projects ----------------------------------------------------------------------------------


class PlanningInlineMixin:
    """Budget lines and indicators change only while the project is designed or reviewed."""

    def _planning(self, obj) -> bool:
        return obj is None or obj.status in rules.PLANNING_STATUSES

    def has_add_permission(self, request, obj=None):
        return self._planning(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._planning(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._planning(obj) and super().has_delete_permission(request, obj)


class BudgetLineInline(PlanningInlineMixin, admin.TabularInline):
    model = BudgetLine
    extra = 1


class OutcomeIndicatorInline(PlanningInlineMixin, admin.TabularInline):
    model = OutcomeIndicator
    extra = 1


class OverdueFilter(admin.SimpleListFilter):
    title = _("progress update overdue")
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", _("Overdue")), ("no", _("Not overdue"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(disclosure_overdue_since__isnull=False)
        if self.value() == "no":
            return queryset.filter(disclosure_overdue_since__isnull=True)
        return queryset


def _transition_action(service, description):
    def action(modeladmin, request, queryset):
        done = 0
        for project in queryset.select_related("station"):
            try:
                service(project=project, by=request.user)
                done += 1
            except (ValidationError, PermissionDenied) as error:
                modeladmin.message_user(
                    request, f"{project.title}：{messages_of(error)}", messages.ERROR
                )
        if done:
            modeladmin.message_user(
                request,
                gettext("%(action)s: %(count)d project(s).")
                % {"action": description, "count": done},
                messages.SUCCESS,
            )

    action.__name__ = service.__name__
    return admin.action(description=description, permissions=["change"])(action)


@admin.register(Project)
class ProjectAdmin(StaffChoicesMixin, ScopedAdminMixin, admin.ModelAdmin):
    user_fields = ("lead", "team")
    list_display = (
        "title",
        "station",
        "kind",
        "category",
        "status",
        "lead",
        "start_date",
        "served",
        "overdue_display",
    )
    list_filter = ("status", "kind", "category", OverdueFilter, "station")
    search_fields = ("title", "code", "summary", "target_group")
    list_select_related = ("station", "lead")
    filter_horizontal = ("team", "assessments")
    inlines = [BudgetLineInline, OutcomeIndicatorInline]
    readonly_fields = (
        "status",
        "code",
        "approved_by",
        "approved_at",
        "last_public_update_at",
        "disclosure_overdue_since",
        "public_link",
    )
    fieldsets = (
        (None, {"fields": ("station", "title", "kind", "category", "status", "code")}),
        (
            _("Design"),
            {
                "fields": (
                    "assessments",
                    "summary",
                    "objectives",
                    "target_group",
                    "target_beneficiaries",
                    "fundraising_goal",
                )
            },
        ),
        (_("Implementation"), {"fields": ("start_date", "end_date", "lead", "team")}),
        (
            _("Approval and disclosure"),
            {
                "fields": (
                    "approved_by",
                    "approved_at",
                    "last_public_update_at",
                    "disclosure_overdue_since",
                    "public_link",
                )
            },
        ),
    )
    actions = [
        _transition_action(services.submit_for_review, _("Submit for review")),
        _transition_action(services.approve_project, _("Approve (director)")),
        _transition_action(services.return_to_design, _("Send back to design (director)")),
        _transition_action(services.start_project, _("Start the project")),
        _transition_action(services.reopen_fundraising, _("Raise money again")),
        _transition_action(services.close_project, _("Close the project")),
        _transition_action(services.complete_evaluation, _("Mark as evaluated")),
    ]

    def get_queryset(self, request):
        return selectors.with_beneficiaries_served(super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            readonly.append("station")
            if obj.status not in rules.PLANNING_STATUSES:
                readonly += sorted(rules.PLAN_FIELDS) + ["assessments"]
            if obj.status == Project.Status.EVALUATED:
                readonly += ["start_date", "end_date", "lead", "team"]
        return readonly

    @admin.display(description=_("beneficiaries served"), ordering="served_count")
    def served(self, obj):
        return obj.served_count

    @admin.display(description=_("progress update overdue"), boolean=True)
    def overdue_display(self, obj):
        return obj.disclosure_overdue_since is not None

    @admin.display(description=_("public page"))
    def public_link(self, obj):
        if obj.pk is None or not obj.is_public:
            return "—"
        return format_html('<a href="{0}" target="_blank">{0}</a>', obj.get_absolute_url())
