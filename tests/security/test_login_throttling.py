"""Login throttling (django-axes): five wrong passwords for one account from one address lock
that account at that address; another address and another account are not affected."""

import pytest
from django.core.management import call_command

from tests.security.conftest import PASSWORD

pytestmark = pytest.mark.django_db

HERE = "203.0.113.7"
ELSEWHERE = "198.51.100.9"


def admin_login(world):
    user = world.cast.director
    user.set_password(PASSWORD)
    user.save()
    return "/admin/login/", {"username": user.username}, user, "username"


def committee_login(world):
    return (
        f"/funds/{world.fund.code}/login/",
        {"username": world.committee_member.username},
        world.committee_member,
        "username",
    )


def volunteer_login(world):
    return "/volunteer/login/", {"mobile": world.volunteer.mobile}, world.volunteer_user, "mobile"


DOORS = [admin_login, committee_login, volunteer_login]


def signed_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def attempt(client, url, who, password, address):
    return client.post(url, {**who, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.__name__)
def test_five_failures_lock_the_account_at_that_address_only(
    client, world, door, django_user_model
):
    url, who, user, _field = door(world)
    for _ in range(4):
        response = attempt(client, url, who, "wrong-password", HERE)
        assert response.status_code in (200, 400)
        assert not signed_in(client, user)
    # The fifth failure locks the account and says so.
    assert attempt(client, url, who, "wrong-password", HERE).status_code == 429

    # The right password is refused now, with a clear page.
    response = attempt(client, url, who, PASSWORD, HERE)
    assert response.status_code == 429
    page = response.content.decode()
    assert "登录失败次数过多" in page and "30 分钟" in page
    assert not signed_in(client, user)

    # Another address signs in at once.
    other = client.__class__()
    response = attempt(other, url, who, PASSWORD, ELSEWHERE)
    assert response.status_code == 302
    assert signed_in(other, user)


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.__name__)
def test_four_failures_do_not_lock_and_a_success_clears_the_count(client, world, door):
    url, who, user, _field = door(world)
    for _ in range(4):
        attempt(client, url, who, "wrong-password", HERE)
    response = attempt(client, url, who, PASSWORD, HERE)
    assert response.status_code == 302 and signed_in(client, user)
    client.logout()
    for _ in range(4):
        attempt(client, url, who, "wrong-password", HERE)
    assert attempt(client, url, who, PASSWORD, HERE).status_code == 302


def test_another_account_from_the_locked_address_is_not_locked(client, world):
    url, who, _user, _field = admin_login(world)
    for _ in range(6):
        attempt(client, url, who, "wrong-password", HERE)
    finance = world.cast.finance_officer
    finance.set_password(PASSWORD)
    finance.save()
    response = attempt(client, url, {"username": finance.username}, PASSWORD, HERE)
    assert response.status_code == 302 and signed_in(client, finance)


def test_an_operator_unlocks_an_account(client, world):
    url, who, user, _field = admin_login(world)
    for _ in range(5):
        attempt(client, url, who, "wrong-password", HERE)
    assert attempt(client, url, who, PASSWORD, HERE).status_code == 429
    call_command("axes_reset_username", user.username)
    response = attempt(client, url, who, PASSWORD, HERE)
    assert response.status_code == 302 and signed_in(client, user)


def test_the_failed_password_is_not_stored(world):
    from axes.models import AccessAttempt

    url, who, _user, _field = volunteer_login(world)
    from django.test import Client

    client = Client()
    attempt(client, url, who, "wrong-password-123", HERE)
    stored = AccessAttempt.objects.get()
    assert "wrong-password-123" not in stored.post_data
    assert world.volunteer.mobile not in stored.post_data
