"""The public donation pages and forms fuzzed with hostile input through the test client.

Never a server error, and never a partial record: a refused submission creates no row in any
donations or funds table, an accepted one creates exactly one pending donation (and its donor).
"""

import re
from decimal import Decimal

import pytest
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from donations.models import Donation
from tests.hostile import (
    changed,
    form_value,
    nasty_amount,
    nasty_text,
    row_counts,
    without_missing,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
APPS = ("donations", "funds")


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.DONATIONS_PUBLIC_POST_RATE = "100000/m"
    settings.DONATIONS_LOOKUP_RATE = "100000/m"


def fresh_token(client, url) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', client.get(url).content.decode())[1]


def assert_no_server_error(response):
    assert response.status_code < 500, response.content[:500]


@FUZZ
@given(
    path=st.one_of(
        st.sampled_from(["/donate/", "/donate/lookup/", "/donate/my/"]),
        nasty_text.map(lambda text: f"/d/{text}/"),
        nasty_text.map(lambda text: f"/donate/g/{text}/"),
        nasty_text.map(lambda text: f"/donate/give/{text}/"),
    ),
    query=st.dictionaries(nasty_text, nasty_text, max_size=3),
)
def test_public_donation_pages_never_fail(client, point, path, query):
    response = client.get(path, query)
    assert_no_server_error(response)


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "target": form_value(st.one_of(st.sampled_from(["FUND", "PROJECT"]), nasty_text)),
            "amount_preset": form_value(
                st.one_of(st.sampled_from(["10", "50", "100"]), nasty_amount)
            ),
            "amount_other": form_value(nasty_amount),
            "donor_name": form_value(nasty_text),
            "is_anonymous": form_value(st.sampled_from(["on", "1", "", "false", "\x00"])),
            "mobile": form_value(
                st.one_of(
                    st.sampled_from(["13800001111", "138 0000 1111", "+8613800001111"]), nasty_text
                )
            ),
            "message": form_value(nasty_text),
            "receipt_wanted": form_value(st.sampled_from(["1", "on", "", "\x00"])),
            "provider": form_value(st.one_of(st.sampled_from(["sandbox", "offline"]), nasty_text)),
        }
    ),
    token=st.sampled_from(["fresh", "reused", "missing", "random", "repeated"]),
    via_point=st.booleans(),
)
def test_the_donation_form_refuses_hostile_input_and_saves_all_or_nothing(
    client, point, fund, project, data, token, via_point
):
    cache.clear()
    url = f"/d/{point.code}/" if via_point else f"/donate/give/f-{fund.code}/"
    fresh = fresh_token(client, url)
    tokens = {
        "fresh": fresh,
        "reused": Donation.objects.values_list("form_token", flat=True).first() or fresh,
        "missing": None,
        "random": "x" * 65,
        "repeated": [fresh, fresh + "x"],
    }
    replacements = {"FUND": f"f-{fund.code}", "PROJECT": f"p-{project.code}"}
    data = {
        key: [replacements.get(v, v) for v in value]
        if isinstance(value, list)
        else replacements.get(value, value)
        for key, value in data.items()
    }
    data["form_token"] = tokens[token]
    reused = token == "reused" and Donation.objects.filter(form_token=tokens["reused"]).exists()
    before = row_counts(*APPS)

    response = client.post(url, without_missing(data))

    assert_no_server_error(response)
    delta = changed(before, row_counts(*APPS))
    if response.status_code == 302 and not reused:
        assert delta.get("donations.Donation") == 1, delta
        assert set(delta) <= {"donations.Donation", "donations.Donor"}, delta
        assert delta.get("donations.Donor", 0) in (0, 1), delta
        donation = Donation.objects.order_by("-pk").first()
        assert donation.status == Donation.Status.PENDING
        assert Decimal("0") < donation.amount < Decimal("1e12")
        for text in (donation.donor_name, donation.message):
            assert "\x00" not in text
    else:
        assert delta == {}, (response.status_code, delta)
        assert response.status_code in (200, 302, 400, 404, 429), response.status_code


@pytest.mark.parametrize("amount", ["1e30", "-1e30", "999999999999999.99", str(2**63)])
def test_a_huge_amount_is_refused_with_a_message(client, point, fund, amount):
    url = f"/d/{point.code}/"
    before = row_counts(*APPS)
    response = client.post(
        url,
        {
            "target": f"f-{fund.code}",
            "amount_other": amount,
            "receipt_wanted": "1",
            "provider": "sandbox",
            "form_token": fresh_token(client, url),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "金额过大" in html or "金额必须大于零" in html
    assert changed(before, row_counts(*APPS)) == {}


@FUZZ
@given(mobile=form_value(nasty_text), code=form_value(nasty_text))
def test_the_donor_lookup_refuses_hostile_input(client, mobile, code):
    cache.clear()
    before = row_counts(*APPS)
    response = client.post("/donate/lookup/", without_missing({"mobile": mobile}))
    assert_no_server_error(response)
    delta = changed(before, row_counts(*APPS))
    if response.status_code == 302:
        assert delta == {"donations.LookupCode": 1}, delta
    else:
        # 200: an empty body shows the form again.
        assert response.status_code in (200, 400, 429) and delta == {}, (
            response.status_code,
            delta,
        )

    before = row_counts(*APPS)
    response = client.post("/donate/lookup/code/", without_missing({"code": code}))
    assert_no_server_error(response)
    assert changed(before, row_counts(*APPS)) == {}
    assert response.status_code in (200, 302, 400, 429)
