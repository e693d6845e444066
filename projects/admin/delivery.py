"""A project's work under way: assistance, activities, progress updates and the evaluation."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.staff_admin import messages_of
from stations.admin import ScopedAdminMixin

from .. import rules, selectors, services
from ..models import (
    AssistanceRecord,
    Evaluation,
    IndicatorResult,
    OutcomeIndicator,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ServiceActivity,
)
from .common import StaffChoicesMixin

# --- assistance, activities, updates, evaluation -----------------------------------------------


@admin.register(AssistanceRecord)
class AssistanceRecordAdmin(StaffChoicesMixin, ScopedAdminMixin, admin.ModelAdmin):
    user_fields = ("staff",)
    list_display = ("date", "project", "beneficiary", "kind", "amount", "description", "staff")
    list_filter = ("kind", "project__station", "project", "date")
    search_fields = ("project__title", "beneficiary__name", "description")
    list_select_related = ("project", "beneficiary", "staff")
    autocomplete_fields = ("beneficiary",)
    date_hierarchy = "date"

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("staff", request.user.pk)
        initial.setdefault("date", timezone.localdate())
        return initial

    def has_change_permission(self, request, obj=None):
        return False if obj is not None else super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        services.record_assistance(
            project=obj.project,
            beneficiary=obj.beneficiary,
            by=request.user,
            date=obj.date,
            kind=obj.kind,
            amount=obj.amount,
            description=obj.description,
            staff=obj.staff,
        )


@admin.register(ServiceActivity)
class ServiceActivityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("date", "project", "place", "participants", "status")
    list_filter = ("status", "project__station", "project")
    search_fields = ("place", "description", "project__title")
    list_select_related = ("project",)
    actions = ["mark_done", "mark_cancelled"]

    @admin.action(description=_("Mark as done"), permissions=["change"])
    def mark_done(self, request, queryset):
        for activity in queryset.select_related("project__station"):
            services.finish_activity(activity=activity, by=request.user)
        self.message_user(request, gettext("Marked as done."), messages.SUCCESS)

    @admin.action(description=_("Mark as cancelled"), permissions=["change"])
    def mark_cancelled(self, request, queryset):
        for activity in queryset.select_related("project__station"):
            services.finish_activity(activity=activity, by=request.user, cancelled=True)
        self.message_user(request, gettext("Marked as cancelled."), messages.SUCCESS)


class ProgressPhotoInline(admin.TabularInline):
    model = ProgressPhoto
    extra = 1


class ProgressUpdateForm(forms.ModelForm):
    class Meta:
        model = ProgressUpdate
        fields = ["project", "title", "body"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        project = cleaned.get("project")
        if (
            project
            and self.instance.pk is None
            and project.status
            not in (
                *rules.RUNNING_STATUSES,
                Project.Status.CLOSED,
                Project.Status.EVALUATED,
            )
        ):
            raise ValidationError(
                gettext(
                    "Progress updates are published once the project is approved for fundraising."
                )
            )
        return cleaned


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = ProgressUpdateForm
    list_display = ("title", "project", "published_at", "author")
    list_filter = ("project__station", "project", "published_at")
    search_fields = ("title", "body", "project__title")
    list_select_related = ("project", "author")
    inlines = [ProgressPhotoInline]
    readonly_fields = ("author", "published_at")

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        # Photos come with the inline below; the service publishes the text and clears the flag.
        saved = services.publish_progress_update(
            project=obj.project, by=request.user, title=obj.title, body=obj.body
        )
        obj.pk, obj.author, obj.published_at = saved.pk, saved.author, saved.published_at
        obj._state.adding = False


class IndicatorResultInline(admin.TabularInline):
    model = IndicatorResult
    extra = 0
    min_num = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "indicator":
            from stations.scoping import scope_queryset

            kwargs["queryset"] = scope_queryset(
                OutcomeIndicator.objects.filter(project__status=Project.Status.CLOSED),
                request.user,
            ).select_related("project")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = Evaluation
        fields = ["project", "narrative", "satisfaction_percent", "satisfaction_respondents"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self):
        cleaned = super().clean()
        project = cleaned.get("project")
        if project is not None and self.request is not None:
            try:
                services.check_can_evaluate(project=project, by=self.request.user)
            except (ValidationError, PermissionDenied) as error:
                raise ValidationError(messages_of(error)) from None
        return cleaned


@admin.register(Evaluation)
class EvaluationAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = EvaluationForm
    list_display = ("project", "beneficiaries_served", "satisfaction_percent", "evaluated_by")
    list_filter = ("project__station",)
    search_fields = ("project__title", "narrative")
    list_select_related = ("project", "evaluated_by")
    readonly_fields = ("beneficiaries_served", "evaluated_by")
    inlines = [IndicatorResultInline]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class RequestForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        return RequestForm

    def save_model(self, request, obj, form, change):
        obj.evaluated_by = request.user
        obj.beneficiaries_served = selectors.beneficiaries_served_count(project=obj.project)
        super().save_model(request, obj, form, change)
