"""Emails about reports: "your fund's report is ready" and the daily disclosure reminder."""

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from core.site import absolute_url
from funds.selectors import committee_members, serving_members
from operations.outbox import send_once
from stations.models import StaffMembership, Station

from .calendar import ItemStatus, due_and_overdue
from .models import Report
from .periods import format_date


def _committee_seats(report: Report) -> list:
    """The seats of the report's fund's committee, serving today, held by an active account
    with an email address (the seat's own address first): they can sign in and download."""
    today = timezone.localdate()
    return [
        member
        for member in serving_members(committee_members(report.fund), on=today)
        if member.user_id and member.user.is_active and (member.email or member.user.email)
    ]


def directors_of(station: Station) -> list:
    """The active directors of ``station`` with an email address; none there: the nearest
    station above that has some."""
    memberships = (
        StaffMembership.objects.filter(
            station_id__in=[*station.ancestor_ids, station.pk],
            role=StaffMembership.Role.DIRECTOR,
            user__is_active=True,
        )
        .exclude(user__email="")
        .select_related("user", "station")
    )
    by_depth = defaultdict(list)
    for membership in memberships:
        by_depth[membership.station.depth].append(membership.user)
    if not by_depth:
        return []
    return sorted(by_depth[max(by_depth)], key=lambda user: user.pk)


def send_report_ready(*, report_id: int) -> int:
    """Tell the station's directors (link to the report in the admin) and, for a fund's report,
    each serving committee member (link to the committee dashboard, where the fund's reports
    are listed) that the report is ready; one email each. Returns the number sent."""
    report = Report.objects.select_related("station", "fund").get(pk=report_id)
    if report.status != Report.Status.DONE:
        return 0
    staff = directors_of(report.station)
    seats = _committee_seats(report) if report.fund_id else []
    staff_ids = {user.pk for user in staff}
    sent = 0
    # Once per finished report, also when the job is delivered twice (operations/outbox.py).
    with (
        send_once(f"reports.ready:{report.pk}:{report.finished_at.isoformat()}") as first,
        override(settings.LANGUAGE_CODE),
    ):
        if not first:
            return 0
        subject = _("Report ready: %(report)s") % {"report": report}
        link = absolute_url(reverse("admin:reports_report_change", args=[report.pk]))
        staff_body = _(
            "The report %(report)s is ready.\n\nOpen it, download the PDF, Excel or CSV file "
            "and, if it is a disclosure, publish it:\n%(link)s\n"
        ) % {"report": report, "link": link}
        if staff:
            sent += send_mail(subject, staff_body, None, [user.email for user in staff])
        if seats:
            dashboard = absolute_url(reverse("funds:dashboard", args=[report.fund.code]))
            member_body = _(
                "The report %(report)s of the fund you serve on is ready.\n\nYour committee "
                "dashboard lists the fund's reports with their PDF, Excel and CSV files:\n"
                "%(link)s\n"
            ) % {"report": report, "link": dashboard}
            for seat in seats:
                if seat.user_id in staff_ids:
                    continue  # a director on the committee already has the staff email
                sent += send_mail(subject, member_body, None, [seat.email or seat.user.email])
    return sent


def responsible_staff(item, directors: dict | None = None) -> list:
    """Who must see to a disclosure: the directors of its station and, for a project, its lead
    social worker. ``directors`` caches directors per station across many items."""
    directors = {} if directors is None else directors
    if item.station.pk not in directors:
        directors[item.station.pk] = directors_of(item.station)
    users = directors[item.station.pk]
    lead = item.project.lead if item.project is not None else None
    if lead is not None and lead.is_active and lead.email:
        users = [*users, lead]
    unique = {user.pk: user for user in users}
    return [unique[pk] for pk in sorted(unique)]


def send_disclosure_reminders(*, today=None) -> int:
    """One email per responsible person (station directors; a project's lead) listing what is
    due soon or overdue. Returns the number of emails sent."""
    items = due_and_overdue(today=today)
    per_user: dict[int, tuple[object, list]] = {}
    directors: dict = {}
    for item in items:
        for user in responsible_staff(item, directors):
            per_user.setdefault(user.pk, (user, []))[1].append(item)
    sent = 0
    with override(settings.LANGUAGE_CODE):
        link = absolute_url(reverse("admin:reports_report_calendar"))
        for user, user_items in per_user.values():
            lines = [
                "- {status} {subject}: {what} ({due})".format(
                    status=_("[OVERDUE]") if item.status == ItemStatus.OVERDUE else _("[due]"),
                    subject=item.subject_name,
                    what=item.what,
                    due=_("due %(date)s") % {"date": format_date(item.due_on)},
                )
                for item in user_items
            ]
            body = (
                _("These disclosures must be published soon or are late:")
                + "\n\n"
                + "\n".join(lines)
                + "\n\n"
                + _("The disclosure calendar: %(link)s") % {"link": link}
                + "\n"
            )
            subject = _("Disclosures due: %(count)s") % {"count": len(user_items)}
            sent += send_mail(subject, body, None, [user.email])
    return sent
