"""The public volunteer join form fuzzed with hostile input through the test client.

Never a server error, and never a partial record: a refused registration creates no volunteer,
no account and nothing else; an accepted one creates exactly one volunteer and its account.
"""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from stations.models import Station
from tests.hostile import changed, form_value, nasty_text, row_counts, without_missing
from tests.volunteers.conftest import PASSWORD, birth_for_age, valid_id_number
from volunteers.models import Volunteer

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

JOIN = "/volunteer/join/"
FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.VOLUNTEERS_PUBLIC_POST_RATE = "100000/m"


VALID = {
    "real_name": "陈晓明",
    "gender": "male",
    "birth_date": "AGE35",
    "mobile": "MOBILE",
    "password": PASSWORD,
    "id_number": "ID",
    "home_station": "STATION",
    "skills": ["elderly_care", "it"],
    "availability": "weekend",
    "emergency_contact_name": "陈太太",
    "emergency_contact_phone": "13900001111",
    "privacy_consent": "on",
}


def counts():
    return row_counts("volunteers", extra_models=[get_user_model()])


def hostile_or(valid):
    """Mostly the valid value (so some registrations go through), otherwise hostile."""
    return form_value(st.one_of(st.just(valid), st.just(valid), nasty_text))


@FUZZ
@given(
    data=st.fixed_dictionaries(
        {
            "real_name": hostile_or("陈晓明"),
            "gender": hostile_or("male"),
            "birth_date": form_value(
                st.one_of(
                    st.just("AGE35"),
                    st.sampled_from(["1900-01-01", "2999-12-31", "0000-00-00", "1990-02-30"]),
                    st.dates().map(str),
                    nasty_text,
                )
            ),
            "mobile": hostile_or("MOBILE"),
            "password": hostile_or(PASSWORD),
            "id_number": hostile_or("ID"),
            "email": form_value(st.one_of(st.just("a@example.org"), nasty_text)),
            "home_station": form_value(
                st.one_of(
                    st.just("STATION"),
                    st.sampled_from([str(2**63), "-1", "0", "1e30", "NaN"]),
                    nasty_text,
                )
            ),
            "skills": form_value(st.one_of(st.just("it"), nasty_text)),
            "availability": form_value(st.one_of(st.just("weekend"), nasty_text)),
            "availability_note": form_value(nasty_text),
            "emergency_contact_name": hostile_or("陈太太"),
            "emergency_contact_phone": hostile_or("13900001111"),
            "guardian_name": form_value(nasty_text),
            "guardian_phone": form_value(nasty_text),
            "guardian_consent": form_value(st.sampled_from(["on", "", "\x00"])),
            "guardian_data_consent": form_value(st.sampled_from(["on", "", "\x00"])),
            "privacy_consent": hostile_or("on"),
        }
    ),
    serial=st.integers(min_value=0, max_value=10**7),
)
@example(data=dict(VALID), serial=1)  # accepted: exactly one volunteer and one account
@example(data={**VALID, "real_name": "陈\x00晓明"}, serial=2)
@example(data={**VALID, "home_station": str(2**63)}, serial=3)
@example(data={**VALID, "birth_date": "0000-00-00"}, serial=4)
@example(data={**VALID, "real_name": "陈" * 10_000}, serial=5)
@example(data={**VALID, "mobile": ["MOBILE", "13800000000"]}, serial=6)
def test_the_join_form_refuses_hostile_input_and_saves_all_or_nothing(
    client, network, data, serial
):
    cache.clear()
    client.logout()
    Station.objects.filter(pk=network.community_a1.pk).update(offers_volunteer_service=True)
    birth = birth_for_age(35)
    # A fresh mobile and ID number each time, so a valid submission is not a duplicate.
    replacements = {
        "AGE35": birth.isoformat(),
        "MOBILE": f"138{serial:08d}",
        "ID": valid_id_number(birth, serial % 1000),
        "STATION": str(network.community_a1.pk),
    }

    def real(value):
        if isinstance(value, list):
            return [replacements.get(v, v) for v in value]
        return replacements.get(value, value)

    data = {key: real(value) for key, value in data.items()}
    before = counts()

    response = client.post(JOIN, without_missing(data))

    assert response.status_code < 500, response.content[:500]
    if data == {key: real(value) for key, value in VALID.items()}:
        assert response.status_code == 302, response.content.decode()[:2000]
    delta = changed(before, counts())
    if response.status_code == 302:
        assert delta == {"volunteers.Volunteer": 1, "auth.User": 1}, delta
        volunteer = Volunteer.objects.order_by("-pk").first()
        assert "\x00" not in volunteer.real_name
    else:
        assert response.status_code in (200, 400, 429), response.status_code
        assert delta == {}, (response.status_code, delta)
