"""Star levels by verified hours, and a station's volunteers ranked by hours in a period."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.volunteers.conftest import at, make_volunteer, verified_record
from volunteers import selectors, services

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("hours", "stars"),
    [
        ("0", 0), ("99.99", 0), ("100", 1), ("299.99", 1), ("300", 2), ("599.99", 2),
        ("600", 3), ("999.99", 3), ("1000", 4), ("1499.99", 4), ("1500", 5), ("9000", 5),
    ],
)  # fmt: skip
def test_star_levels_at_the_thresholds(hours, stars):
    assert selectors.star_level(Decimal(hours)) == stars


def test_thresholds_are_configurable(settings):
    settings.VOLUNTEERS_STAR_THRESHOLDS = [10, 20, 30, 40, 50]
    assert selectors.star_level(Decimal("9.99")) == 0
    assert selectors.star_level(Decimal(10)) == 1
    assert selectors.star_level(Decimal(50)) == 5


def test_only_verified_hours_count_towards_stars(network, coordinator, settings):
    settings.VOLUNTEERS_STAR_THRESHOLDS = [5, 10, 20, 30, 40]
    volunteer = make_volunteer(network.community_a1)
    verified_record(volunteer, network.community_a1, days_ago=3, hours=Decimal(4), by=coordinator)
    verified_record(volunteer, network.community_a1, days_ago=4, hours=Decimal(1), by=coordinator)
    services.report_hours(
        volunteer=volunteer, station=network.community_a1, description="未认证",
        started_at=at(-5, 8), ended_at=at(-5, 18), hours=Decimal(10),
    )  # fmt: skip
    hours = selectors.hours_of(volunteer)
    assert hours.verified == Decimal(5) and hours.pending == Decimal(10)
    assert hours.stars == 1


def _population(network, coordinator, size: int):
    volunteers = []
    for index in range(size):
        volunteer = make_volunteer(network.community_a1 if index % 2 else network.community_a2)
        for day in range(2):
            verified_record(
                volunteer, volunteer.home_station, days_ago=2 + day,
                hours=Decimal(index + 1), by=coordinator,
            )  # fmt: skip
        volunteers.append(volunteer)
    return volunteers


def test_ranking_orders_by_hours_in_the_period(network, coordinator):
    volunteers = _population(network, coordinator, 3)
    outside = make_volunteer(network.community_b1)
    verified_record(outside, network.community_b1, days_ago=2, hours=Decimal(20), by=coordinator)
    today = timezone.localdate()
    rows = selectors.station_ranking(
        coordinator, station=network.street_a, start=today - datetime.timedelta(days=10), end=today
    )
    assert [row.pk for row in rows] == [v.pk for v in reversed(volunteers)]
    assert [row.period_hours for row in rows] == [Decimal(6), Decimal(4), Decimal(2)]
    # The period excludes hours served before it.
    rows = selectors.station_ranking(coordinator, station=network.street_a, start=today, end=today)
    assert rows == []


@pytest.mark.parametrize("size", [2, 8])
def test_ranking_page_query_count_does_not_grow(
    client, network, coordinator, size, django_assert_num_queries
):
    _population(network, coordinator, size)
    client.force_login(coordinator)
    url = f"/volunteer/staff/ranking/?station={network.street_a.code}&start=2000-01-01"
    client.get(url)  # warm the session and permission caches
    # session, user, permissions (2), station, ranking, stations list
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") == size + 1


def test_ranking_outside_the_scope_is_404(client, network, coordinator):
    client.force_login(coordinator)
    assert (
        client.get(f"/volunteer/staff/ranking/?station={network.street_b.code}").status_code == 404
    )
