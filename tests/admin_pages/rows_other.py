"""Fifty rows of each changelist of the volunteers, the reports and the audit log."""

import datetime
import itertools
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tests.factories import Role
from tests.query_count_rows import (
    M,
    bulk,
    make_shifts,
    make_volunteers,
    new_opportunity,
    new_report,
    new_service_record,
    next_k,
)


def rows_of_volunteers(w, n):
    make_volunteers(w.community_a1, n, mixed=True)


def rows_of_opportunities(w, n):
    rows = [
        new_opportunity(
            w.community_a1,
            project=w.project() if i % 2 else None,
            minimum_age=16,
            is_published=i % 3 != 0,
        )
        for i in range(n)
    ]
    bulk("volunteers.Opportunity", rows)


def rows_of_signups(w, n):
    Signup = M("volunteers.Signup")
    shifts = w.once("shifts", lambda: make_shifts(w.opportunity(), 5, capacity=100))
    rows = [
        Signup(
            shift=shifts[i % 5],
            volunteer=volunteer,
            position=next_k(),
            status=("confirmed", "waitlisted")[i % 2],
        )
        for i, volunteer in enumerate(make_volunteers(w.community_a1, n, mixed=True))
    ]
    bulk("volunteers.Signup", rows)


def rows_of_service_records(w, n):
    volunteers = w.volunteers()
    coordinator = w.staff[Role.VOLUNTEER_COORDINATOR]
    rows = [
        # One record a day per volunteer: records of one volunteer never overlap.
        new_service_record(
            volunteers[i % 5],
            w.community_a1,
            timezone.now() - datetime.timedelta(days=next_k(), hours=1),
            created_by=coordinator,
        )
        for i in range(n)
    ]
    bulk("volunteers.ServiceRecord", rows)


def rows_of_certificates(w, n):
    Certificate = M("volunteers.Certificate")
    volunteers = w.volunteers()
    rows = [
        Certificate(
            volunteer=volunteers[i % 5],
            station=w.community_a1,
            number=f"ZS{next_k():010d}",
            period_start=datetime.date(2026, 1, 1),
            period_end=datetime.date(2026, 6, 30),
            total_hours=Decimal("12.5"),
            record_count=5,
            issued_by=w.staff[Role.VOLUNTEER_COORDINATOR],
        )
        for i in range(n)
    ]
    bulk("volunteers.Certificate", rows)


def rows_of_reports(w, n):
    rows = []
    for i in range(n):
        k = next_k()
        kind, subject = [
            ("station_monthly", {}),
            ("fund_quarterly_disclosure", {"fund": w.fund()}),
            ("project_progress_quarterly", {"project": w.project()}),
            ("host_annual_work_report", {"host": w.host()}),
        ][i % 4]
        station = w.community_a1 if "project" in subject else w.street_a
        done = i % 3 == 0
        files = {"pdf_path": "r.pdf", "xlsx_path": "r.xlsx", "csv_path": "r.csv"} if done else {}
        report = new_report(
            kind,
            station,
            datetime.date(2000 + k // 12, k % 12 + 1, 1),
            27,
            status="done" if done else "queued",
            progress=100 if done else 0,
            requested_by=w.staff[Role.DIRECTOR],
            published_at=timezone.now() if done and i % 2 else None,
            **subject,
            **files,
        )
        rows.append(report)
    bulk("reports.Report", rows)


def rows_of_audit_entries(w, n):
    Entry = M("auditlog.LogEntry")
    stations = w.once("stations", lambda: [w.street_a, w.community_a1])
    station_type = ContentType.objects.get_for_model(M("stations.Station"))
    rows = [
        Entry(
            content_type=station_type,
            object_pk=str(s.pk),
            object_id=s.pk,
            object_repr=s.name,
            action=1,
            changes={"contact_phone": ["", f"020-{i:08d}"]},
            changes_text="",
            actor=w.staff[Role.DIRECTOR],
            timestamp=timezone.now(),
        )
        for i, s in zip(range(n), itertools.cycle(stations), strict=False)
    ]
    bulk("auditlog.LogEntry", rows)


ROWS = {
    "volunteers.Volunteer": rows_of_volunteers,
    "volunteers.Opportunity": rows_of_opportunities,
    "volunteers.Signup": rows_of_signups,
    "volunteers.ServiceRecord": rows_of_service_records,
    "volunteers.Certificate": rows_of_certificates,
    "reports.Report": rows_of_reports,
    "auditlog.LogEntry": rows_of_audit_entries,
}
