"""Every page residents see that lists rows costs the same number of queries for one row as
for fifty.

The pages come from the URL configuration (``config/urls.py`` and each app's ``urls.py``);
those whose view renders a list of rows are the ``CASES`` of ``pages.py``, one case per list
on the page (a fund's page lists its payments, its committee and its campaigns: three
cases), their rows built by ``rows.py`` in the ``World`` of ``world.py``. Each is read as a
resident on a phone, anonymous unless the page is a resident's own (a donor's gifts after the
look-up, a volunteer's own page, a committee member's dashboard). For each case one row is
built and the page read, then 49 more and the page read again: it must show 1 and then 50
rows (the station network also shows its three fixed stations) and run the same queries.

Pages of one thing (a gift's page, a certificate's check, the forms) list no rows and are not
here; ``test_every_listing_page_is_checked`` fails when a new public page appears in the URL
configuration without being named there, either as a listing page or as a page of one thing.
"""

import pytest
from django.test import Client
from django.urls import get_resolver

from tests.conftest import WECHAT_USER_AGENT
from tests.query_count_rows import N, make_places
from tests.query_counts import data_for_the_module, get_page, what_grew

from .pages import CASES, NOT_LISTS, STAFF_ROUTES
from .world import World

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(scope="module")
def base(django_db_setup, django_db_blocker):
    with data_for_the_module(django_db_blocker):
        street = {"offers_donation_point": True, "offers_volunteer_service": True}
        yield World(**make_places("qp", street=street, community={"offers_assistance": True}))


@pytest.fixture
def world(base, settings) -> World:
    # The point page's cache would answer without a query: measured here is the page itself.
    settings.DONATIONS_POINT_PAGE_CACHE_SECONDS = 0
    base.made.clear()
    return base


@pytest.mark.parametrize("name", list(CASES))
def test_each_list_costs_the_same_for_one_row_and_for_fifty(name, world):
    case = CASES[name]
    client = Client(headers={"user-agent": WECHAT_USER_AGENT})
    case.grow(world, 1)
    if case.resident:
        case.resident(world, client)
    url = case.url(world)
    client.get(url)  # caches filled once per process (content types, …) are not the page's cost
    one = get_page(client, url, rows=case.shown)
    case.grow(world, N - 1)
    many = get_page(client, url, rows=case.shown)

    expected = (case.fixed_rows + 1, case.fixed_rows + N)
    assert (one.rows, many.rows) == expected, (
        f"{name} ({url}): the page showed {one.rows} and then {many.rows} rows, not "
        f"{expected[0]} and {expected[1]}: its rows in CASES are not the ones it lists."
    )
    print(f"{name}: {len(one)} queries for {one.rows} rows, {len(many)} for {many.rows}")
    assert len(one) == len(many), (
        f"{name} ({url}): {len(one)} queries for {one.rows} rows, {len(many)} for "
        f"{many.rows}. Statements that grew:\n" + what_grew(one, many)
    )


def _public_url_names() -> set[str]:
    """The names of the site's pages outside the admin, the API and the staff's pages."""
    names = set()

    def walk(patterns, namespace="", prefix=""):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if hasattr(pattern, "url_patterns"):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner, route)
            elif pattern.name and not route.lstrip("^").startswith(STAFF_ROUTES):
                names.add(f"{namespace}{pattern.name}")

    walk(get_resolver().url_patterns)
    return names


def test_every_listing_page_is_checked():
    """A new public page is either a listing page with a case above, or named a page of one
    thing in NOT_LISTS, so none is left out by being forgotten."""
    checked = {case.url_name for case in CASES.values()} | set(NOT_LISTS)
    assert sorted(_public_url_names() - checked) == []
