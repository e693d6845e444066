"""Emails about reports: "your fund's report is ready" and the daily disclosure reminder."""

from collections import defaultdict

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from funds.selectors import committee_members, serving_members
from operations.outbox import send_once
from stations.models import StaffMembership, Station

from .calendar import ItemStatus, due_and_overdue
from .models import Report
from .periods import format_date


def recipients_for(report: Report) -> list:
    """Who is told that ``report`` is ready: the directors of the report's station and, for a
    fund's report, the fund's committee members serving today who have an account and email."""
    recipients = directors_of(report.station)
    if report.fund_id:
        today = timezone.localdate()
        recipients += [
            member.user
            for member in serving_members(committee_members(report.fund), on=today)
            if member.user_id and member.user.email and member.user.is_active
        ]
    unique = {user.pk: user for user in recipients}
    return [unique[pk] for pk in sorted(unique)]


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


def _absolute(path: str) -> str:
    return settings.REPORTS_SITE_URL.rstrip("/") + path


def send_report_ready(*, report_id: int) -> int:
    report = Report.objects.select_related("station", "fund").get(pk=report_id)
    if report.status != Report.Status.DONE:
        return 0
    recipients = [user.email for user in recipients_for(report)]
    if not recipients:
        return 0
    with override(settings.LANGUAGE_CODE):
        link = _absolute(reverse("admin:reports_report_change", args=[report.pk]))
        subject = _("Report ready: %(report)s") % {"report": report}
        body = _(
            "The report %(report)s is ready.\n\nOpen it, download the PDF, Excel or CSV file "
            "and, if it is a disclosure, publish it:\n%(link)s\n"
        ) % {"report": report, "link": link}
    # Once per finished report, also when the job is delivered twice (operations/outbox.py).
    with send_once(f"reports.ready:{report.pk}:{report.finished_at.isoformat()}") as first:
        return send_mail(subject, body, None, recipients) if first else 0


def send_disclosure_reminders(*, today=None) -> int:
    """One email per responsible director listing what is due soon or overdue. Returns the
    number of emails sent."""
    items = due_and_overdue(today=today)
    per_user: dict[int, tuple[object, list]] = {}
    for item in items:
        for user in directors_of(item.station):
            per_user.setdefault(user.pk, (user, []))[1].append(item)
    sent = 0
    with override(settings.LANGUAGE_CODE):
        link = _absolute(reverse("admin:reports_report_calendar"))
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
