"""The access table: every URL of the project (admin pages, API endpoints, exports, staff and
public pages), requested by each of the fixed users, answers exactly what ``ACCESS`` says.

The list of URLs is generated from the URL configuration, so a URL name without an entry in
``ACCESS`` fails the test: a new endpoint needs its row. Each URL with an object in it is
requested with a real object at street A and one at street B (every scoped model has one of
each in ``access_world``), and two rules hold whatever the table says:

* an object outside the user's stations answers 404, never 403 or 200, whenever the user may
  open the same page for an object inside them;
* nobody but staff reaches the admin, and the anonymous visitor reaches no staff page or API;
* every list (admin changelists and their export actions, API list endpoints, exports and
  staff list pages; found from the URL names, see ``access.list_checks``) shows a user scoped
  to one street nothing of the other street's objects, while the superuser's copy shows both.
  The lists' answers are kept from the status table's requests, so this costs few requests.
"""

import datetime
import os
from decimal import Decimal

import pytest

from funds import services as fund_services
from funds.models import CommitteeMember, LedgerEntry
from reports.models import Report
from reports.services import generate_report
from tests.donations.conftest import receive_goods
from tests.factories import Role, make_staff, make_user
from tests.security.access import (
    USERS,
    Kept,
    arguments,
    check_list,
    clients,
    letter,
    list_checks,
)
from tests.security.access_table import ACCESS
from tests.security.urlwalk import all_routes
from tests.volunteers.conftest import make_shift, make_volunteer, verified_record
from volunteers import services as volunteer_services

pytestmark = pytest.mark.django_db

ROUTES = all_routes()
LISTS = list_checks(ROUTES)
LIST_NAMES = {check.route.name for check in LISTS}
# API endpoints open to anyone on purpose: where to give, what volunteers can sign up for.
PUBLIC_API = ("donation-point-", "opportunity-", "shift-")


@pytest.fixture
def access_world(world, network):
    """``world`` with one object of every scoped model at street A and one at street B."""
    from donations.models import DonationPoint

    world.other_point = DonationPoint.objects.create(
        station=network.street_b, name="林和街社工站捐赠点", place="林和西路"
    )
    world.other_point.funds.add(world.other_fund)
    receive_goods(world.point, world.cast.superuser)
    receive_goods(world.other_point, world.cast.superuser)

    other_volunteer = make_volunteer(network.community_b1)
    world.shift = make_shift(network.community_a1)
    world.other_shift = make_shift(network.community_b1, title="林和社区助餐")
    volunteer_services.sign_up(shift=world.shift, volunteer=world.volunteer)
    volunteer_services.sign_up(shift=world.other_shift, volunteer=other_volunteer)
    verified_record(
        world.volunteer,
        network.community_a1,
        days_ago=3,
        hours=Decimal("2"),
        by=world.cast.superuser,
    )
    verified_record(
        other_volunteer,
        network.community_b1,
        days_ago=3,
        hours=Decimal("2"),
        by=world.cast.superuser,
    )

    today = datetime.date.today()
    world.report = Report.objects.create(
        kind="station_monthly",
        station=network.street_a,
        period_start=today.replace(day=1),
        period_end=today,
    )
    world.other_report = Report.objects.create(
        kind="station_monthly",
        station=network.street_b,
        period_start=today.replace(day=1),
        period_end=today,
    )

    def disbursement(fund, project, requester, prefix):
        for n, role in enumerate(["vice_chair", "secretary", "member", "member", "supervisor"]):
            fund_services.add_committee_member(
                fund=fund,
                user=make_user(f"{prefix}-seat-{n}"),
                role=role,
                term_start=datetime.date(2025, 1, 1),
            )
        fund_services.post_entry(
            fund=fund, amount=Decimal("500.00"), kind=LedgerEntry.Kind.DONATION
        )
        request = fund_services.request_disbursement(
            fund=fund, project=project, amount="100.00", by=requester, purpose="食材", payee="饭堂"
        )
        return fund_services.submit_disbursement(request=request, by=requester)

    from funds.models import Campaign
    from projects.models import BeneficiaryViewLog, NeedsAssessment
    from projects.services import create_needs_assessment

    for fund, suffix in ((world.fund, "001"), (world.other_fund, "002")):
        Campaign.objects.create(
            host=world.host,
            lead_fund=fund,
            title=f"社区募捐{suffix}",
            goal=Decimal("1000"),
            starts_on=today,
            ends_on=today + datetime.timedelta(days=30),
            filing_number=f"53440106MJ0000001F-2026-{suffix}",
        )
    for station in (network.community_a1, network.community_b1):
        create_needs_assessment(
            by=world.cast.superuser,
            station=station,
            title="长者需求调查",
            method=NeedsAssessment.Method.INTERVIEW,
            date=today,
            findings="独居长者用餐困难",
        )
    for beneficiary in (world.beneficiary, world.other_beneficiary):
        BeneficiaryViewLog.objects.create(
            beneficiary=beneficiary,
            user=world.cast.superuser,
            action=BeneficiaryViewLog.Action.choices[0][0],
        )

    from donations.services import record_box_opening
    from donations.targets import Target
    from projects.models import AssistanceRecord, ProgressUpdate, ServiceActivity
    from projects.services import record_assistance

    su = world.cast.superuser
    for project, beneficiary in (
        (world.project, world.beneficiary),
        (world.other_project, world.other_beneficiary),
    ):
        ProgressUpdate.objects.create(
            project=project, title="第一周进展", body="已开展两次送餐", author=su
        )
        ServiceActivity.objects.create(
            project=project, date=today, place="社区活动室", description="送餐"
        )
        record_assistance(
            project=project,
            beneficiary=beneficiary,
            by=su,
            date=today,
            kind=AssistanceRecord.Kind.SERVICE,
            description="上门探访",
        )
    for point, fund in ((world.point, world.fund), (world.other_point, world.other_fund)):
        record_box_opening(
            by=su,
            point=point,
            target=Target(fund=fund, project=None, campaign=None),
            opened_on=today,
            amounts=[Decimal("10.00"), Decimal("5.00")],
            total=Decimal("15.00"),
        )
    for volunteer in (world.volunteer, other_volunteer):
        volunteer_services.issue_certificate(
            volunteer=volunteer, period_start=today.replace(month=1, day=1), period_end=today
        )

    requester_a = make_staff(network.community_a1, Role.SOCIAL_WORKER, "requester-a1")
    # A closed project of each street, evaluated by its lead.
    from projects.models import Project
    from projects.services import record_evaluation

    for station, lead, title in (
        (network.community_a1, requester_a, "长者探访（已结项）"),
        (network.community_b1, world.cast.social_worker, "儿童托管（已结项）"),
    ):
        closed = Project.objects.create(
            station=station,
            title=title,
            kind=Project.Kind.DEVELOPMENT,
            category=Project.Category.ELDERLY_CARE,
            status=Project.Status.CLOSED,
            lead=lead,
        )
        record_evaluation(
            project=closed,
            by=lead,
            narrative="目标基本达成",
            satisfaction_percent=Decimal("92.5"),
            satisfaction_respondents=20,
        )
    world.disbursement = disbursement(world.fund, world.project, requester_a, "a")
    world.other_disbursement = disbursement(
        world.other_fund, world.other_project, world.cast.social_worker, "b"
    )
    assert CommitteeMember.objects.filter(user=world.other_committee_member).exists()
    # A finished disclosure of each fund, with its files: staff of the fund's station and the
    # fund's committee members may download them, nobody else.
    world.fund_report, world.other_fund_report = (
        generate_report(
            report_id=Report.objects.create(
                kind="fund_quarterly_disclosure",
                station=fund.station,
                fund=fund,
                period_start=datetime.date(2026, 1, 1),
                period_end=datetime.date(2026, 3, 31),
            ).pk
        )
        for fund in (world.fund, world.other_fund)
    )
    return world


def ask(client, url: str, *, post: bool):
    """A GET, or for a URL that only takes a POST an empty one: ``{}`` to the API, which
    reads JSON only, an empty form elsewhere."""
    if not post:
        return client.get(url)
    if url.startswith("/api/"):
        return client.post(url, "{}", content_type="application/json")
    return client.post(url)


def outcomes(routes, world, same_object: set, kept: dict) -> dict[str, str]:
    """``{url name: letters}``: "A:letters B:letters" for URLs with an object in them. The
    names whose A and B arguments are the same (no station in them) go to ``same_object``;
    the answers to the lists' GETs go to ``kept`` (by URL name, then user) for their content."""
    users = clients(world)
    table = {}
    for route in routes:
        sides = ("A", "B") if route.arguments else ("",)
        if route.arguments and arguments(route, world, "A") == arguments(route, world, "B"):
            same_object.add(route.name)
        parts = []
        for side in sides:
            values = arguments(route, world, side or "A")
            if route.arguments and not values:
                parts.append(f"{side}:-")  # no such object in the world: nothing to ask
                continue
            url = route.url(**values)
            probe = users["superuser"].get(url)
            post = probe.status_code == 405
            answers = {name: ask(users[name], url, post=post) for name in USERS}
            if route.name in LIST_NAMES and side in ("", "A"):
                kept[route.name] = {name: Kept(answer) for name, answer in answers.items()}
            row = "".join(letter(answer) for answer in answers.values())
            parts.append(f"{side}:{row}" if side else row)
        table[route.name] = " ".join(parts)
        if route.name.endswith("logout"):
            users = clients(world)  # signed out: sign everyone in again
    return table


def test_every_url_answers_each_user_as_the_table_says(access_world):
    same_object: set[str] = set()
    kept: dict[str, dict] = {}
    actual = outcomes(ROUTES, access_world, same_object, kept)
    if os.environ.get("ACCESS_TABLE_DUMP"):
        with open(os.environ["ACCESS_TABLE_DUMP"], "w") as out:
            for name, row in actual.items():
                out.write(f"    {name!r}: {row!r},\n")

    missing = sorted(set(actual) - set(ACCESS))
    assert not missing, f"URL names with no entry in the access table: {missing}"
    stale = sorted(set(ACCESS) - set(actual))
    assert not stale, f"entries for URL names that no longer exist: {stale}"
    wrong = {
        name: f"expected {ACCESS[name]!r}, got {row!r}"
        for name, row in actual.items()
        if ACCESS[name] != row
    }
    assert not wrong, "\n".join(f"{name}: {diff}" for name, diff in wrong.items())

    for name, row in actual.items():
        check_rules(name, row, scoped=name not in same_object)

    # What the lists show: nothing of the other street to a user scoped to one street.
    users = clients(access_world)
    anonymous = USERS.index("anonymous")
    problems = []
    for check in LISTS:
        if actual[check.route.name].split(":")[-1][anonymous] == "o":
            continue  # a public directory (donation points, opportunities): everyone sees all
        problems += check_list(check, access_world, users, kept.get(check.route.name))
    assert not problems, "\n".join(problems)


def check_rules(name: str, row: str, *, scoped: bool) -> None:
    sides = dict(part.split(":") for part in row.split()) if ":" in row else {"A": row}
    sides = {side: letters for side, letters in sides.items() if letters != "-"}
    if not sides:
        return
    index = {user: i for i, user in enumerate(USERS)}
    public = all(side[index["anonymous"]] == "o" for side in sides.values())
    if scoped and not public and "A" in sides and "B" in sides:
        a, b = sides["A"], sides["B"]
        # Street A's staff on a street B object; the B1 social worker on a street A object.
        for user in ("director", "finance_officer"):
            i = index[user]
            if a[i] == "o":
                assert b[i] in "n", f"{name}: {user} gets {b[i]!r} for street B's object"
        i = index["social_worker"]
        if b[i] == "o":
            assert a[i] == "n", f"{name}: the B1 social worker gets {a[i]!r} for street A's object"
    for side in sides.values():
        if name.startswith("admin:") and name not in ("admin:login", "admin:logout"):
            for user in ("committee_member", "volunteer", "anonymous"):
                assert side[index[user]] in "rm", f"{name}: {user} reaches the admin"
        if not name.startswith(("admin:", "api-", *PUBLIC_API)) and "-" in name and ":" not in name:
            # The API router's names ("fund-list"): anonymous is refused, but for the public
            # directory of donation points and volunteer opportunities.
            assert side[index["anonymous"]] in "axn", f"{name}: anonymous reaches the API"
