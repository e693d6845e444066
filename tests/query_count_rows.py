"""Rows for the query-count tests (tests/admin_pages/, tests/public_pages/): the world of
stations they are built in, the objects a test's rows share (host, fund, project, point,
opportunity) and the rows that both the staff's pages and the residents' pages list.

Models are named by label, not imported: the apps' modules may move, the labels stay. Rows
are built in bulk (fifty at a time); the one-off objects come from ``tests.factories``."""

import datetime
import itertools
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.utils import timezone

from tests.factories import make_fund, make_host, make_point, make_project, make_station

N = 50  # the rows of the second reading; the first reads one
_seq = itertools.count(1)


def next_k() -> int:
    """A number not used before in this process: unique names, codes and sequences."""
    return next(_seq)


def M(label: str):
    """Models by label, not by module: the apps' modules may move, the labels stay."""
    return apps.get_model(label)


def bulk(label: str, objects: list) -> list:
    return M(label).objects.bulk_create(objects)


def saved(obj):
    """``obj`` saved: one of the rows below (unsaved, for bulk_create) made on its own."""
    obj.save()
    return obj


def today() -> datetime.date:
    return timezone.localdate()


def soon(days: int, hours: int = 0) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days, hours=hours)


def make_places(code: str, *, street: dict, community: dict | None = None) -> dict:
    """District 天河 → street A (with the services ``street`` turns on) → community A1, their
    codes starting with ``code``: the fields of a ``Stock``."""
    district = make_station(level="district", name="天河区", code=f"{code}-district")
    street_a = make_station(
        level="street", parent=district, name="石牌街", code=f"{code}-street-a", **street
    )
    community_a1 = make_station(
        level="community",
        parent=street_a,
        name="华师社区",
        code=f"{code}-community-a1",
        **(community or {}),
    )
    return {"district": district, "street_a": street_a, "community_a1": community_a1}


@dataclass
class Stock:
    """District → street A → community A1, and what one test has built so far (``made``,
    emptied before each test): the objects all of a test's rows share are built once, on
    first use."""

    district: object
    street_a: object
    community_a1: object
    made: dict = field(default_factory=dict, kw_only=True)

    def once(self, key: str, make):
        """One object per test (a fund, a project, …) that all of the test's rows share."""
        if key not in self.made:
            self.made[key] = make()
        return self.made[key]

    def lead(self):
        """The staff member who leads the projects built here: none by default."""
        return None

    def host(self):
        return self.once("host", lambda: make_host(has_public_fundraising_qualification=True))

    def fund(self):
        return self.once(
            "fund",
            lambda: make_fund(self.street_a, self.host(), "石牌街社区慈善基金", purpose="扶老助困"),
        )

    def another_project(self, status: str = "fundraising"):
        """A project at community A1 raising money (or in ``status``), saved."""
        return make_project(
            self.community_a1,
            f"长者饭堂{next_k()}",
            status=status,
            lead=self.lead(),
            summary="为独居长者送餐",
            fundraising_goal=Decimal("30000"),
            start_date=datetime.date(2026, 1, 1),
        )

    def project(self, key: str = "project", status: str = "fundraising"):
        return self.once(key, lambda: self.another_project(status))

    def point(self):
        """Street A's donation point, for the fund."""
        return self.once("point", lambda: make_point(self.street_a, funds=[self.fund()]))

    def opportunity(self):
        return self.once(
            "opportunity",
            lambda: saved(
                new_opportunity(
                    self.community_a1,
                    title="长者探访",
                    description="陪伴聊天",
                    place="华师社区活动室",
                    project=self.project(),
                )
            ),
        )


# --- rows, unsaved (for bulk_create): defaults that any field given replaces -------------------


def new_project(station, status: str, **fields):
    fields = {"summary": "为独居长者送餐", **fields}
    Project = M("projects.Project")
    return Project(
        station=station,
        title=f"项目{next_k()}",
        kind="assistance",
        category="elderly_care",
        status=status,
        **fields,
    )


def make_funds(w: Stock, n: int) -> list:
    """Funds of the host at street A and community A1, by turns."""
    Fund = M("funds.Fund")
    rows = [
        Fund(
            station=(w.street_a, w.community_a1)[i % 2],
            host=w.host(),
            name=f"社区基金{next_k()}",
            founded_on=datetime.date(2024, 3, 1),
        )
        for i in range(n)
    ]
    return bulk("funds.Fund", rows)


def new_campaign(w: Stock, **fields):
    """A draft campaign of the host, led by the fund, running for two months (shares first,
    then ``tests.factories.publish``: the database takes no public campaign without them)."""
    fields = {"filing_number": "53440106MJ0000001F-2026-001", **fields}
    return M("funds.Campaign")(
        host=w.host(),
        lead_fund=w.fund(),
        title=f"暖冬行动{next_k()}",
        goal=Decimal("50000"),
        starts_on=today() - datetime.timedelta(days=1),
        ends_on=today() + datetime.timedelta(days=60),
        **fields,
    )


def new_member(committee, role: str = "member", **fields):
    fields = {"name": f"委员{next_k()}", "term_start": datetime.date(2024, 1, 1), **fields}
    return M("funds.CommitteeMember")(committee=committee, role=role, **fields)


def new_request(fund, project, requester, status: str, **fields):
    """A disbursement request of ``fund`` for ``project``; paid ones were paid today."""
    paid = status in ("paid", "reconciled")
    fields = {
        "purpose": "采购食材",
        "payee": "天河食品店",
        "paid_at": timezone.now() if paid else None,
        **fields,
    }
    return M("funds.DisbursementRequest")(
        fund=fund, project=project, status=status, requested_by=requester, **fields
    )


def new_entry(fund, amount, kind: str = "donation", **fields):
    return M("funds.LedgerEntry")(fund=fund, amount=amount, kind=kind, **fields)


def new_donation(fund, **fields):
    """A confirmed cash gift of 100 yuan to ``fund``, taken at the counter."""
    fields = {
        "amount": Decimal("100.00"),
        "provider": "offline",
        "channel": "cash",
        "status": "confirmed",
        "confirmed_at": timezone.now(),
        **fields,
    }
    return M("donations.Donation")(fund=fund, **fields)


def make_receipts(host, donations: list, series: str) -> list:
    """A valid receipt of ``host`` for each of ``donations``, numbered in ``series``."""
    Receipt = M("donations.Receipt")
    rows = []
    for donation in donations:
        k = next_k()
        rows.append(
            Receipt(
                donation=donation,
                host=host,
                series=series,
                year=2026,
                sequence=k,
                number=f"{series}-2026-{k:06d}",
                check_code=f"CK{k:06d}",
                issued_at=timezone.now(),
                payer_name=donation.donor_name,
                purpose="社区慈善",
                amount=donation.amount,
                handler="财务",
            )
        )
    return bulk("donations.Receipt", rows)


def new_beneficiary(w: Stock, recorded_by, **fields):
    """A resident of community A1 with written consent, registered by ``recorded_by``."""
    k = next_k()
    fields = {
        "name": f"居民{k}",
        "id_number_hash": f"hash-{k}",
        "gender": "male",
        "birth_date": datetime.date(1950, 1, 1),
        **fields,
    }
    return M("projects.Beneficiary")(
        station=w.community_a1,
        tree_root=w.district,
        id_number_encrypted="x",
        id_number_masked="110105********002X",
        consent_date=today(),
        consent_method="written",
        consent_recorded_by=recorded_by,
        **fields,
    )


def new_evaluation(project, by, **fields):
    fields = {"beneficiaries_served": 12, "satisfaction_percent": Decimal("95.0"), **fields}
    Evaluation = M("projects.Evaluation")
    return Evaluation(project=project, narrative="目标达成", evaluated_by=by, **fields)


def new_report(kind: str, station, start: datetime.date, days: int, **fields):
    """A report of ``kind`` on ``station`` (or the fund, project or host in ``fields``), over
    ``days`` from ``start``."""
    Report = M("reports.Report")
    report = Report(
        kind=kind,
        station=station,
        period_start=start,
        period_end=start + datetime.timedelta(days=days),
        **fields,
    )
    report.scope_key = Report.scope_key_for(
        station_id=station.pk,
        fund_id=report.fund_id,
        project_id=report.project_id,
        host_id=report.host_id,
    )
    return report


def new_opportunity(station, **fields):
    fields = {"title": f"探访{next_k()}", "description": "陪伴", "place": "活动室", **fields}
    return M("volunteers.Opportunity")(station=station, **fields)


def new_volunteer(station, **fields):
    """An active volunteer living at ``station``, who consented to the privacy terms."""
    k = next_k()
    fields = {"real_name": f"志愿者{k}", "gender": "female", "status": "active", **fields}
    return M("volunteers.Volunteer")(
        number=f"V{k:09d}",
        mobile=f"139{k:08d}",
        birth_date=datetime.date(1990, 1, 1),
        home_station=station,
        emergency_contact_name="家属",
        emergency_contact_phone="13800000000",
        privacy_consent_at=timezone.now(),
        **fields,
    )


def make_volunteers(station, n: int, *, mixed: bool = False) -> list:
    """``n`` volunteers of ``station``; ``mixed``: an active man and a pending woman by turns."""
    mix = [{"gender": "male", "status": "active"}, {"gender": "female", "status": "pending"}]
    rows = [new_volunteer(station, **(mix[i % 2] if mixed else {})) for i in range(n)]
    return bulk("volunteers.Volunteer", rows)


def make_shifts(opportunity, n: int, capacity: int = 5) -> list:
    """``n`` three-hour shifts of ``opportunity`` on days to come."""
    Shift = M("volunteers.Shift")
    starts = [soon(days=1 + next_k() % 300) for _ in range(n)]
    rows = [
        Shift(
            opportunity=opportunity,
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=3),
            capacity=capacity,
        )
        for start in starts
    ]
    return bulk("volunteers.Shift", rows)


def sign_up(volunteer, shifts: list, status: str = "confirmed") -> list:
    Signup = M("volunteers.Signup")
    return bulk(
        "volunteers.Signup",
        [Signup(shift=s, volunteer=volunteer, status=status, position=next_k()) for s in shifts],
    )


def new_service_record(volunteer, station, started: datetime.datetime, **fields):
    """Two hours of service reported by the volunteer, not yet verified."""
    fields = {
        "source": "self_reported",
        "description": "陪伴长者",
        "ended_at": started + datetime.timedelta(hours=2),
        "hours": Decimal("2.00"),
        "status": "pending",
        **fields,
    }
    Record = M("volunteers.ServiceRecord")
    return Record(volunteer=volunteer, station=station, started_at=started, **fields)
