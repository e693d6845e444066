"""CSRF: every URL refuses a POST from a signed-in browser without the token; an API client
signed in by token needs none and gets no session cookie.

The list of URLs comes from the URL configuration (``urlwalk``), so a new view is covered the
day it is added, and a view exempted by mistake fails here.
"""

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from stations.models import Station
from tests.security.urlwalk import all_routes

pytestmark = pytest.mark.django_db

# Views that may take a POST without the token, and why.
CSRF_EXEMPT = {
    # The payment gateway calls this server to server; an HMAC signature over the body proves
    # who sent it (donations.payments), and no cookie is read.
    "donations:notify",
}
ROUTES = all_routes()
TOKEN = "a" * 32  # a valid CSRF secret: the cookie and the form field carry the same value


def csrf_refused(response) -> bool:
    """403 and the CSRF message; the API's HTML pages (Swagger UI) show no message, but the
    superuser signed in here holds every permission, so their 403 can only be the CSRF check."""
    if response.status_code != 403:
        return False
    return b"CSRF" in response.content or response.wsgi_request.path.startswith("/api/")


@pytest.fixture
def browser_client(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.superuser)
    return client


def write_methods(route) -> list[str]:
    """The methods that may change something: the API view's own, or POST for a page."""
    actions = getattr(route.callback, "actions", None)
    if actions is not None:
        return [m for m in actions if m not in ("get", "head", "options")]
    return ["post"]


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.name)
def test_a_post_without_the_token_is_refused(browser_client, route):
    url = route.url()
    methods = write_methods(route)
    for method in methods or ["post"]:
        response = getattr(browser_client, method)(url, {})
        if route.name in CSRF_EXEMPT:
            assert not csrf_refused(response)
        elif not methods:
            # A read-only API endpoint: nothing to protect, and nothing is written.
            assert csrf_refused(response) or response.status_code == 405
        else:
            assert csrf_refused(response), (
                f"{method.upper()} {url}: {response.status_code} {response.content[:300]}"
            )


def test_the_exempt_list_names_real_urls():
    assert {route.name for route in ROUTES} >= CSRF_EXEMPT


@pytest.mark.parametrize(
    "url, data",
    [
        ("/admin/stations/station/add/", {"name": ""}),
        ("/volunteer/join/", {}),
        ("/donate/lookup/", {"mobile": "138"}),
        ("/i18n/setlang/", {"language": "en", "next": "/"}),
        ("/api/v1/stations/", {"name": ""}),
    ],
)
def test_the_same_post_with_the_token_is_let_through(browser_client, url, data):
    browser_client.cookies["csrftoken"] = TOKEN
    response = browser_client.post(url, data, HTTP_X_CSRFTOKEN=TOKEN)
    assert not csrf_refused(response), response.content[:300]
    assert response.status_code < 500


def test_a_token_signed_api_call_needs_no_csrf_and_sets_no_session(network, cast):
    token = Token.objects.create(user=cast.superuser)
    api = APIClient(enforce_csrf_checks=True)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.post(
        "/api/v1/stations/",
        {"name": "新社区", "level": "community", "parent": network.street_a.code, "code": "new-c"},
        format="json",
    )
    assert response.status_code == 201, response.content
    assert Station.objects.filter(code="new-c").exists()
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    response = api.patch("/api/v1/stations/new-c/", {"name": "新社区二"}, format="json")
    assert response.status_code == 200
    assert "sessionid" not in api.cookies
    # The token alone does not open the session-based admin.
    assert api.get("/admin/").status_code == 302
