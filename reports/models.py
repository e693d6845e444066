from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from stations.models import Station, new_public_code
from stations.scoping import scoped_by


class ReportQuerySet(models.QuerySet):
    def published(self) -> "ReportQuerySet":
        return self.filter(published_at__isnull=False)


@scoped_by("station")
class Report(models.Model):
    """One produced report: a kind (see ``reports.registry``), a scope, a period, a version.

    The scope is a station (with everything below it), a fund, a project or a host charity;
    ``station`` is always set (the fund's or project's own station; for a host, the station
    above all the host's funds), so staff see reports of their stations only.
    ``(kind, scope, period, version)`` is unique: a scheduled job that runs twice makes one row.
    A published report never changes; a correction is a new version with a correction note.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    FORMATS = ("pdf", "xlsx", "csv")

    code = models.SlugField(_("public code"), max_length=32, unique=True, default=new_public_code)
    kind = models.CharField(_("kind"), max_length=64)
    station = models.ForeignKey(
        Station, verbose_name=_("station"), on_delete=models.PROTECT, related_name="reports"
    )
    fund = models.ForeignKey(
        "funds.Fund",
        verbose_name=_("fund"),
        on_delete=models.PROTECT,
        related_name="reports",
        null=True,
        blank=True,
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        related_name="reports",
        null=True,
        blank=True,
    )
    host = models.ForeignKey(
        "funds.HostCharity",
        verbose_name=_("host charity"),
        on_delete=models.PROTECT,
        related_name="reports",
        null=True,
        blank=True,
    )
    # "station:<id>", "fund:<id>", "project:<id>" or "host:<id>": one column for the uniqueness
    # of (kind, scope, period, version).
    scope_key = models.CharField(max_length=40, editable=False)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
    )
    correction_note = models.TextField(_("correction note"), blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    progress_step = models.CharField(_("step"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True, editable=False)

    scheduled = models.BooleanField(_("by schedule"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    # Paths relative to settings.REPORTS_FILES_DIR; set together, only when every file is whole.
    pdf_path = models.CharField(max_length=255, blank=True, editable=False)
    xlsx_path = models.CharField(max_length=255, blank=True, editable=False)
    csv_path = models.CharField(max_length=255, blank=True, editable=False)

    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-created_at", "-pk"]
        permissions = [("publish_report", _("Can publish disclosure reports"))]
        indexes = [
            models.Index(fields=["status", "created_at"], name="report_status_created_idx"),
            models.Index(fields=["published_at"], name="report_published_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "scope_key", "period_start", "period_end", "version"],
                name="report_one_per_kind_scope_period_version",
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="report_period_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_progress_percent"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="report_version_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(fund__isnull=True, project__isnull=True)
                | models.Q(fund__isnull=True, host__isnull=True)
                | models.Q(project__isnull=True, host__isnull=True),
                name="report_one_scope_subject",
            ),
            models.CheckConstraint(
                condition=models.Q(published_at__isnull=True) | models.Q(status="done"),
                name="report_published_only_when_done",
            ),
            models.CheckConstraint(
                condition=models.Q(version=1) | ~models.Q(correction_note=""),
                name="report_correction_has_note",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="done")
                | (~models.Q(pdf_path="") & ~models.Q(xlsx_path="") & ~models.Q(csv_path="")),
                name="report_done_has_all_files",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind_label} · {self.scope_name} · {self.period_label} · v{self.version}"

    def save(self, *args, **kwargs) -> None:
        if getattr(self, "_published_in_db", False):
            raise ValidationError(
                _("A published report is never changed; publish a correction instead.")
            )
        self.scope_key = self.scope_key_for(
            station_id=self.station_id,
            fund_id=self.fund_id,
            project_id=self.project_id,
            host_id=self.host_id,
        )
        super().save(*args, **kwargs)
        self._published_in_db = self.published_at is not None

    def delete(self, *args, **kwargs):
        if self.published_at is not None:
            raise ValidationError(_("A published report is never deleted."))
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._published_in_db = instance.published_at is not None
        return instance

    @staticmethod
    def scope_key_for(
        *,
        station_id: int | None,
        fund_id: int | None = None,
        project_id: int | None = None,
        host_id: int | None = None,
    ) -> str:
        if fund_id:
            return f"fund:{fund_id}"
        if project_id:
            return f"project:{project_id}"
        if host_id:
            return f"host:{host_id}"
        return f"station:{station_id}"

    @property
    def kind_spec(self):
        from .registry import get_kind

        return get_kind(self.kind)

    @property
    def kind_label(self) -> str:
        try:
            return str(self.kind_spec.label)
        except LookupError:
            return self.kind

    @property
    def scope_name(self) -> str:
        if self.fund_id:
            return self.fund.name
        if self.project_id:
            return self.project.title
        if self.host_id:
            return self.host.name
        return self.station.name

    @property
    def subject_label(self) -> str:
        """What the scope is, for headings: fund, project, host charity or station."""
        if self.fund_id:
            return str(_("fund"))
        if self.project_id:
            return str(_("project"))
        if self.host_id:
            return str(_("host charity"))
        return str(_("station"))

    @property
    def period_label(self) -> str:
        from .periods import period_label

        return period_label(self.period_start, self.period_end)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    def file_path(self, fmt: str) -> str:
        if fmt not in self.FORMATS:
            raise LookupError(fmt)
        return getattr(self, f"{fmt}_path")

    def download_name(self, fmt: str) -> str:
        return f"{self.kind_label}-{self.scope_name}-{self.period_label}-v{self.version}.{fmt}"


# --- Roll-ups of donations and volunteer service (see reports/rollups.py) -------------------


class FigureChange(models.Model):
    """A change to a counted figure, written by Postgres triggers on donations and service
    records (migration 0005), consumed in id order by ``reports.rollups`` and then removed.

    ``figure``: ``donation`` (a confirmed, not refunded gift, counted at ``confirmed_at``),
    ``refund`` (a refunded gift, at ``refunded_at``) or ``service`` (verified volunteer
    service, at ``started_at``). ``count`` and ``amount`` are +1/+amount when a row starts to
    count and -1/-amount when it stops (status change, edit, deletion).
    """

    id = models.BigAutoField(primary_key=True)
    figure = models.CharField(max_length=16)
    fund = models.ForeignKey(
        "funds.Fund",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="+",
    )
    station = models.ForeignKey(
        Station, on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    channel = models.CharField(max_length=32, blank=True)
    at = models.DateTimeField()
    count = models.IntegerField()
    amount = models.DecimalField(max_digits=18, decimal_places=2)

    class Meta:
        verbose_name = _("figure change")
        verbose_name_plural = _("figure changes")

    def __str__(self) -> str:
        return f"{self.figure} {self.count:+} {self.amount:+}"


class DonationMonth(models.Model):
    """Money donations per fund (hence station), channel and month: confirmed gifts not
    refunded, by the month they were confirmed, and refunds by the month of the refund."""

    fund = models.ForeignKey("funds.Fund", on_delete=models.PROTECT, related_name="+")
    channel = models.CharField(max_length=32, blank=True)
    month = models.DateField(help_text="First day of the month, in TIME_ZONE.")
    donations = models.IntegerField(default=0)
    donated = models.DecimalField(max_digits=18, decimal_places=2, default=0)
    refunds = models.IntegerField(default=0)
    refunded = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("donation month")
        verbose_name_plural = _("donation months")
        constraints = [
            models.UniqueConstraint(fields=["fund", "channel", "month"], name="donation_month_key")
        ]

    def __str__(self) -> str:
        return f"{self.fund_id} {self.channel} {self.month:%Y-%m}"


class ServiceMonth(models.Model):
    """Verified volunteer service per station served and month (by ``started_at``)."""

    station = models.ForeignKey(Station, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(help_text="First day of the month, in TIME_ZONE.")
    records = models.IntegerField(default=0)
    hours = models.DecimalField(max_digits=18, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("service month")
        verbose_name_plural = _("service months")
        constraints = [
            models.UniqueConstraint(fields=["station", "month"], name="service_month_key")
        ]

    def __str__(self) -> str:
        return f"{self.station_id} {self.month:%Y-%m}"
