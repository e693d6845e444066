"""The rows of each list the residents' pages show: ``grow(w, n)`` builds ``n`` more of them."""

import datetime
from decimal import Decimal

from django.utils import timezone

from tests.factories import make_station, publish
from tests.query_count_rows import (
    M,
    bulk,
    make_funds,
    make_receipts,
    make_shifts,
    new_beneficiary,
    new_campaign,
    new_donation,
    new_entry,
    new_evaluation,
    new_member,
    new_opportunity,
    new_project,
    new_report,
    new_request,
    new_service_record,
    next_k,
    saved,
    sign_up,
    today,
)

from .world import GIVER, World


def make_projects(w: World, n: int, statuses=("fundraising", "active", "closed", "evaluated")):
    """Projects at community A1 and street A by turns, their statuses by turns."""
    stations = (w.community_a1, w.street_a)
    rows = [new_project(stations[i % 2], statuses[i % len(statuses)]) for i in range(n)]
    return bulk("projects.Project", rows)


def make_campaigns(w: World, n: int) -> list:
    """Public campaigns, each all for the fund."""
    Share = M("funds.CampaignShare")
    campaigns = bulk("funds.Campaign", [new_campaign(w) for _ in range(n)])
    bulk("funds.CampaignShare", [Share(campaign=c, fund=w.fund(), percent=100) for c in campaigns])
    publish(*campaigns)
    return campaigns


def stations(w, n):
    for _ in range(n):
        make_station(level="community", parent=w.street_a, offers_assistance=True)


def stations_below(w, n):
    street = w.once("street", lambda: make_station(level="street", parent=w.district))
    for _ in range(n):
        make_station(level="community", parent=street, offers_volunteer_service=True)


def public_projects(w, n):
    projects = make_projects(w, n)
    # Each helped someone, so every card has a count of people helped.
    born = datetime.date(1940, 1, 1)
    person = w.once(
        "beneficiary", lambda: saved(new_beneficiary(w, w.worker(), name="张伯", birth_date=born))
    )
    Record = M("projects.AssistanceRecord")
    bulk(
        "projects.AssistanceRecord",
        [
            Record(project=p, beneficiary=person, date=today(), kind="service", staff=w.worker())
            for p in projects
        ],
    )


def progress_updates(w, n):
    Update, Photo = M("projects.ProgressUpdate"), M("projects.ProgressPhoto")
    updates = bulk(
        "projects.ProgressUpdate",
        [
            Update(
                project=w.project(),
                title=f"第{next_k()}期送餐",
                body="本月送餐300份",
                author=w.worker(),
            )
            for _ in range(n)
        ],
    )
    bulk(
        "projects.ProgressPhoto",
        [Photo(update=u, image="progress/meal.jpg", caption="送餐") for u in updates],
    )


def evaluated_project(w):
    def make():
        project = w.project("evaluated", status="evaluated")
        saved(new_evaluation(project, w.worker(), satisfaction_percent=Decimal("96.5")))
        return project

    return w.once("evaluated_project", make)


def indicator_results(w, n):
    project = evaluated_project(w)
    Indicator, Result = M("projects.OutcomeIndicator"), M("projects.IndicatorResult")
    indicators = bulk(
        "projects.OutcomeIndicator",
        [
            Indicator(project=project, name=f"送餐{next_k()}", unit="份", planned_value=100)
            for _ in range(n)
        ],
    )
    bulk(
        "projects.IndicatorResult",
        [Result(evaluation=project.evaluation, indicator=i, achieved_value=90) for i in indicators],
    )


def paid_requests(w, n) -> list:
    """Paid requests of the fund, each for a running project, paid a day apart."""
    rows = [
        new_request(
            w.fund(),
            p,
            w.worker(),
            ("paid", "reconciled")[i % 2],
            amount=Decimal("10.00"),
            paid_at=timezone.now() - datetime.timedelta(days=i),
        )
        for i, p in enumerate(make_projects(w, n, statuses=("active",)))
    ]
    return bulk("funds.DisbursementRequest", rows)


def committee_members(w, n):
    w.committee_member()
    committee = M("funds.Committee").objects.get(fund=w.fund())
    members = [new_member(committee, name=f"居民代表{next_k()}") for _ in range(n)]
    bulk("funds.CommitteeMember", members)


def fund_campaigns(w, n):
    make_campaigns(w, n)


def published_reports(w, n):
    rows = []
    for i in range(n):
        k = next_k()
        kind, subject = [
            ("fund_quarterly_disclosure", {"fund": w.fund()}),
            ("project_progress_quarterly", {"project": w.project()}),
            ("host_annual_work_report", {"host": w.host()}),
            ("fund_annual_statement", {"fund": w.fund()}),
        ][i % 4]
        rows.append(
            new_report(
                kind,
                w.community_a1 if "project" in subject else w.street_a,
                datetime.date(2000 + k // 4, (k % 4) * 3 + 1, 1),
                80,
                status="done",
                progress=100,
                pdf_path="r.pdf",
                xlsx_path="r.xlsx",
                csv_path="r.csv",
                published_at=timezone.now(),
                **subject,
            )
        )
    bulk("reports.Report", rows)


def open_campaigns(w, n):
    make_campaigns(w, n)


def running_projects(w, n):
    w.fund()  # the fund that takes their gifts
    make_projects(w, n, statuses=("fundraising", "active"))


def active_funds(w, n):
    make_funds(w, n)


def campaigns_at_the_point(w, n):
    w.point().campaigns.add(*make_campaigns(w, n))


def projects_at_the_point(w, n):
    w.point().projects.add(*make_projects(w, n, statuses=("fundraising", "active")))


def funds_at_the_point(w, n):
    w.point().funds.add(*make_funds(w, n))


def where_the_gift_went(w, n):
    """Payments the gift paid for: restricted ones (the debit names the project) and
    unrestricted ones (the project is read from the request the debit pays)."""
    credit = M("funds.LedgerEntry").objects.get(
        kind="donation", source_id=str(w.receipt().donation_id)
    )
    Attribution = M("funds.Attribution")
    label = M("funds.DisbursementRequest")._meta.label_lower
    debits = bulk(
        "funds.LedgerEntry",
        [
            new_entry(
                w.fund(),
                -r.amount,
                "disbursement",
                source_type=label,
                source_id=str(r.pk),
                project=r.project if i % 2 else None,
                memo=r.purpose,
                posted_at=r.paid_at,
            )
            for i, r in enumerate(paid_requests(w, n))
        ],
    )
    bulk(
        "funds.Attribution", [Attribution(credit=credit, debit=d, amount=-d.amount) for d in debits]
    )


def opportunities(w, n):
    made = bulk("volunteers.Opportunity", [new_opportunity(w.community_a1) for _ in range(n)])
    for opportunity in made:
        make_shifts(opportunity, 1)


def shifts_of_the_list(w, n):
    make_shifts(w.opportunity(), n)


def shifts_with_places_taken(w, n):
    sign_up(w.other_volunteer(), make_shifts(w.opportunity(), n))


def shifts_i_signed_up_for(w, n):
    sign_up(w.volunteer(), make_shifts(w.opportunity(), n), status="waitlisted")


def my_gifts(w, n):
    gifts = [
        new_donation(
            w.fund(),
            amount=Decimal("50.00") + i,
            status=("confirmed", "refunded")[i % 3 == 2],
            mobile=GIVER,
            donor_name="陈女士",
            project=w.project() if i % 2 else None,
            confirmed_at=timezone.now() - datetime.timedelta(days=400 * (i % 2)),
        )
        for i in range(n)
    ]
    make_receipts(w.host(), bulk("donations.Donation", gifts), "TH")


def my_signups(w, n):
    sign_up(w.volunteer(), make_shifts(w.opportunity(), n))


def my_records(w, n):
    rows = [
        new_service_record(
            w.volunteer(),
            w.community_a1,
            timezone.now() - datetime.timedelta(days=next_k(), hours=4),
        )
        for _ in range(n)
    ]
    bulk("volunteers.ServiceRecord", rows)


def requests_in_voting(w, n):
    w.committee_member()
    rows = [
        new_request(
            w.fund(),
            p,
            w.worker(),
            "voting",
            amount=Decimal("300.00"),
            payee=f"食品店{i}",
            submitted_at=timezone.now(),
        )
        for i, p in enumerate(make_projects(w, n, statuses=("fundraising",)))
    ]
    bulk("funds.DisbursementRequest", rows)
