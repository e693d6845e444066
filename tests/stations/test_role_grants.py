"""Role groups and their permissions come back after the database is flushed."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from stations.roles import ROLE_GROUP_NAMES
from stations.signals import migration_grants
from tests.factories import Role, make_staff


def grants_now() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.prefetch_related("permissions")
    }


@pytest.mark.django_db(transaction=True)
def test_flush_keeps_every_role_grant_of_the_migrations():
    call_command("flush", interactive=False, verbosity=0)
    after = grants_now()
    expected = migration_grants()
    assert set(after) == set(ROLE_GROUP_NAMES.values())
    for role, perms in expected.items():
        assert after[ROLE_GROUP_NAMES[role]] == perms, role
    assert "funds.pay_disbursementrequest" in after["财务"]


@pytest.mark.django_db(transaction=True)
def test_a_director_has_the_role_permissions_in_a_transactional_test(network):
    director = make_staff(network.street_a, Role.DIRECTOR, "director-flushed")
    assert director.has_perm("stations.view_station")
    assert director.has_perm("donations.view_donation")


@pytest.mark.django_db
def test_the_migrated_grants_equal_the_recorded_ones():
    """What migrate made (no flush yet) is what the handler would make."""
    now = grants_now()
    for role, perms in migration_grants().items():
        assert now[ROLE_GROUP_NAMES[role]] == perms, role
