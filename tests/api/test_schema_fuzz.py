"""The whole API fuzzed from its own OpenAPI schema with schemathesis, in process, on Postgres.

Every operation of ``/api/schema/`` gets at least 100 generated requests (valid and invalid
data, NUL bytes, huge numbers, unknown filter and ordering values ...) sent through the WSGI
application with a staff token, and every answer must pass all of schemathesis's default
checks: no server error, a documented status code, content type and headers, a body matching
the documented schema, an operation that requires authentication refuses a request without it,
data the schema calls invalid is refused (negative_data_rejection) and data it calls valid is
accepted (positive_data_acceptance). For the latter, an operation may also answer 422 where
the schema documents it: well-formed data that breaks a business rule the schema cannot state
(``config.api_schema.RULE_ANSWERS`` names the rules of each operation).
Path parameters are drawn half of the time from the codes and ids of real objects (the demo
data), so detail pages and actions reach the code behind the 404.

On top of that, a check of our own replays every successful read as two street directors: an
object of one street is never visible to the director of the other.
"""

import collections

import pytest
import schemathesis
from auditlog.context import disable_auditlog
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from config.api_schema import RULE_ANSWERS
from config.wsgi import application
from stations.models import StaffMembership, Station
from tests.factories import make_user

pytestmark = [pytest.mark.postgres]

MAX_EXAMPLES = 100
SEED = 20260101

# The statuses positive_data_acceptance accepts by default for a schema-valid request.
ACCEPTED = ["2xx", "3xx", "401", "403", "404", "409", "429", "5xx"]

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        # A schema-valid request to an operation that documents a 422 may get it: the data is
        # well formed but breaks a business rule the schema cannot state (a code of another
        # station, a step the object's state does not allow ...). Each operation's rules are
        # named in RULE_ANSWERS and in the schema's description of its 422; a 400 (the data does
        # not match the schema) still fails the check everywhere.
        "operations": [
            {
                "include-name": operation,
                "checks": {"positive_data_acceptance": {"expected-statuses": [*ACCEPTED, "422"]}},
            }
            for operation in RULE_ANSWERS
        ],
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "database": "none"},
        # The fuzzing phase (MAX_EXAMPLES generated requests per operation, valid and invalid)
        # and the schema's own examples; the coverage phase's hundreds of boundary requests per
        # operation would take the suite well past its time budget.
        "phases": {"coverage": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/schema/", application, config=CONFIG)

# Real values for path parameters, filled by the ``world`` fixture: {path template: {name: [..]}}.
KNOWN_PATH_VALUES: dict[str, dict[str, list]] = {}
# The staff account's token, set by the ``world`` fixture.
STAFF_TOKEN: dict[str, str] = {}
# Objects that one director read and the other could not, per operation.
ISOLATION_CHECKED: collections.Counter = collections.Counter()
# Requests sent per operation, checked by test_every_operation_got_enough_examples.
EXAMPLES_SENT: collections.Counter = collections.Counter()


@schema.auth(refresh_interval=None)
class StaffToken:
    """Every request carries the staff account's token (the schema's ``tokenAuth``)."""

    def get(self, case, ctx):
        return STAFF_TOKEN.get("key", "not-yet-known")

    def set(self, case, data, ctx):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Token {data}"


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    known = KNOWN_PATH_VALUES.get(context.operation.path, {})
    if not isinstance(path_parameters, dict) or not path_parameters:
        return st.just(path_parameters)
    choices = {
        name: st.sampled_from(known[name]) if known.get(name) else st.just(value)
        for name, value in path_parameters.items()
    }
    if not choices or not any(known.get(name) for name in path_parameters):
        return st.just(path_parameters)
    return st.one_of(st.just(path_parameters), st.fixed_dictionaries(choices))


class World:
    """Demo data, a staff account seeing all of it, and one director for each of two streets."""

    def __init__(self):
        call_command("seed_demo", force=True, stdout=open_devnull())
        self.staff = make_user("fuzz-staff", is_staff=True, is_superuser=True)
        self.director_a = StaffMembership.objects.get(
            user__username="director", role=StaffMembership.Role.DIRECTOR
        ).user
        street_a = StaffMembership.objects.get(user=self.director_a).station
        street_b = Station.objects.filter(level=street_a.level).exclude(pk=street_a.pk).first()
        from stations.services import add_staff_member

        self.director_b = make_user("fuzz-director-b")
        add_staff_member(station=street_b, user=self.director_b, role=StaffMembership.Role.DIRECTOR)
        self.street_a, self.street_b = street_a, street_b

    @staticmethod
    def token_header(user) -> dict:
        return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"}


def open_devnull():
    import io

    return io.StringIO()


def collect_known_path_values(client, headers) -> None:
    """Codes and ids of real objects for every path parameter, read from the list operations."""
    KNOWN_PATH_VALUES.clear()
    lists: dict[str, list] = {}
    for result in schema.get_all_operations():
        operation = result.ok()
        names = [p.name for p in operation.path_parameters]
        if not names:
            continue
        list_path = operation.path.split("{", 1)[0]
        if list_path not in lists:
            response = client.get(list_path, headers=headers)
            lists[list_path] = response.json().get("results", []) if response.ok else []
        KNOWN_PATH_VALUES[operation.path] = {
            name: sorted({str(row[name]) for row in lists[list_path] if row.get(name) is not None})
            for name in names
        }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Seeded once per module inside a transaction that is rolled back at the end."""
    from django.test import Client

    import donations.demo

    # The demo's thousand donations add nothing here but a minute of seeding.
    with pytest.MonkeyPatch.context() as patch, django_db_blocker.unblock():
        patch.setattr(donations.demo, "DONATIONS", 60)
        patch.setattr(donations.demo, "DONORS", 20)
        patch.setattr(
            django_settings, "PASSWORD_HASHERS", ["django.contrib.auth.hashers.MD5PasswordHasher"]
        )
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # The audit history of the demo's thousands of writes is a third of the seeding
            # time, and no API operation reads it.
            with disable_auditlog():
                world = World()
            STAFF_TOKEN["key"] = Token.objects.get_or_create(user=world.staff)[0].key
            client = Client()
            collect_known_path_values(_Requests(client), World.token_header(world.staff))
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


class _Requests:
    """The Django test client answering like ``requests`` for collect_known_path_values."""

    def __init__(self, client):
        self.client = client

    def get(self, path, headers):
        response = self.client.get(path, headers=headers)
        response.ok = response.status_code == 200
        return response


@pytest.fixture(autouse=True)
def _keep_test_connection():
    """Like Django's test client: the end of a request must not close the test's connection."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    settings.DONATIONS_PUBLIC_POST_RATE = "100000/m"
    settings.DONATIONS_LOOKUP_RATE = "100000/m"
    settings.VOLUNTEERS_PUBLIC_POST_RATE = "100000/m"


# Operations whose objects every staff account may read, whatever its station.
SHARED_BETWEEN_STREETS = {
    # Host charities: the registered legal entities behind the funds, public information.
    "/api/v1/hosts/{id}/",
}


def gave_in_both_streets(world, url: str) -> bool:
    """A donor is one person who may give to funds of both streets; each street's director
    then sees them, rightly. Checked from the donor's own gifts, not through the API."""
    from donations.models import Donation

    donor_id = url.rstrip("/").rsplit("/", 1)[-1]
    gifts = Donation.objects.filter(donor_id=donor_id)
    return all(
        gifts.filter(fund__station__path__startswith=street.path).exists()
        for street in (world.street_a, world.street_b)
    )


# Operations whose object may rightly belong to both streets, and how to tell.
SHARED_WHEN = {"/api/v1/donors/{id}/": gave_in_both_streets}


def is_public(operation) -> bool:
    """The schema lets anyone call it (``{}`` among its security requirements)."""
    return {} in operation.definition.raw.get("security", [{}])


def street_isolation(world):
    """A check: what one street's director may read, the other street's director may not."""
    from werkzeug.test import Client

    # The WSGI application directly, like schemathesis (Django's test client would reconnect
    # the signal handler that closes the test's database connection after each request).
    client = Client(application)
    headers_a = World.token_header(world.director_a)
    headers_b = World.token_header(world.director_b)

    def check(ctx, response, case):
        if case.method != "GET" or not case.path_parameters or response.status_code != 200:
            return None
        if case.operation.path in SHARED_BETWEEN_STREETS or is_public(case.operation):
            return None
        url = "/" + response.request.url.split("://", 1)[1].split("/", 1)[1]
        as_a = client.get(url, headers=headers_a)
        as_b = client.get(url, headers=headers_b)
        shared = SHARED_WHEN.get(case.operation.path)
        if shared is not None and shared(world, url):
            return None
        assert not (as_a.status_code == 200 and as_b.status_code == 200), (
            f"{case.operation.label}: both street directors read {url}"
        )
        if 200 in (as_a.status_code, as_b.status_code):
            ISOLATION_CHECKED[case.operation.label] += 1
        return None

    return check


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api(case, world, db):
    EXAMPLES_SENT[case.operation.label] += 1
    case.call_and_validate(additional_checks=[street_isolation(world)])


def test_every_operation_got_enough_examples():
    """Runs after test_api (same module, defined below it): every operation of the schema was
    sent at least MAX_EXAMPLES generated requests."""
    if not EXAMPLES_SENT:
        pytest.skip("test_api did not run in this session (deselected)")
    labels = {result.ok().label for result in schema.get_all_operations()}
    short = {label: EXAMPLES_SENT[label] for label in labels if EXAMPLES_SENT[label] < MAX_EXAMPLES}
    assert not short, short
    # The street check was not vacuous: objects of one street were refused to the other.
    assert sum(ISOLATION_CHECKED.values()) >= 100, ISOLATION_CHECKED
    assert len(ISOLATION_CHECKED) >= 10, ISOLATION_CHECKED


def test_every_operation_with_rule_answers_is_in_the_schema():
    """A misspelt entry in RULE_ANSWERS would silently configure nothing."""
    labels = {result.ok().label for result in schema.get_all_operations()}
    assert set(RULE_ANSWERS) <= labels, set(RULE_ANSWERS) - labels
    for result in schema.get_all_operations():
        operation = result.ok()
        documented = "422" in operation.definition.raw["responses"]
        assert documented == (operation.label in RULE_ANSWERS), operation.label
