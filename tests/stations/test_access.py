"""The scoping rule through every door: admin list, change URL, foreign-key choices, API."""

import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from stations.models import Station

pytestmark = pytest.mark.django_db

ADMIN_LIST = "/admin/stations/station/"


def change_url(station: Station) -> str:
    return f"/admin/stations/station/{station.pk}/change/"


def test_director_admin_list_shows_own_subtree_only(client, network, cast):
    client.force_login(cast.director)
    response = client.get(ADMIN_LIST)
    assert response.status_code == 200
    html = response.content.decode()
    for own in (network.street_a, network.community_a1, network.community_a2):
        assert change_url(own) in html
    for other in (network.district, network.street_b, network.community_b1):
        assert change_url(other) not in html
    assert network.street_b.name not in html and network.community_b1.name not in html


def test_director_gets_404_for_another_streets_change_url(client, network, cast):
    client.force_login(cast.director)
    assert client.get(change_url(network.community_a1)).status_code == 200
    for other in (network.community_b1, network.street_b, network.district):
        response = client.get(change_url(other))
        assert response.status_code == 404
        assert other.name not in response.content.decode()
    assert (
        client.get(f"/admin/stations/station/{network.community_b1.pk}/history/").status_code == 404
    )


def test_foreign_key_choices_are_scoped(client, network, cast):
    client.force_login(cast.director)
    html = client.get("/admin/stations/station/add/").content.decode()
    select = re.search(r'<select name="parent".*?</select>', html, re.S).group(0)
    options = set(re.findall(r'<option value="(\d+)"', select))
    assert options == {
        str(s.pk) for s in (network.street_a, network.community_a1, network.community_a2)
    }


def test_admin_refuses_a_parent_outside_the_scope_and_saves_nothing(client, network, cast):
    client.force_login(cast.director)
    data = {
        "name": "越界社区",
        "level": "community",
        "parent": network.street_b.pk,
        "code": "sneaky",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/stations/station/add/", data)
    assert response.status_code == 200  # the form again, with the error
    assert not Station.objects.filter(code="sneaky").exists()


def test_admin_refuses_wrong_level_with_a_clear_message(client, network, cast):
    client.force_login(cast.superuser)
    data = {
        "name": "错层社区",
        "level": "community",
        "parent": network.district.pk,
        "code": "wrong-level",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/stations/station/add/", data)
    assert response.status_code == 200
    assert "街道" in response.content.decode()
    assert not Station.objects.filter(code="wrong-level").exists()


def test_director_creates_a_community_in_the_admin(client, network, cast):
    client.force_login(cast.director)
    data = {
        "name": "新建社区",
        "level": "community",
        "parent": network.street_a.pk,
        "code": "brand-new",
        "contact_phone": "020-12345678",
        "is_active": "on",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    response = client.post("/admin/stations/station/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Station.objects.get(code="brand-new").path.startswith(network.street_a.path)


def test_social_worker_can_view_but_not_change(client, network, cast):
    client.force_login(cast.social_worker)
    assert client.get(ADMIN_LIST).status_code == 200
    assert client.get("/admin/stations/station/add/").status_code == 403


def api_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_api_list_is_scoped(network, cast):
    response = api_client(cast.director).get("/api/v1/stations/")
    assert response.status_code == 200
    assert {row["code"] for row in response.json()["results"]} == {
        "street-a",
        "community-a1",
        "community-a2",
    }


def test_api_detail_outside_scope_is_404(network, cast):
    client = api_client(cast.director)
    assert client.get("/api/v1/stations/community-a1/").status_code == 200
    response = client.get("/api/v1/stations/community-b1/")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_api_needs_authentication(network):
    response = APIClient().get("/api/v1/stations/")
    assert response.status_code in (401, 403)


def test_api_filters(network, cast):
    client = api_client(cast.superuser)
    network.community_a1.offers_donation_point = True
    network.community_a1.save()
    codes = lambda **q: {r["code"] for r in client.get("/api/v1/stations/", q).json()["results"]}  # noqa: E731
    assert codes(level="street") == {"street-a", "street-b"}
    assert codes(parent="street-a") == {"community-a1", "community-a2"}
    assert codes(service="donation_point") == {"community-a1"}
    assert codes(search="林和") == {"street-b", "community-b1"}
    assert codes(within="street-b") == {"street-b", "community-b1"}


def test_api_create_refuses_wrong_level_and_outside_parent(network, cast):
    client = api_client(cast.director)
    response = client.post(
        "/api/v1/stations/",
        {"name": "错层", "level": "district", "parent": "street-a", "code": "api-bad"},
        format="json",
    )
    assert response.status_code == 422
    assert "parent" in response.json()["error"]["fields"]
    response = client.post(
        "/api/v1/stations/",
        {"name": "越界", "level": "community", "parent": "street-b", "code": "api-out"},
        format="json",
    )
    assert response.status_code == 422
    response = client.post(
        "/api/v1/stations/",
        {"name": "好社区", "level": "community", "parent": "street-a", "code": "api-ok"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert set(Station.objects.filter(code__startswith="api-").values_list("code", flat=True)) == {
        "api-ok"
    }


def test_api_create_refuses_duplicate_code(network, cast):
    response = api_client(cast.superuser).post(
        "/api/v1/stations/",
        {"name": "重复", "level": "community", "parent": "street-a", "code": "community-a1"},
        format="json",
    )
    assert response.status_code == 422
    assert "code" in response.json()["error"]["fields"]


def test_api_social_worker_cannot_create(network, cast):
    response = api_client(cast.social_worker).post(
        "/api/v1/stations/",
        {"name": "x", "level": "community", "parent": "community-b1", "code": "api-sw"},
        format="json",
    )
    assert response.status_code == 403


def test_schema_and_docs(client):
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
