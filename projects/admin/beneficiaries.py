"""Beneficiaries: protected data masked unless revealed (and logged), and the access log."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.staff_admin import ReadOnlyAdminMixin, messages_of
from stations.admin import ScopedAdminMixin

from .. import exports, personal_data, selectors, services
from ..models import (
    Beneficiary,
    BeneficiaryCategory,
    BeneficiaryViewLog,
)
from .common import StaffChoicesMixin

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
                self.add_error(None, messages_of(error))


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
class BeneficiaryViewLogAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("viewed_at", "user", "action", "beneficiary")
    list_filter = ("action", "viewed_at")
    search_fields = ("user__username", "beneficiary__name")
    list_select_related = ("user", "beneficiary")
