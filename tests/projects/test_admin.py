"""Staff's admin pages: they load, register through the services, and actions call them."""

import pytest
from django.utils import timezone

from projects.models import Beneficiary, Project

from .conftest import make_project, register, valid_id

pytestmark = pytest.mark.django_db

PAGES = [
    "needsassessment",
    "project",
    "beneficiary",
    "beneficiaryviewlog",
    "assistancerecord",
    "serviceactivity",
    "progressupdate",
    "evaluation",
]


@pytest.mark.parametrize("model", PAGES)
def test_admin_pages_load_in_chinese(client, cast, team, model):
    register(team.project.station, recorder=team.lead, project=team.project)
    client.force_login(cast.director)
    response = client.get(f"/admin/projects/{model}/")
    assert response.status_code == 200
    if model != "beneficiaryviewlog":
        assert client.get(f"/admin/projects/{model}/add/").status_code == 200
    assert "慈善项目" in client.get("/admin/").content.decode()


def beneficiary_form(network, team, **overrides):
    data = {
        "station": network.community_a1.pk,
        "name": "吴美玲",
        "id_number": valid_id(),
        "phone_number": "13700001111",
        "category_list": ["disabled"],
        "consent_date": timezone.localdate().isoformat(),
        "consent_method": "written",
        "consent_recorded_by": team.lead.pk,
        "projects": [team.project.pk],
    }
    return {**data, **overrides}


def test_register_a_beneficiary_in_the_admin(client, network, team):
    client.force_login(team.lead)
    data = beneficiary_form(network, team)
    response = client.post("/admin/projects/beneficiary/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    person = Beneficiary.objects.get()
    assert person.id_number == data["id_number"] and person.phone == "13700001111"
    assert {c.category for c in person.categories.all()} == {"disabled"}
    assert list(person.projects.all()) == [team.project]
    assert person.registered_by == team.lead
    # The change page never puts the full values back into the form.
    html = client.get(f"/admin/projects/beneficiary/{person.pk}/change/").content.decode()
    assert data["id_number"] not in html and "13700001111" not in html
    assert person.id_number_masked in html and "137****1111" in html
    # Saving without retyping keeps the ID number and phone.
    data.update(id_number="", phone_number="", name="吴美玲")
    response = client.post(f"/admin/projects/beneficiary/{person.pk}/change/", data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.phone == "13700001111" and person.id_number_masked.startswith("440106")


def test_admin_shows_duplicate_and_consent_errors_and_saves_nothing(client, network, team):
    existing = register(network.community_a2, recorder=team.lead)
    client.force_login(team.lead)
    response = client.post(
        "/admin/projects/beneficiary/add/",
        beneficiary_form(network, team, id_number=existing.id_number),
    )
    assert response.status_code == 200
    assert network.community_a2.name in response.content.decode()
    response = client.post(
        "/admin/projects/beneficiary/add/", beneficiary_form(network, team, consent_date="")
    )
    assert response.status_code == 200
    response = client.post(
        "/admin/projects/beneficiary/add/", beneficiary_form(network, team, id_number="123")
    )
    assert response.status_code == 200 and "18" in response.content.decode()
    assert Beneficiary.objects.count() == 1


def test_transition_actions_call_the_services(client, network, cast, team):
    client.force_login(team.lead)
    changelist = "/admin/projects/project/"
    response = client.post(
        changelist,
        {"action": "submit_for_review", "_selected_action": [team.project.pk]},
        follow=True,
    )
    assert Project.objects.get(pk=team.project.pk).status == "review"
    response = client.post(
        changelist,
        {"action": "approve_project", "_selected_action": [team.project.pk]},
        follow=True,
    )
    assert "站长" in response.content.decode()
    assert Project.objects.get(pk=team.project.pk).status == "review"
    client.force_login(cast.director)
    client.post(changelist, {"action": "approve_project", "_selected_action": [team.project.pk]})
    assert Project.objects.get(pk=team.project.pk).status == "fundraising"


def test_admin_lists_are_scoped(client, network, cast, team):
    other = make_project(network.community_b1, title="林和项目")
    client.force_login(cast.director)
    html = client.get("/admin/projects/project/").content.decode()
    assert team.project.title in html and other.title not in html
    assert client.get(f"/admin/projects/project/{other.pk}/change/").status_code == 404
