"""The staff's list pages outside the admin (the volunteer coordinators' phone pages under
``/volunteer/staff/``) cost the same number of queries for one row as for fifty, read by the
volunteer coordinator of street A: the shifts, one shift's roster and the ranking by hours.
``test_every_staff_page_is_checked`` fails when a new page appears there without a case."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import get_resolver
from django.utils import timezone

from tests.factories import Role, make_staff
from tests.query_count_rows import (
    M,
    N,
    Stock,
    bulk,
    make_places,
    make_shifts,
    make_volunteers,
    new_service_record,
    next_k,
    sign_up,
)
from tests.query_counts import data_for_the_module, get_page, what_grew

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@dataclass
class World(Stock):
    coordinator: object  # street A's volunteer coordinator, who reads the pages

    def shift(self):
        """One shift with room for all the rows of its roster."""
        return self.once("shift", lambda: make_shifts(self.opportunity(), 1, capacity=N)[0])


def shifts(w, n):
    volunteer = w.once("volunteer", lambda: make_volunteers(w.community_a1, 1)[0])
    sign_up(volunteer, make_shifts(w.opportunity(), n))


def checked_in(shift, volunteers: list) -> list:
    """Every one of ``volunteers`` on ``shift``, checked in when it began."""
    Signup = M("volunteers.Signup")
    return bulk(
        "volunteers.Signup",
        [
            Signup(
                shift=shift,
                volunteer=v,
                status="confirmed",
                position=next_k(),
                checked_in_at=shift.starts_at,
            )
            for v in volunteers
        ],
    )


def roster(w, n):
    shift = w.shift()
    signups = checked_in(shift, make_volunteers(w.community_a1, n))
    bulk(
        "volunteers.ServiceRecord",
        [
            new_service_record(
                s.volunteer,
                w.community_a1,
                shift.starts_at,
                signup=s,
                source="shift",
                description="长者探访",
                ended_at=shift.ends_at,
                hours=Decimal("3.00"),
            )
            for s in signups[::2]
        ],
    )


def ranking(w, n):
    started = timezone.now() - datetime.timedelta(hours=3)  # the ranking reads this year
    bulk(
        "volunteers.ServiceRecord",
        [
            new_service_record(
                v,
                w.community_a1,
                started,
                description="探访",
                status="verified",
                verified_by=w.coordinator,
                verified_at=timezone.now(),
            )
            for v in make_volunteers(w.community_a1, n)
        ],
    )


@dataclass(frozen=True)
class Case:
    url_name: str
    url: Callable
    grow: Callable
    shown: Callable


CASES = {
    "coordinator: shifts": Case(
        "staff-shifts", lambda w: "/volunteer/staff/", shifts, lambda r: len(r.context["shifts"])
    ),
    "coordinator: a shift's roster": Case(
        "staff-roster",
        lambda w: f"/volunteer/staff/shifts/{w.shift().code}/",
        roster,
        lambda r: len(r.context["signups"]),
    ),
    "coordinator: ranking by hours": Case(
        "staff-ranking",
        lambda w: f"/volunteer/staff/ranking/?station={w.street_a.code}",
        ranking,
        lambda r: len(r.context["rows"]),
    ),
}
NOT_LISTS = {"staff-attendance": "a form post", "staff-export": "a file download"}


@pytest.fixture(scope="module")
def base(django_db_setup, django_db_blocker):
    with data_for_the_module(django_db_blocker):
        places = make_places("qs", street={"offers_volunteer_service": True})
        coordinator = make_staff(places["street_a"], Role.VOLUNTEER_COORDINATOR, "qs-coordinator")
        yield World(**places, coordinator=coordinator)


@pytest.fixture
def world(base) -> World:
    base.made.clear()
    return base


@pytest.mark.parametrize("name", list(CASES))
def test_each_staff_list_costs_the_same_for_one_row_and_for_fifty(name, world, client):
    case = CASES[name]
    client.force_login(world.coordinator)
    case.grow(world, 1)
    url = case.url(world)
    client.get(url)  # caches filled once per process are not the page's cost
    one = get_page(client, url, rows=case.shown)
    case.grow(world, N - 1)
    many = get_page(client, url, rows=case.shown)

    assert (one.rows, many.rows) == (1, N), (
        f"{name} ({url}): the page showed {one.rows} and then {many.rows} rows, not 1 and {N}"
    )
    print(f"{name}: {len(one)} queries for 1 row, {len(many)} for {N}")
    assert len(one) == len(many), (
        f"{name} ({url}): {len(one)} queries for 1 row, {len(many)} for {N}. "
        "Statements that grew:\n" + what_grew(one, many)
    )


def test_every_staff_page_is_checked():
    volunteers = next(
        p for p in get_resolver().url_patterns if getattr(p, "namespace", None) == "volunteers"
    )
    staff = {
        p.name for p in volunteers.url_patterns if str(p.pattern).lstrip("^").startswith("staff/")
    }
    checked = {case.url_name for case in CASES.values()} | set(NOT_LISTS)
    assert staff and sorted(staff - checked) == []
