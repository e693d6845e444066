"""The coordinators' admin: scoped lists with masked identifiers, review actions via services."""

import pytest

from tests.volunteers.conftest import birth_for_age, make_volunteer, valid_id_number
from volunteers.models import Volunteer

pytestmark = pytest.mark.django_db

LIST = "/admin/volunteers/volunteer/"


def test_list_is_scoped_and_masked(client, network, coordinator):
    birth = birth_for_age(28)
    mine = make_volunteer(
        network.community_a1,
        mobile="13812345678",
        birth_date=birth,
        id_number=valid_id_number(birth),
    )
    other = make_volunteer(network.community_b1, real_name="外街志愿者")
    client.force_login(coordinator)
    response = client.get(LIST)
    html = response.content.decode()
    assert response.status_code == 200
    assert mine.real_name in html and "138****5678" in html and mine.id_number_masked in html
    assert "13812345678" not in html and mine.id_number not in html
    assert other.real_name not in html
    assert client.get(f"{LIST}{other.pk}/change/").status_code == 404
    change = client.get(f"{LIST}{mine.pk}/change/").content.decode()
    assert mine.id_number not in change


def test_approve_and_reject_actions_call_the_services(client, network, coordinator):
    waiting = [make_volunteer(network.community_a1, active=False) for _ in range(2)]
    client.force_login(coordinator)
    client.post(LIST, {"action": "approve", "_selected_action": [waiting[0].pk]})
    assert Volunteer.objects.get(pk=waiting[0].pk).status == "active"
    # Rejecting asks for a reason first and changes nothing until it is given.
    response = client.post(LIST, {"action": "reject", "_selected_action": [waiting[1].pk]})
    assert response.status_code == 200 and "理由" in response.content.decode()
    client.post(
        LIST, {"action": "reject", "_selected_action": [waiting[1].pk], "apply": "1", "reason": ""}
    )
    assert Volunteer.objects.get(pk=waiting[1].pk).status == "pending"
    client.post(
        LIST,
        {
            "action": "reject",
            "_selected_action": [waiting[1].pk],
            "apply": "1",
            "reason": "信息不实",
        },
    )
    rejected = Volunteer.objects.get(pk=waiting[1].pk)
    assert rejected.status == "rejected" and rejected.rejection_reason == "信息不实"
    assert rejected.reviewed_by == coordinator


def test_coordinator_registers_a_volunteer_in_the_admin(client, network, coordinator):
    client.force_login(coordinator)
    data = {
        "real_name": "现场登记",
        "gender": "female",
        "birth_date": birth_for_age(15).isoformat(),
        "mobile": "13811112222",
        "home_station": network.community_a1.pk,
        "emergency_contact_name": "母亲",
        "emergency_contact_phone": "13811113333",
        "privacy_consent": "on",
    }
    response = client.post(f"{LIST}add/", data)
    assert response.status_code == 200  # refused: a minor without guardian consent
    assert "监护人" in response.content.decode()
    assert not Volunteer.objects.exists()
    data |= {"guardian_name": "母亲", "guardian_phone": "13811113333", "guardian_consent": "on"}
    response = client.post(f"{LIST}add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    volunteer = Volunteer.objects.get()
    assert volunteer.status == "active" and volunteer.reviewed_by == coordinator
    assert volunteer.user is not None and not volunteer.user.has_usable_password()


def test_coordinator_can_only_pick_their_stations(client, network, coordinator):
    client.force_login(coordinator)
    html = client.get(f"{LIST}add/").content.decode()
    assert network.community_a1.name in html and network.community_b1.name not in html
