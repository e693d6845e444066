"""The residents' pages that list rows, one case per list on a page, and the public pages
that list none (``NOT_LISTS``)."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone

from . import rows
from .world import GIVER


def _count(name: str) -> Callable:
    return lambda response: len(response.context[name])


def _targets(kind: str, name: str) -> Callable:
    def count(response) -> int:
        targets = [row["target"] if name == "rows" else row for row in response.context[name]]
        return sum(1 for t in targets if _kind_of(t) == kind)

    return count


def _kind_of(target) -> str:
    if target.campaign is not None:
        return "campaign"
    return "project" if target.project is not None else "fund"


def _signed_in_volunteer(w, client):
    client.force_login(w.volunteer().user)


def _verified_donor(w, client):
    from donations.views import LOOKUP_UNTIL, LOOKUP_VERIFIED

    session = client.session
    session[LOOKUP_VERIFIED] = GIVER
    session[LOOKUP_UNTIL] = (timezone.now() + datetime.timedelta(minutes=30)).timestamp()
    session.save()


def _committee_member(w, client):
    client.force_login(w.committee_member())


@dataclass(frozen=True)
class Case:
    url_name: str  # the URL pattern's name
    url: Callable  # World → the page's address
    grow: Callable  # (World, n) → n more rows of the list
    shown: Callable  # response → how many rows the page showed
    fixed_rows: int = 0  # rows the page shows whatever is built (the fixed stations)
    resident: Callable | None = None  # signs the resident in when the page is their own


def _to_give(grow: Callable, kind: str) -> Case:
    """The giving page's list of targets of ``kind`` (campaigns, projects or funds)."""
    return Case("donations:browse", lambda w: "/donate/", grow, _targets(kind, "rows"))


def _point_page(w) -> str:
    return w.point().get_absolute_url()


def _at_the_point(grow: Callable, kind: str, fixed_rows: int = 0) -> Case:
    """The donation point page's list of targets of ``kind``."""
    return Case("donations:point", _point_page, grow, _targets(kind, "targets"), fixed_rows)


CASES = {
    "station network: stations": Case(
        "home", lambda w: "/", rows.stations, _count("stations"), fixed_rows=3
    ),
    "station page: stations below": Case(
        "stations:detail",
        lambda w: w.made["street"].get_absolute_url(),
        rows.stations_below,
        _count("children"),
    ),
    "projects: public projects": Case(
        "projects:list", lambda w: "/projects/", rows.public_projects, _count("projects")
    ),
    "project page: progress updates with photos": Case(
        "projects:detail",
        lambda w: w.project().get_absolute_url(),
        rows.progress_updates,
        _count("updates"),
    ),
    "project page: evaluation results": Case(
        "projects:detail",
        lambda w: rows.evaluated_project(w).get_absolute_url(),
        rows.indicator_results,
        lambda r: len(r.context["evaluation"].results.all()),
    ),
    "fund page: where the money went": Case(
        "funds:detail", lambda w: f"/funds/{w.fund().code}/", rows.paid_requests, _count("paid")
    ),
    "fund page: committee members": Case(
        "funds:detail",
        lambda w: f"/funds/{w.fund().code}/",
        rows.committee_members,
        _count("members"),
        fixed_rows=6,
    ),
    "fund page: campaigns": Case(
        "funds:detail",
        lambda w: f"/funds/{w.fund().code}/",
        rows.fund_campaigns,
        _count("campaigns"),
    ),
    "disclosure: published reports": Case(
        "reports:disclosure", lambda w: "/disclosure/", rows.published_reports, _count("reports")
    ),
    "give: campaigns": _to_give(rows.open_campaigns, "campaign"),
    "give: projects": _to_give(rows.running_projects, "project"),
    "give: community funds": _to_give(rows.active_funds, "fund"),
    "donation point: campaigns": _at_the_point(rows.campaigns_at_the_point, "campaign"),
    "donation point: projects": _at_the_point(rows.projects_at_the_point, "project"),
    # The point's own fund is listed too.
    "donation point: community funds": _at_the_point(rows.funds_at_the_point, "fund", 1),
    "receipt: where the gift went": Case(
        "donations:receipt",
        lambda w: w.receipt().get_absolute_url(),
        rows.where_the_gift_went,
        lambda r: len(r.context["trace"]["spent"]),
    ),
    "volunteer: opportunities": Case(
        "volunteers:list", lambda w: "/volunteer/", rows.opportunities, _count("opportunities")
    ),
    "volunteer: shifts of an opportunity in the list": Case(
        "volunteers:list",
        lambda w: "/volunteer/",
        rows.shifts_of_the_list,
        lambda r: sum(len(entry["shifts"]) for entry in r.context["opportunities"]),
    ),
    "opportunity page: shifts": Case(
        "volunteers:opportunity",
        lambda w: w.opportunity().get_absolute_url(),
        rows.shifts_with_places_taken,
        _count("shifts"),
    ),
    "opportunity page: my sign-ups (signed in)": Case(
        "volunteers:opportunity",
        lambda w: w.opportunity().get_absolute_url(),
        rows.shifts_i_signed_up_for,
        lambda r: sum(1 for s in r.context["shifts"] if s.my_signup),
        resident=_signed_in_volunteer,
    ),
    "my gifts (after the look-up)": Case(
        "donations:my_gifts",
        lambda w: "/donate/my/",
        rows.my_gifts,
        _count("gifts"),
        resident=_verified_donor,
    ),
    "my volunteer page: shifts": Case(
        "volunteers:me",
        lambda w: "/volunteer/me/",
        rows.my_signups,
        _count("signups"),
        resident=_signed_in_volunteer,
    ),
    "my volunteer page: hours": Case(
        "volunteers:me",
        lambda w: "/volunteer/me/",
        rows.my_records,
        _count("records"),
        resident=_signed_in_volunteer,
    ),
    "committee dashboard: requests to vote on": Case(
        "funds:dashboard",
        lambda w: f"/funds/{w.fund().code}/dashboard/",
        rows.requests_in_voting,
        _count("waiting"),
        resident=_committee_member,
    ),
}

# Public pages that show one thing, not a list of rows (or only aggregates), and pages that are
# not pages (downloads, form posts, payment callbacks).
NOT_LISTS = {
    "donations:give": "one target's giving form",
    "donations:donation": "one gift's page",
    "donations:lookup": "a form",
    "donations:lookup_code": "a form",
    "donations:statement": "a PDF",
    "donations:notify": "a payment callback",
    "donations:sandbox_gateway": "one gift's payment page",
    "donations:receipt_pdf": "a PDF",
    "funds:ledger_csv": "a CSV download, streamed",
    "funds:login": "a form",
    "funds:vote": "a form post",
    "funds:opinion": "a form post",
    "reports:disclosure_file": "a file download",
    "reports:report_file": "a file download",
    "volunteers:join": "a form",
    "volunteers:join-done": "one volunteer's confirmation",
    "volunteers:login": "a form",
    "volunteers:logout": "a form post",
    "volunteers:report-hours": "a form",
    "volunteers:certificate-download": "a PDF",
    "volunteers:sign-up": "a form post",
    "volunteers:cancel": "a form post",
    "volunteers:self-check-in": "one shift's check-in",
    "volunteers:certificate-verify": "one certificate's totals",
    "healthz": "not a page",
    "set_language": "a form post",
}
# Staff pages (the admin's lists have their own test), the API (tests/api/) and static files.
STAFF_ROUTES = ("admin/", "api/", "volunteer/staff/", "volunteer/^staff/", "media/")
