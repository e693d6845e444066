"""A donation point's page from the cache: no query per visit, fresh tokens for each visitor,
edits shown at once, and the page still served when the cache is down."""

import re

import pytest
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from donations import page_cache
from donations.forms import TOKEN_RE
from donations.models import Donation

pytestmark = pytest.mark.django_db

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
FORM_TOKEN_RE = re.compile(r'name="form_token" value="([^"]+)"')


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.DONATIONS_POINT_PAGE_CACHE_SECONDS = 60


def url(point) -> str:
    return f"/d/{point.code}/"


def without_tokens(html: str) -> str:
    return FORM_TOKEN_RE.sub("", CSRF_RE.sub("", html))


def test_a_second_visit_costs_no_query_and_gets_its_own_tokens(point, django_assert_num_queries):
    first = Client().get(url(point))
    with django_assert_num_queries(0):
        second = Client().get(url(point))
    assert first.status_code == second.status_code == 200
    pages = [first.content.decode(), second.content.decode()]
    assert without_tokens(pages[0]) == without_tokens(pages[1])
    form_tokens = [FORM_TOKEN_RE.search(page).group(1) for page in pages]
    assert form_tokens[0] != form_tokens[1]
    assert all(TOKEN_RE.match(token) for token in form_tokens)
    for page in pages:
        assert page_cache.CSRF_SLOT not in page and page_cache.FORM_TOKEN_SLOT not in page
        assert point.place in page and "石牌街“暖冬行动”社区募捐" in page
    assert second.cookies["csrftoken"].value


def test_a_resident_gives_from_the_cached_page_with_csrf_checked(point, fund):
    Client().get(url(point))  # someone else filled the cache
    resident = Client(enforce_csrf_checks=True)
    page = resident.get(url(point)).content.decode()
    data = {
        "target": f"f-{fund.code}",
        "amount_preset": "50",
        "receipt_wanted": "1",
        "provider": "sandbox",
        "form_token": FORM_TOKEN_RE.search(page).group(1),
    }
    assert resident.post(url(point), data).status_code == 403  # no CSRF token: refused
    assert not Donation.objects.exists()
    data["csrfmiddlewaretoken"] = CSRF_RE.search(page).group(1)
    response = resident.post(url(point), data)
    assert response.status_code == 302
    assert Donation.objects.get().amount == 50


def test_edits_show_at_once(client, point, project, campaign):
    assert project.title in client.get(url(point)).content.decode()
    point.place = "石牌东路40号"
    point.save()
    assert "石牌东路40号" in client.get(url(point)).content.decode()
    campaign.title = "石牌街“温暖过冬”社区募捐"
    campaign.save()
    assert "温暖过冬" in client.get(url(point)).content.decode()
    point.projects.remove(project)
    assert project.title not in client.get(url(point)).content.decode()
    point.is_active = False
    point.save()
    assert client.get(url(point)).status_code == 404


def test_each_language_has_its_own_page(client, point):
    client.get(url(point), HTTP_ACCEPT_LANGUAGE="zh-hans")
    english = client.get(url(point), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(url(point), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Give now" in english and "Give now" not in chinese


def test_a_query_string_gets_a_page_of_its_own_making(client, point):
    client.get(url(point))
    page = client.get(url(point) + "?from=poster").content.decode()
    assert f'value="/d/{point.code}/?from=poster"' in page  # the language switch returns there


def test_without_a_working_cache_the_page_is_still_served(client, point):
    unreachable = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get(url(point))
    assert response.status_code == 200
    token = FORM_TOKEN_RE.search(response.content.decode()).group(1)
    assert TOKEN_RE.match(token) and token != page_cache.FORM_TOKEN_SLOT


def test_off_when_the_setting_is_zero(client, point, settings):
    settings.DONATIONS_POINT_PAGE_CACHE_SECONDS = 0
    client.get(url(point))
    with CaptureQueriesContext(connection) as second_visit:
        client.get(url(point))
    assert len(second_visit) > 0
