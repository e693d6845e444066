"""Staff's daily work on projects in the Chinese admin: scoped lists with the filters they use,
actions that call the services, masked personal data with a logged "show full" page."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stations.admin import ScopedAdminMixin

from . import exports, personal_data, rules, selectors, services
from .models import (
    AssessedNeed,
    AssessmentAttachment,
    AssistanceRecord,
    Beneficiary,
    BeneficiaryCategory,
    BeneficiaryViewLog,
    BudgetLine,
    Evaluation,
    IndicatorResult,
    NeedsAssessment,
    OutcomeIndicator,
    ProgressPhoto,
    ProgressUpdate,
    Project,
    ServiceActivity,
)


def _refusal(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


class StaffChoicesMixin:
    """Foreign keys and many-to-many fields to users offer only staff of the user's stations."""

    user_fields: tuple[str, ...] = ()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.user_fields:
            kwargs["queryset"] = selectors.staff_users_visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.user_fields:
            kwargs["queryset"] = selectors.staff_users_visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


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
                    request, f"{project.title}：{_refusal(error)}", messages.ERROR
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
                readonly += sorted(services._PLAN_FIELDS) + ["assessments"]
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


# --- beneficiaries -----------------------------------------------------------------------------


class BeneficiaryAdminForm(forms.ModelForm):
    """ID number and phone are typed into fields of their own: the stored full values are never
    put back into the page (the change page shows them masked)."""

    id_number = forms.CharField(
        label=_("resident ID number"),
        max_length=18,
        required=False,
        help_text=_("18 characters. On an existing record, leave empty to keep the number."),
    )
    phone_number = forms.CharField(
        label=_("phone"),
        max_length=32,
        required=False,
        help_text=_("On an existing record, leave empty to keep the number."),
    )
    category_list = forms.MultipleChoiceField(
        label=_("categories"),
        choices=BeneficiaryCategory.Category.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Beneficiary
        fields = [
            "station",
            "name",
            "address",
            "household_registration",
            "projects",
            "consent_date",
            "consent_method",
            "consent_recorded_by",
            "guardian_name",
            "guardian_relationship",
            "guardian_consent",
        ]

    FIELD_ALIASES = {"phone": "phone_number", "categories": "category_list"}

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        if self.instance.pk:
            self.initial["category_list"] = list(
                self.instance.categories.values_list("category", flat=True)
            )
            self.fields["phone_number"].help_text = gettext(
                "Current: %(masked)s. Leave empty to keep it."
            ) % {"masked": self.instance.phone_masked or "—"}
            self.fields["id_number"].help_text = gettext(
                "Current: %(masked)s. Leave empty to keep it."
            ) % {"masked": self.instance.id_number_masked}
        else:
            self.fields["id_number"].required = True

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        if self.cleaned_data.get("phone_number"):
            self.instance.phone = self.cleaned_data["phone_number"]
        try:
            services.validate_beneficiary(
                beneficiary=self.instance,
                by=self.request.user if self.request else None,
                id_number=self.cleaned_data.get("id_number") or None,
            )
        except (ValidationError, PermissionDenied) as error:
            if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    field = self.FIELD_ALIASES.get(field, field)
                    self.add_error(field if field in self.fields else None, errors)
            else:
                self.add_error(None, _refusal(error))


class BeneficiaryCategoryFilter(admin.SimpleListFilter):
    title = _("category")
    parameter_name = "category"

    def lookups(self, request, model_admin):
        return BeneficiaryCategory.Category.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(categories__category=self.value())
        return queryset


@admin.register(Beneficiary)
class BeneficiaryAdmin(StaffChoicesMixin, ScopedAdminMixin, admin.ModelAdmin):
    form = BeneficiaryAdminForm
    user_fields = ("consent_recorded_by",)
    list_display = (
        "name",
        "gender",
        "id_number_masked",
        "phone_display",
        "station",
        "category_display",
        "consent_date",
    )
    list_filter = (BeneficiaryCategoryFilter, "station", "gender", "projects")
    search_fields = ("name", "address")
    filter_horizontal = ("projects",)
    actions = ["export_xlsx"]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "station",
                    "name",
                    "id_number",
                    "phone_number",
                    "masked_summary",
                    "address",
                    "household_registration",
                    "category_list",
                    "projects",
                )
            },
        ),
        (
            _("Consent"),
            {
                "fields": (
                    "consent_date",
                    "consent_method",
                    "consent_recorded_by",
                    "guardian_name",
                    "guardian_relationship",
                    "guardian_consent",
                )
            },
        ),
    )
    readonly_fields = ("masked_summary",)

    def get_queryset(self, request):
        return selectors.beneficiaries_for_staff(super().get_queryset(request))

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change=change, **kwargs)

        class RequestForm(form_class):
            def __init__(self, *args, **kw):
                super().__init__(*args, request=request, **kw)

        return RequestForm

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("consent_recorded_by", request.user.pk)
        initial.setdefault("consent_date", timezone.localdate())
        return initial

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        term = personal_data.normalize_resident_id(search_term)
        # Exact ID number or phone: the ID is found by its keyed hash, never by decrypting.
        if len(term) == 18:
            queryset |= self.get_queryset(request).filter(
                id_number_hash=personal_data.id_number_hash(term)
            )
        elif term.isdigit() and len(term) >= 7:
            queryset |= self.get_queryset(request).filter(phone__endswith=term)
        return queryset, may_have_duplicates

    def save_model(self, request, obj, form, change):
        services.save_beneficiary(
            beneficiary=obj,
            by=request.user,
            id_number=form.cleaned_data.get("id_number") or None,
            categories=form.cleaned_data.get("category_list", []),
        )

    @admin.display(description=_("phone"))
    def phone_display(self, obj):
        return obj.phone_masked or "—"

    @admin.display(description=_("categories"))
    def category_display(self, obj):
        return "、".join(c.get_category_display() for c in obj.categories.all()) or "—"

    @admin.display(description=_("ID number and phone"))
    def masked_summary(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        url = reverse("admin:projects_beneficiary_personal_data", args=[obj.pk])
        return format_html(
            '{} · {} <a class="button" href="{}">{}</a><br><small>{}</small>',
            obj.id_number_masked,
            obj.phone_masked or "—",
            url,
            gettext("Show full"),
            gettext("Shown only to roles that need it; every view is logged."),
        )

    def get_urls(self):
        return [
            path(
                "<int:object_id>/personal-data/",
                self.admin_site.admin_view(self.personal_data_view),
                name="projects_beneficiary_personal_data",
            ),
            *super().get_urls(),
        ]

    def personal_data_view(self, request, object_id):
        beneficiary = self.get_object(request, str(object_id))  # 404 outside the scope
        if not self.has_view_permission(request, beneficiary):
            raise PermissionDenied
        full = services.reveal_personal_data(
            beneficiary=beneficiary, by=request.user, action=BeneficiaryViewLog.Action.VIEW
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Full ID number and phone"),
            "beneficiary": beneficiary,
            "full": full,
        }
        return render(request, "admin/projects/beneficiary_personal_data.html", context)

    @admin.action(description=_("Export to Excel"), permissions=["view"])
    def export_xlsx(self, request, queryset):
        content = exports.beneficiaries_xlsx(beneficiaries=queryset, by=request.user)
        response = HttpResponse(
            content,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = f"beneficiaries-{timezone.localdate():%Y%m%d}.xlsx"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response


@admin.register(BeneficiaryViewLog)
class BeneficiaryViewLogAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("viewed_at", "user", "action", "beneficiary")
    list_filter = ("action", "viewed_at")
    search_fields = ("user__username", "beneficiary__name")
    list_select_related = ("user", "beneficiary")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


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
                raise ValidationError(_refusal(error)) from None
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
