"""The evaluation's number of beneficiaries served is counted from the assistance records."""

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from projects import services
from projects.models import Evaluation, Project

from .conftest import make_project, register, valid_id

pytestmark = pytest.mark.django_db


def give(project, person, by):
    services.record_assistance(
        project=project,
        beneficiary=person,
        by=by,
        date=timezone.localdate(),
        kind="cash",
        amount="100",
    )


def test_served_counts_distinct_people_with_records(network, team):
    project = make_project(network.community_a1, lead=team.lead, status=Project.Status.ACTIVE)
    other = make_project(network.community_a1, lead=team.lead, status=Project.Status.ACTIVE)
    people = [
        register(network.community_a1, recorder=team.lead, id_number=valid_id()) for _ in range(3)
    ]
    for person in people:
        give(project, person, team.lead)
    give(project, people[0], team.lead)  # the same person twice counts once
    give(other, register(network.community_a2, recorder=team.lead), None)  # other project
    register(network.community_a1, recorder=team.lead, project=project)  # enrolled, no record
    services.close_project(project=project, by=team.lead)
    evaluation = services.record_evaluation(project=project, by=team.lead, narrative="完成")
    assert evaluation.beneficiaries_served == 3
    services.complete_evaluation(project=project, by=team.lead)
    assert Evaluation.objects.get(project=project).beneficiaries_served == 3


def test_the_api_ignores_a_typed_count(network, team):
    project = make_project(
        network.community_a1,
        lead=team.lead,
        status=Project.Status.ACTIVE,
        indicators=[{"name": "服务人数", "planned_value": "30"}],
    )
    give(project, register(network.community_a1, recorder=team.lead), team.lead)
    services.close_project(project=project, by=team.lead)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=team.lead).key}")
    indicator = project.indicators.get()
    response = client.post(
        f"/api/v1/projects/{project.code}/evaluation/",
        {
            "narrative": "按计划完成",
            "results": {str(indicator.pk): "28"},
            "satisfaction_percent": "92.5",
            "beneficiaries_served": 999,
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["beneficiaries_served"] == 1
    evaluation = Evaluation.objects.get(project=project)
    assert evaluation.satisfaction_percent == Decimal("92.50")
    assert evaluation.results.get().achieved_value == Decimal("28")
    response = client.post(f"/api/v1/projects/{project.code}/complete-evaluation/")
    assert response.status_code == 200 and response.json()["status"] == "evaluated"


def test_only_the_lead_evaluates(network, cast, team):
    project = make_project(network.community_a1, lead=team.lead, status=Project.Status.CLOSED)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=team.member).key}")
    response = client.post(
        f"/api/v1/projects/{project.code}/evaluation/", {"narrative": "x"}, format="json"
    )
    assert response.status_code == 403
    assert not Evaluation.objects.exists()
