"""Needs assessments with their needs and attachments."""

from django.contrib import admin

from stations.admin import ScopedAdminMixin

from ..models import (
    AssessedNeed,
    AssessmentAttachment,
    NeedsAssessment,
)

# --- needs assessments -------------------------------------------------------------------------


class AssessedNeedInline(admin.TabularInline):
    model = AssessedNeed
    extra = 1


class AssessmentAttachmentInline(admin.TabularInline):
    model = AssessmentAttachment
    extra = 0


@admin.register(NeedsAssessment)
class NeedsAssessmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "station", "method", "date", "respondents_count")
    list_filter = ("station", "method", "date", "needs__category", "needs__priority")
    search_fields = ("title", "findings", "respondents")
    list_select_related = ("station",)
    date_hierarchy = "date"
    inlines = [AssessedNeedInline, AssessmentAttachmentInline]
    readonly_fields = ("recorded_by", "created_at")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
