from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.staff_admin import ReadOnlyAdminMixin
from stations.admin import ScopedAdminMixin

from . import services
from .models import (
    Campaign,
    CampaignShare,
    Committee,
    CommitteeMember,
    DisbursementEvent,
    DisbursementRequest,
    Fund,
    HostCharity,
    LedgerEntry,
    Vote,
)
from .selectors import composition_problems, funds_for_requests


@admin.register(HostCharity)
class HostCharityAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "credit_code", "has_public_fundraising_qualification")
    list_filter = ("kind", "has_public_fundraising_qualification")
    search_fields = ("name", "credit_code")


def _warn_about_composition(request, fund: Fund) -> None:
    for problem in composition_problems(fund):
        messages.warning(request, gettext("Committee: %(problem)s") % {"problem": problem})


@admin.register(Fund)
class FundAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "station", "host", "status", "founded_on")
    list_filter = ("status", "host")
    search_fields = ("name", "code", "station__name")
    list_select_related = ("station", "host")

    def change_view(self, request, object_id, form_url="", extra_context=None):
        fund = self.get_object(request, object_id)
        if request.method == "GET":
            _warn_about_composition(request, fund)
        return super().change_view(request, object_id, form_url, extra_context)


class CommitteeMemberInline(ScopedAdminMixin, admin.TabularInline):
    model = CommitteeMember
    extra = 1
    fields = (
        "name", "user", "email", "role", "term_start", "term_end", "tied_projects",
        "tied_payees",
    )  # fmt: skip
    raw_id_fields = ("user",)
    autocomplete_fields = ()


@admin.register(Committee)
class CommitteeAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """The committee and its members; a warning stays on the page while the rule is broken."""

    list_display = ("fund", "composition")
    list_select_related = ("fund",)
    search_fields = ("fund__name", "members__name")
    readonly_fields = ("composition",)
    inlines = [CommitteeMemberInline]

    def get_queryset(self, request):
        # The seats come with the page, for every row's composition at once.
        members = Prefetch("members", CommitteeMember.objects.order_by("role", "name"), "seats")
        return super().get_queryset(request).prefetch_related(members)

    @admin.display(description=_("composition"))
    def composition(self, obj: Committee) -> str:
        if obj.pk is None:
            return "—"
        problems = composition_problems(obj.fund, members=getattr(obj, "seats", None))
        if not problems:
            return gettext("Complete: voting may go on.")
        return format_html_join(" ", "⚠ {}", ((p,) for p in problems))

    def get_readonly_fields(self, request, obj=None):
        return ("fund", "composition") if obj else ("composition",)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        committee = self.get_object(request, object_id)
        if request.method == "GET":
            _warn_about_composition(request, committee.fund)
        return super().change_view(request, object_id, form_url, extra_context)


class CampaignSharesFormSet(forms.BaseInlineFormSet):
    """A draft's shares add up to exactly 100 % on every save (the database checks it again
    at commit)."""

    def clean(self):
        super().clean()
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        if kept:
            try:
                services.check_shares_add_up(
                    data["percent"] for data in kept if data.get("percent")
                )
            except ValidationError as error:
                raise ValidationError(error.messages) from None


class CampaignShareInline(ScopedAdminMixin, admin.TabularInline):
    model = CampaignShare
    formset = CampaignSharesFormSet
    extra = 1

    # Donors gave under a public campaign's split: its shares are shown, never changed.
    def has_add_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return _is_draft(obj) and super().has_delete_permission(request, obj)


def _is_draft(campaign) -> bool:
    return campaign is None or campaign.status == Campaign.Status.DRAFT


@admin.register(Campaign)
class CampaignAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "lead_fund", "goal", "starts_on", "ends_on", "status")
    list_filter = ("status", "host")
    search_fields = ("title", "code", "filing_number")
    list_select_related = ("lead_fund",)
    inlines = [CampaignShareInline]
    actions = ["publish"]

    def get_readonly_fields(self, request, obj=None):
        # A public campaign's goal and status are what donors saw: changed only by services.
        readonly = ["status"]
        if obj is not None and obj.status != Campaign.Status.DRAFT:
            readonly += ["goal", "filing_number", "host", "lead_fund"]
        return readonly

    @admin.action(description=_("Make the selected campaigns public"), permissions=["change"])
    def publish(self, request, queryset):
        for campaign in queryset:
            try:
                services.publish_campaign(campaign=campaign, by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, f"{campaign}: {message}")
            else:
                messages.success(
                    request, gettext("%(campaign)s is public.") % {"campaign": campaign}
                )


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: entries are posted by services and never changed."""

    list_display = ("posted_at", "fund", "kind", "amount", "project", "public_name", "memo")
    list_filter = ("kind", "fund")
    search_fields = ("memo", "public_name", "source_id")
    date_hierarchy = "posted_at"
    list_select_related = ("fund", "project")

    @admin.display(description=_("restricted"))
    def restricted(self, obj):
        return obj.project_id is not None


# --- Disbursement requests ------------------------------------------------------------------


class DisbursementRequestForm(forms.ModelForm):
    """A new request; the service's checks run in ``clean`` so errors show on the form."""

    class Meta:
        model = DisbursementRequest
        fields = [
            "fund", "project", "budget_line", "amount", "purpose", "payee",
            "is_administrative", "quote_file",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                services.check_disbursement_request(
                    fund=data["fund"], project=data["project"], amount=data["amount"],
                    purpose=data.get("purpose", ""), payee=data.get("payee", ""),
                    by=self.user, budget_line=data.get("budget_line"),
                )  # fmt: skip
            except ValidationError as error:
                self.add_error(None, error)
            except PermissionDenied as error:
                self.add_error(None, str(error))
        return data


class VoteInline(admin.TabularInline):
    model = Vote
    extra = 0
    fields = ("member", "choice", "comment", "recorded_by", "cast_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class DisbursementEventInline(VoteInline):
    model = DisbursementEvent
    fields = ("status", "by", "note", "at")
    readonly_fields = fields


@admin.register(DisbursementRequest)
class DisbursementRequestAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Requests are made here; voting happens on the committee dashboard, the host's review
    and the payment on their own pages (``review/``, ``pay/``, ``reconcile/``)."""

    form = DisbursementRequestForm
    list_display = ("project", "fund", "amount", "payee", "status", "created_at", "next_step")
    list_filter = ("status", "is_administrative", "fund")
    search_fields = ("purpose", "payee", "project__title", "code")
    date_hierarchy = "created_at"
    list_select_related = ("project", "fund")
    inlines = [VoteInline, DisbursementEventInline]
    actions = ["submit"]
    readonly_after_creation = (
        "fund", "project", "budget_line", "amount", "payee", "is_administrative",
    )  # fmt: skip
    decision_fields = (
        "code", "status", "requested_by", "submitted_at", "decided_at", "decided_by_chair_alone",
        "minutes", "supervisor_opinion", "host_reviewed_by", "host_reviewed_at",
        "host_review_note", "paid_by", "paid_at", "invoice_file", "reconciled_at", "debits",
    )  # fmt: skip

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        form.user = request.user
        return form

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "fund":
            kwargs["queryset"] = funds_for_requests(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_fields(self, request, obj=None):
        fields = list(DisbursementRequestForm.Meta.fields)
        return fields + list(self.decision_fields) if obj else fields

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        if obj.status != DisbursementRequest.Status.DRAFT:
            return (*DisbursementRequestForm.Meta.fields, *self.decision_fields)
        return (*self.readonly_after_creation, *self.decision_fields)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if change:
            obj.save(update_fields=["purpose", "quote_file"])
            return
        data = form.cleaned_data
        created = services.request_disbursement(
            fund=data["fund"], project=data["project"], amount=data["amount"],
            purpose=data["purpose"], payee=data["payee"], by=request.user,
            budget_line=data.get("budget_line"), is_administrative=data["is_administrative"],
            quote_file=data.get("quote_file"),
        )  # fmt: skip
        # The admin goes on with the object it passed in ("save and continue editing" opens
        # its change page): that object becomes the created request.
        obj.pk = created.pk
        obj.refresh_from_db()
        obj._state.adding = False

    def get_inlines(self, request, obj):
        return self.inlines if obj else []  # votes and history are written by services only

    @admin.display(description=_("paid by ledger entries"))
    def debits(self, obj):
        from .selectors import paid_entries_of

        return ", ".join(f"#{e.pk} {e.amount}" for e in paid_entries_of(obj)) or "—"

    @admin.display(description=_("next step"))
    def next_step(self, obj):
        Status = DisbursementRequest.Status
        steps = {
            Status.APPROVED: ("review", _("Host review")),
            Status.HOST_REVIEWED: ("pay", _("Pay")),
            Status.PAID: ("reconcile", _("Attach invoice")),
        }
        if obj.status in (Status.VOTING, Status.SUBMITTED):
            return format_html(
                '<a href="{}">{}</a>',
                reverse("funds:dashboard", args=[obj.fund.code]),
                gettext("Committee dashboard"),
            )
        if obj.status not in steps:
            return "—"
        name, label = steps[obj.status]
        return format_html(
            '<a class="button" href="{}">{}</a>',
            reverse(f"admin:funds_disbursementrequest_{name}", args=[obj.pk]),
            label,
        )

    @admin.action(description=_("Submit the selected drafts to the committee"))
    def submit(self, request, queryset):
        for item in queryset:
            try:
                services.submit_disbursement(request=item, by=request.user)
            except (ValidationError, PermissionDenied) as error:
                for message in getattr(error, "messages", [str(error)]):
                    messages.error(request, f"{item}: {message}")
            else:
                messages.success(request, gettext("%(item)s submitted.") % {"item": item})

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/review/", view(self.review_view), name="funds_disbursementrequest_review"
            ),
            path("<int:pk>/pay/", view(self.pay_view), name="funds_disbursementrequest_pay"),
            path(
                "<int:pk>/reconcile/",
                view(self.reconcile_view),
                name="funds_disbursementrequest_reconcile",
            ),
            *super().get_urls(),
        ]

    def _step_page(self, request, pk, *, permission, title, run, form_class=None):
        if not request.user.has_perm(permission):
            raise PermissionDenied
        obj = self.get_queryset(request).filter(pk=pk).first()
        if obj is None:
            raise Http404(gettext("No such record, or it is not in your stations."))
        form = form_class(request.POST or None, request.FILES or None) if form_class else None
        if request.method == "POST" and (form is None or form.is_valid()):
            try:
                run(obj, form.cleaned_data if form else {})
            except (ValidationError, PermissionDenied) as error:
                for message in getattr(error, "messages", [str(error)]):
                    messages.error(request, message)
            else:
                messages.success(request, gettext("Done: %(item)s") % {"item": obj})
                return redirect("admin:funds_disbursementrequest_change", obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "original": obj,
            "form": form,
            "votes": obj.votes.select_related("member"),
        }
        return TemplateResponse(request, "admin/funds/disbursement_step.html", context)

    def review_view(self, request, pk):
        return self._step_page(
            request, pk, permission="funds.review_disbursementrequest",
            title=gettext("Host review"), form_class=ReviewForm,
            run=lambda obj, data: services.review_disbursement(
                request=obj, by=request.user, approve=data["decision"] == "approve",
                note=data["note"],
            ),
        )  # fmt: skip

    def pay_view(self, request, pk):
        return self._step_page(
            request, pk, permission="funds.pay_disbursementrequest", title=gettext("Pay"),
            run=lambda obj, data: services.pay_disbursement(request=obj, by=request.user),
        )  # fmt: skip

    def reconcile_view(self, request, pk):
        return self._step_page(
            request, pk, permission="funds.pay_disbursementrequest",
            title=gettext("Attach invoice"), form_class=ReconcileForm,
            run=lambda obj, data: services.reconcile_disbursement(
                request=obj, by=request.user, invoice_file=data["invoice_file"]
            ),
        )  # fmt: skip


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("decision"),
        choices=[("approve", _("Pass on to payment")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class ReconcileForm(forms.Form):
    invoice_file = forms.FileField(label=_("invoice"))
