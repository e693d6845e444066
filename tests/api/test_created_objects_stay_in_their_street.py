"""A creates through the API, B gets 404: every object a street's director creates with a POST
is read, changed and deleted only inside that street.

For each create operation of the API, the director of street A creates an object; the director
of street B and a social worker of street B's community then get 404 (not 403, which would say
the object exists) for its detail GET and for every other method the detail URL has, while the
director of street A reads it. The world is tests/security's two streets. The list of create
operations comes from the router, so a new one without a payload here fails the test.
"""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config.urls import router
from stations.models import StaffMembership
from tests.factories import make_staff
from tests.projects.conftest import valid_id

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

TODAY = timezone.localdate()


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        token = Token.objects.get_or_create(user=user)[0].key
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def payloads(world) -> dict:
    """What street A's director sends to each create operation: objects of street A."""
    network = world.network
    return {
        "stations": {"name": "华师新村社区", "level": "community", "parent": network.street_a.code},
        "needs-assessments": {
            "station": network.community_a1.code,
            "title": "长者需求调查",
            "method": "questionnaire",
            "date": TODAY.isoformat(),
            "respondents_count": 20,
            "findings": "独居长者最需要助餐。",
        },
        "projects": {
            "station": network.community_a1.code,
            "title": "长者助餐",
            "kind": "assistance",
            "category": "elderly_care",
        },
        "beneficiaries": {
            "station": network.community_a1.code,
            "name": "周玉珍",
            "id_number": valid_id(),
            "consent_date": TODAY.isoformat(),
            "consent_method": "written",
        },
        "assistance-records": {
            "project": world.project.code,
            "beneficiary": world.beneficiary.pk,
            "date": TODAY.isoformat(),
            "kind": "goods",
            "description": "米面油一份",
        },
        "progress-updates": {
            "project": world.project.code,
            "title": "第一次助餐",
            "body": "十二位长者在饭堂吃上了热饭。",
        },
        "campaigns": {
            "title": "长者饭堂冬季募捐",
            "host": world.host.pk,
            "lead_fund": world.fund.code,
            "goal": "5000.00",
            "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + datetime.timedelta(days=30)).isoformat(),
        },
        "disbursement-requests": {
            "fund": world.fund.code,
            "project": world.project.code,
            "amount": "10.00",
            "purpose": "购买餐具",
            "payee": "石牌街社工站",
        },
        "reports": {
            "kind": "station_monthly",
            "station": network.street_a.code,
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
        },
        "donations": {"target": f"f-{world.fund.code}", "amount": "50", "provider": "offline"},
    }


# Create operations whose objects every staff member may read: host charities are the
# registered legal entities behind the funds, public information.
SHARED = {"hosts"}

# The detail URL's key in each create operation's answer.
LOOKUP = {"stations": "code", "projects": "code", "campaigns": "code", "reports": "code"}
LOOKUP |= {"disbursement-requests": "code", "donations": "code"}


def create_operations() -> list[str]:
    return sorted(
        prefix
        for prefix, viewset, _basename in router.registry
        if hasattr(viewset, "create") and prefix not in SHARED
    )


@pytest.mark.parametrize("prefix", create_operations())
def test_an_object_created_in_street_a_is_404_in_street_b(world, prefix):
    cast, network = world.cast, world.network
    director_b = make_staff(network.street_b, StaffMembership.Role.DIRECTOR, "director-b")
    payload = payloads(world).get(prefix)
    assert payload is not None, f"POST /api/v1/{prefix}/ needs a payload in this test"
    headers = {"HTTP_IDEMPOTENCY_KEY": f"street-a-{prefix}"} if prefix == "donations" else {}

    created = api(cast.director).post(f"/api/v1/{prefix}/", payload, format="json", **headers)
    assert created.status_code in (201, 202), (prefix, created.status_code, created.json())
    url = f"/api/v1/{prefix}/{created.json()[LOOKUP.get(prefix, 'id')]}/"

    assert api(cast.director).get(url).status_code == 200
    missing = f"/api/v1/{prefix}/{'2147483000' if prefix not in LOOKUP else 'no-such-code'}/"
    # Street B's director holds every right street A's director does: only the scope refuses.
    assert api(director_b).get(url).status_code == 404, prefix
    for outsider in (director_b, cast.social_worker):
        client = api(outsider)
        for method in ("get", "put", "patch", "delete"):
            answer = getattr(client, method)(url, {}, format="json").status_code
            # 404, or for a method the detail does not have (405) or a right the role does not
            # hold at all (403, a social worker and donations), the same answer as for an
            # object that does not exist: nothing tells that the object is there.
            same = getattr(client, method)(missing, {}, format="json").status_code
            assert answer == same and answer in (403, 404, 405), (prefix, method, answer, same)
    # Where the detail takes PATCH, street A's director may use it.
    if prefix in ("stations", "projects"):
        assert api(cast.director).patch(url, {}, format="json").status_code == 200


def test_host_charities_are_shared_by_every_street(world):
    """The one create operation left out above (SHARED): every street reads every host."""
    director_b = make_staff(world.network.street_b, StaffMembership.Role.DIRECTOR, "director-b")
    url = f"/api/v1/hosts/{world.host.pk}/"
    assert api(world.cast.director).get(url).status_code == 200
    assert api(director_b).get(url).status_code == 200
