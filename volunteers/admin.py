"""The coordinators' admin: review registrations, run opportunities and shifts, verify hours.

Every list is scoped to the user's stations (ScopedAdminMixin); status changes go through
services; phone and ID numbers appear masked.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.staff_admin import ReadOnlyAdminMixin, ask_then_act
from stations.admin import ScopedAdminMixin

from . import services
from .forms import CorrectHoursForm, RejectForm
from .models import (
    Availability,
    Certificate,
    Opportunity,
    ServiceRecord,
    Shift,
    Signup,
    Skill,
    Volunteer,
)
from .selectors import star_level


def _report(request, done: int, errors: list[str]) -> None:
    if done:
        messages.success(request, gettext("%(n)s done.") % {"n": done})
    for error in errors:
        messages.error(request, error)


def _done(count: int) -> str:
    return gettext("%(n)s done.") % {"n": count}


# The model's checks name the consent times; the form asks for the consents as ticks.
CONSENT_FIELDS = {
    "privacy_consent_at": "privacy_consent",
    "guardian_consent_at": "guardian_consent",
    "guardian_data_consent_at": "guardian_data_consent",
}


class VolunteerAdminForm(forms.ModelForm):
    skills = forms.MultipleChoiceField(
        label=_("skills"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    availability = forms.MultipleChoiceField(
        label=_("availability"),
        choices=Availability.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    privacy_consent = forms.BooleanField(
        label=_("The volunteer agreed to the privacy notice (signed form on file)"),
        required=False,
    )
    guardian_consent = forms.BooleanField(
        label=_("The guardian agreed to the volunteering (signed form on file)"), required=False
    )
    guardian_data_consent = forms.BooleanField(
        label=_("The guardian agreed to processing the child's data (under 14)"), required=False
    )

    class Meta:
        model = Volunteer
        fields = [
            "real_name",
            "gender",
            "birth_date",
            "mobile",
            "email",
            "id_number",
            "home_station",
            "skills",
            "availability",
            "availability_note",
            "emergency_contact_name",
            "emergency_contact_phone",
            "guardian_name",
            "guardian_phone",
            "insurance_policy_number",
            "insurance_valid_until",
        ]

    def add_error(self, field, error):
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            error = ValidationError(
                {
                    CONSENT_FIELDS.get(name, name): errors
                    for name, errors in error.error_dict.items()
                }
            )
        super().add_error(CONSENT_FIELDS.get(field, field), error)

    def clean(self):
        cleaned = super().clean()
        # The model's own checks read the consent times, so set them before they run.
        now = timezone.now()
        instance = self.instance
        if instance.pk is None:
            if not cleaned.get("privacy_consent"):
                self.add_error(
                    "privacy_consent",
                    _("Please read and agree to the privacy notice to register."),
                )
            instance.privacy_consent_at = now
        if cleaned.get("guardian_consent") and not instance.guardian_consent_at:
            instance.guardian_consent_at = now
        if cleaned.get("guardian_data_consent") and not instance.guardian_data_consent_at:
            instance.guardian_data_consent_at = now
        return cleaned


@admin.register(Volunteer)
class VolunteerAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = VolunteerAdminForm
    list_display = (
        "number",
        "real_name",
        "gender",
        "age",
        "mobile_masked",
        "id_number_masked",
        "home_station",
        "status",
        "created_at",
    )
    list_filter = ("status", "gender")
    search_fields = ("number", "real_name", "mobile")
    list_select_related = ("home_station",)
    actions = ["approve", "reject"]
    readonly_fields = (
        "number",
        "id_number_masked",
        "status",
        "rejection_reason",
        "reviewed_by",
        "reviewed_at",
        "privacy_consent_at",
        "guardian_consent_at",
        "guardian_data_consent_at",
        "verified_hours",
        "created_at",
    )

    def get_fieldsets(self, request, obj=None):
        identity = ["real_name", "gender", "birth_date", "mobile", "email"]
        identity += ["id_number"] if obj is None else ["number", "id_number_masked"]
        consent = ["privacy_consent"] if obj is None else ["privacy_consent_at"]
        guardian = ["guardian_name", "guardian_phone", "guardian_consent", "guardian_data_consent"]
        if obj is not None:
            guardian += ["guardian_consent_at", "guardian_data_consent_at"]
        sets = [
            (None, {"fields": identity + ["home_station"]}),
            (_("Service"), {"fields": ["skills", "availability", "availability_note"]}),
            (
                _("Emergency contact and insurance"),
                {
                    "fields": [
                        "emergency_contact_name",
                        "emergency_contact_phone",
                        "insurance_policy_number",
                        "insurance_valid_until",
                    ]
                },
            ),
            (_("Consent"), {"fields": consent + guardian}),
        ]
        if obj is not None:
            sets.append(
                (
                    _("Review"),
                    {
                        "fields": [
                            "status",
                            "rejection_reason",
                            "reviewed_by",
                            "reviewed_at",
                            "verified_hours",
                            "created_at",
                        ]
                    },
                )
            )
        return sets

    @admin.display(description=_("mobile number"))
    def mobile_masked(self, obj: Volunteer) -> str:
        return obj.mobile_masked

    @admin.display(description=_("age"))
    def age(self, obj: Volunteer) -> int:
        return obj.age_on(timezone.localdate())

    @admin.display(description=_("verified hours"))
    def verified_hours(self, obj: Volunteer) -> str:
        from .selectors import hours_of

        hours = hours_of(obj).verified
        return f"{hours:.2f} {'★' * star_level(hours)}"

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        created = services.register_volunteer(
            by=request.user,
            **{
                name: data.get(name)
                for name in (
                    "real_name",
                    "gender",
                    "birth_date",
                    "mobile",
                    "home_station",
                    "emergency_contact_name",
                    "emergency_contact_phone",
                    "privacy_consent",
                    "skills",
                    "availability",
                    "guardian_consent",
                    "guardian_data_consent",
                    "insurance_valid_until",
                )
            },
            **{
                name: data.get(name) or ""
                for name in (
                    "id_number",
                    "email",
                    "availability_note",
                    "guardian_name",
                    "guardian_phone",
                    "insurance_policy_number",
                )
            },
        )
        obj.pk = created.pk
        obj.number = created.number

    @admin.action(description=_("Approve the selected registrations"), permissions=["change"])
    def approve(self, request, queryset):
        done = 0
        for volunteer in queryset:
            services.approve_volunteer(volunteer=volunteer, by=request.user)
            done += 1
        _report(request, done, [])

    @admin.action(
        description=_("Reject the selected registrations (with a reason)"), permissions=["change"]
    )
    def reject(self, request, queryset):
        return ask_then_act(
            self,
            request,
            queryset,
            form_class=RejectForm,
            title=gettext("Reject registrations"),
            done=_done,
            act=lambda volunteer, data: services.reject_volunteer(
                volunteer=volunteer, by=request.user, reason=data["reason"]
            ),
        )


class ShiftInline(admin.TabularInline):
    model = Shift
    extra = 1
    fields = ("starts_at", "ends_at", "capacity", "roster_link")
    readonly_fields = ("roster_link",)

    @admin.display(description=_("check-in page"))
    def roster_link(self, obj: Shift) -> str:
        if not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("volunteers:staff-roster", kwargs={"code": obj.code}),
            gettext("Open"),
        )


class OpportunityAdminForm(forms.ModelForm):
    skills_wanted = forms.MultipleChoiceField(
        label=_("skills wanted"),
        choices=Skill.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Opportunity
        fields = [
            "station",
            "project",
            "title",
            "description",
            "place",
            "skills_wanted",
            "minimum_age",
            "is_risky",
            "is_published",
            "code",
        ]


@admin.register(Opportunity)
class OpportunityAdmin(ScopedAdminMixin, admin.ModelAdmin):
    form = OpportunityAdminForm
    list_display = ("title", "station", "project", "minimum_age", "is_risky", "is_published")
    list_filter = ("is_published", "is_risky")
    search_fields = ("title", "place", "code")
    list_select_related = ("station", "project")
    inlines = [ShiftInline]
    fields = (
        "station",
        "project",
        "title",
        "description",
        "place",
        "skills_wanted",
        "minimum_age",
        "is_risky",
        "is_published",
        "code",
    )


@admin.register(Signup)
class SignupAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "volunteer",
        "shift",
        "status",
        "position",
        "checked_in_at",
        "checked_out_at",
    )
    list_filter = ("status",)
    search_fields = ("volunteer__real_name", "volunteer__number", "shift__opportunity__title")
    list_select_related = ("volunteer", "shift__opportunity")
    actions = ["cancel"]

    @admin.action(description=_("Cancel the selected sign-ups"), permissions=["view"])
    def cancel(self, request, queryset):
        done, errors = 0, []
        for signup in queryset:
            try:
                services.cancel_signup(signup=signup)
                done += 1
            except ValidationError as error:
                errors += [f"{signup}: {m}" for m in error.messages]
        _report(request, done, errors)


@admin.register(ServiceRecord)
class ServiceRecordAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "volunteer",
        "description",
        "station",
        "started_at",
        "ended_at",
        "hours",
        "reported_hours",
        "source",
        "status",
    )
    list_filter = ("status", "source")
    search_fields = ("volunteer__real_name", "volunteer__number", "description")
    list_select_related = ("volunteer", "station")
    date_hierarchy = "started_at"
    actions = ["verify", "correct", "reject"]
    readonly_fields = [field.name for field in ServiceRecord._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Verify the selected records"), permissions=["change"])
    def verify(self, request, queryset):
        done, errors = 0, []
        for record in queryset:
            try:
                services.verify_record(record=record, by=request.user)
                done += 1
            except ValidationError as error:
                errors += [f"{record}: {m}" for m in error.messages]
        _report(request, done, errors)

    @admin.action(
        description=_("Correct the hours and verify (with a reason)"), permissions=["change"]
    )
    def correct(self, request, queryset):
        return ask_then_act(
            self,
            request,
            queryset,
            form_class=CorrectHoursForm,
            title=gettext("Correct hours"),
            done=_done,
            act=lambda record, data: services.verify_record(
                record=record, by=request.user, hours=data["hours"], reason=data["reason"]
            ),
        )

    @admin.action(
        description=_("Reject the selected records (with a reason)"), permissions=["change"]
    )
    def reject(self, request, queryset):
        return ask_then_act(
            self,
            request,
            queryset,
            form_class=RejectForm,
            title=gettext("Reject records"),
            done=_done,
            act=lambda record, data: services.reject_record(
                record=record, by=request.user, reason=data["reason"]
            ),
        )


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "number",
        "volunteer",
        "station",
        "period_start",
        "period_end",
        "total_hours",
        "issued_at",
        "verify_link",
    )
    search_fields = ("number", "volunteer__real_name", "volunteer__number")
    list_select_related = ("volunteer", "station")

    @admin.display(description=_("verification page"))
    def verify_link(self, obj: Certificate) -> str:
        return format_html('<a href="{}">{}</a>', obj.get_verification_url(), gettext("Open"))
