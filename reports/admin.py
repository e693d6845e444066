"""Staff pages for reports: the list with progress, ad-hoc reports, downloads, publishing,
corrections and the disclosure calendar. Every page goes through the station scope."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.staff_admin import messages_of
from stations.admin import ScopedAdminMixin

from . import calendar, files, services
from .forms import AdHocReportForm, CorrectionForm
from .models import Report
from .registry import kind_choices
from .selectors import report_for


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kind_choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


class PublishedFilter(admin.SimpleListFilter):
    title = _("published")
    parameter_name = "published"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(published_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(published_at__isnull=True)
        return queryset


def progress_bar(report: Report) -> str:
    colour = {"failed": "#ba2121", "done": "#417505"}.get(report.status, "#b4232c")
    return format_html(
        '<div class="report-progress" role="progressbar" aria-valuenow="{}" aria-valuemin="0" '
        'aria-valuemax="100" style="width:10em;background:#e4e7eb;border-radius:4px;height:.9em">'
        '<div style="width:{}%;background:{};height:100%;border-radius:4px"></div></div>'
        "<small>{}% {}</small>",
        report.progress,
        report.progress,
        colour,
        report.progress,
        report.progress_step,
    )


@admin.register(Report)
class ReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "kind_display",
        "scope_display",
        "period_display",
        "version",
        "status",
        "progress_display",
        "created_at",
        "published_at",
    )
    list_filter = (KindFilter, "status", PublishedFilter, "scheduled")
    search_fields = ("station__name", "fund__name", "project__title", "host__name", "code")
    list_select_related = ("station", "fund", "project", "host")
    date_hierarchy = "created_at"
    change_form_template = "admin/reports/report/change_form.html"
    change_list_template = "admin/reports/report/change_list.html"
    fields = (
        "kind_display",
        "scope_display",
        "period_display",
        "version",
        "status",
        "progress_display",
        "error",
        "attempts",
        "requested_display",
        "created_at",
        "started_at",
        "finished_at",
        "published_at",
        "corrects",
        "correction_note",
    )
    readonly_fields = fields

    @admin.display(description=_("kind"), ordering="kind")
    def kind_display(self, obj: Report) -> str:
        return obj.kind_label

    @admin.display(description=_("scope"))
    def scope_display(self, obj: Report) -> str:
        return obj.scope_name

    @admin.display(description=_("period"), ordering="period_start")
    def period_display(self, obj: Report) -> str:
        return obj.period_label

    @admin.display(description=_("progress"))
    def progress_display(self, obj: Report) -> str:
        return progress_bar(obj)

    @admin.display(description=_("requested by"))
    def requested_display(self, obj: Report) -> str:
        if obj.scheduled:
            return gettext("the schedule")
        return str(obj.requested_by or "—")

    # Reports are produced, never edited: no change or delete through the admin.
    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:reports_report_adhoc")

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("ad-hoc/", view(self.adhoc_view), name="reports_report_adhoc"),
            path("calendar/", view(self.calendar_view), name="reports_report_calendar"),
            path(
                "<int:pk>/download/<str:fmt>/",
                view(self.download_view),
                name="reports_report_download",
            ),
            path("<int:pk>/publish/", view(self.publish_view), name="reports_report_publish"),
            path("<int:pk>/correct/", view(self.correct_view), name="reports_report_correct"),
            *super().get_urls(),
        ]

    def _report(self, request, pk: int) -> Report:
        if not self.has_view_permission(request):
            raise Http404
        try:
            return report_for(request.user, pk=pk)
        except Report.DoesNotExist:
            raise Http404(gettext("No such record, or it is not in your stations.")) from None

    def _context(self, request, **extra):
        return {**self.admin_site.each_context(request), "opts": self.model._meta, **extra}

    def adhoc_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AdHocReportForm(request.POST or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                report = services.request_report(by=request.user, **form.cleaned_data)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                if report.is_published:
                    messages.info(
                        request,
                        gettext(
                            "This report is published and never changes; to change it, "
                            "publish a correction."
                        ),
                    )
                else:
                    messages.success(request, gettext("The report is queued; progress below."))
                return redirect("admin:reports_report_change", report.pk)
        return TemplateResponse(
            request,
            "admin/reports/report/adhoc.html",
            self._context(request, form=form, title=gettext("Ad-hoc report")),
        )

    def download_view(self, request, pk: int, fmt: str):
        report = self._report(request, pk)
        return _file_response(report, fmt)

    def publish_view(self, request, pk: int):
        report = self._report(request, pk)
        if request.method != "POST":
            return redirect("admin:reports_report_change", pk)
        try:
            services.publish_report(report=report, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, messages_of(error))
        else:
            messages.success(request, gettext("Published on the public disclosure page."))
        return redirect("admin:reports_report_change", pk)

    def correct_view(self, request, pk: int):
        report = self._report(request, pk)
        form = CorrectionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                correction = services.correct_report(
                    report=report, by=request.user, note=form.cleaned_data["note"]
                )
            except (ValidationError, PermissionDenied) as error:
                messages.error(request, messages_of(error))
            else:
                messages.success(
                    request, gettext("The corrected version is queued; publish it when done.")
                )
                return redirect("admin:reports_report_change", correction.pk)
        return TemplateResponse(
            request,
            "admin/reports/report/correct.html",
            self._context(request, form=form, report=report, title=gettext("Publish a correction")),
        )

    def calendar_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        items = calendar.due_and_overdue(user=request.user)
        return TemplateResponse(
            request,
            "admin/reports/report/calendar.html",
            self._context(request, items=items, title=gettext("Disclosure calendar")),
        )

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "disclosures_due": calendar.due_and_overdue(user=request.user),
            "refresh": self.get_queryset(request)
            .filter(status__in=[Report.Status.QUEUED, Report.Status.RUNNING])
            .exists(),
        }
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        report = self._report(request, object_id) if str(object_id).isdigit() else None
        if report is None:
            raise Http404
        extra_context = {
            **(extra_context or {}),
            "report": report,
            "formats": [fmt for fmt in Report.FORMATS if report.status == Report.Status.DONE],
            "may_publish": report.kind_spec.disclosure
            and report.status == Report.Status.DONE
            and not report.is_published,
            "may_correct": report.is_published,
            "refresh": report.status in (Report.Status.QUEUED, Report.Status.RUNNING),
            "progress": progress_bar(report),
        }
        return super().change_view(request, object_id, form_url, extra_context)


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _file_response(report: Report, fmt: str) -> FileResponse:
    if fmt not in Report.FORMATS or report.status != Report.Status.DONE:
        raise Http404
    path = files.absolute(report.file_path(fmt))
    if not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=report.download_name(fmt))
