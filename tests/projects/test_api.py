"""The projects API: scoped, filtered, every write through a service, bad input a clear 400
(or 422 for well-formed input a rule refuses)."""

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from projects.models import AssistanceRecord, Beneficiary, NeedsAssessment, Project

from .conftest import make_project, register, valid_id

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def project_payload(network, **overrides):
    payload = {
        "station": network.community_a1.code,
        "title": "四点半课堂",
        "kind": "development",
        "category": "children",
        "objectives": "为双职工家庭的孩子提供课后照顾",
        "target_beneficiaries": 30,
        "budget_lines": [{"category": "activities", "amount": "3000.00"}],
        "indicators": [{"name": "参与儿童", "unit": "人", "planned_value": "30"}],
    }
    return {**payload, **overrides}


def test_create_and_walk_a_project_through_the_api(network, cast, team):
    client = api(team.lead)
    response = client.post("/api/v1/projects/", project_payload(network), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "design" and data["lead"] == team.lead.pk
    assert data["budget_lines"][0]["amount"] == "3000.00"
    code = data["code"]
    assert client.post(f"/api/v1/projects/{code}/submit/").json()["status"] == "review"
    refused = client.post(f"/api/v1/projects/{code}/approve/")
    assert refused.status_code == 403 and "站长" in refused.json()["error"]["message"]
    assert api(cast.director).post(f"/api/v1/projects/{code}/approve/").status_code == 200
    refused = client.post(f"/api/v1/projects/{code}/start/")
    assert refused.status_code == 422
    assert "开始日期" in str(refused.json()["error"]["fields"])
    today = timezone.localdate().isoformat()
    assert client.patch(f"/api/v1/projects/{code}/", {"start_date": today}).status_code == 200
    assert client.post(f"/api/v1/projects/{code}/start/").json()["status"] == "active"
    not_allowed = client.post(f"/api/v1/projects/{code}/submit/")
    assert not_allowed.status_code == 422
    assert "不能" in str(not_allowed.json()["error"]["fields"])


@pytest.mark.parametrize(
    ("amount", "status"),
    # Not a number: the schema says so (400). Zero or less: a rule on a well-formed number (422).
    [("-5", 422), ("0", 422), ("abc", 400), ("", 400)],
)
def test_bad_budget_amounts_are_refused_and_nothing_saved(network, team, amount, status):
    response = api(team.lead).post(
        "/api/v1/projects/",
        project_payload(network, budget_lines=[{"category": "activities", "amount": amount}]),
        format="json",
    )
    assert response.status_code == status
    assert response.json()["error"]["code"] == "invalid"
    assert not Project.objects.filter(title="四点半课堂").exists()


def test_end_before_start_is_a_422(network, team):
    response = api(team.lead).post(
        "/api/v1/projects/",
        project_payload(network, start_date="2026-05-01", end_date="2026-04-01"),
        format="json",
    )
    assert response.status_code == 422 and "end_date" in response.json()["error"]["fields"]


def test_projects_are_scoped(network, cast, team):
    response = api(cast.social_worker).get(f"/api/v1/projects/{team.project.code}/")
    assert response.status_code == 404
    assert api(cast.social_worker).get("/api/v1/projects/").json()["results"] == []
    response = api(team.lead).post(
        "/api/v1/projects/",
        project_payload(network, station=network.community_b1.code),
        format="json",
    )
    assert response.status_code == 422


def test_project_filters(network, team):
    make_project(network.community_a1, lead=team.lead, category=Project.Category.HEALTH)
    client = api(team.lead)
    rows = client.get("/api/v1/projects/", {"category": "health"}).json()["results"]
    assert [r["category"] for r in rows] == ["health"]
    rows = client.get("/api/v1/projects/", {"status": "design", "overdue": "false"}).json()
    assert rows["count"] == 2
    assert client.get("/api/v1/projects/", {"station": "nope"}).json()["count"] == 0


def test_project_list_query_count_does_not_grow(network, cast, team):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(cast.director)
    for _ in range(4):
        make_project(network.community_a1, lead=team.lead, team=[team.member])
    with CaptureQueriesContext(connection) as five:
        assert client.get("/api/v1/projects/").json()["count"] == 5
    for _ in range(45):
        make_project(network.community_a1, lead=team.lead, team=[team.member])
    with CaptureQueriesContext(connection) as fifty:
        assert client.get("/api/v1/projects/").json()["count"] == 50
    assert len(five) == len(fifty), (len(five), len(fifty))


def test_register_a_beneficiary_through_the_api(network, cast, team):
    client = api(team.lead)
    id_number = valid_id()
    payload = {
        "station": network.community_a1.code,
        "name": "周玉珍",
        "id_number": id_number,
        "phone": "13987654321",
        "categories": ["elderly_alone"],
        "project": team.project.code,
        "consent_date": timezone.localdate().isoformat(),
        "consent_method": "written",
    }
    response = client.post("/api/v1/beneficiaries/", payload, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["id_number_masked"] == id_number[:6] + "********" + id_number[-4:]
    assert data["categories"] == ["elderly_alone"] and data["projects"] == [team.project.code]
    assert id_number not in response.content.decode()
    again = api(cast.director).post(
        "/api/v1/beneficiaries/",
        {**payload, "station": network.community_a2.code, "project": None},
        format="json",
    )
    assert again.status_code == 422, again.json()
    assert network.community_a1.name in str(again.json()["error"]["fields"]), again.json()
    no_consent = client.post(
        "/api/v1/beneficiaries/",
        {**payload, "id_number": valid_id(), "consent_date": None},
        format="json",
    )
    assert no_consent.status_code == 400
    assert Beneficiary.objects.count() == 1


def test_assistance_records_through_the_api(network, team):
    project = make_project(network.community_a1, lead=team.lead, status=Project.Status.ACTIVE)
    person = register(network.community_a1, recorder=team.lead)
    client = api(team.lead)
    response = client.post(
        "/api/v1/assistance-records/",
        {
            "project": project.code,
            "beneficiary": person.pk,
            "date": timezone.localdate().isoformat(),
            "kind": "cash",
            "amount": "500.00",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == "500.00"
    bad = client.post(
        "/api/v1/assistance-records/",
        {"project": project.code, "beneficiary": person.pk, "date": "2026-01-01", "kind": "cash",
         "amount": "-1"},
        format="json",
    )  # fmt: skip
    assert bad.status_code == 422
    rows = client.get("/api/v1/assistance-records/", {"project": project.code}).json()
    assert rows["count"] == 1 and AssistanceRecord.objects.count() == 1


def test_progress_updates_through_the_api(network, cast, team):
    project = make_project(network.community_a1, lead=team.lead, status=Project.Status.FUNDRAISING)
    response = api(team.lead).post(
        "/api/v1/progress-updates/",
        {"project": project.code, "title": "启动", "body": "项目已启动募款"},
        format="json",
    )
    assert response.status_code == 201
    # Another station's social worker cannot even name the project: 422, nothing saved.
    response = api(cast.social_worker).post(
        "/api/v1/progress-updates/",
        {"project": project.code, "title": "越权", "body": "x"},
        format="json",
    )
    assert response.status_code in (403, 422)
    assert project.updates.count() == 1
    rows = api(cast.director).get("/api/v1/progress-updates/", {"project": project.code})
    assert rows.json()["count"] == 1


def test_needs_assessments_through_the_api(network, team):
    client = api(team.lead)
    response = client.post(
        "/api/v1/needs-assessments/",
        {
            "station": network.community_a1.code,
            "title": "长者需求调查",
            "method": "questionnaire",
            "date": timezone.localdate().isoformat(),
            "respondents_count": 50,
            "findings": "助餐需求强烈",
            "needs": [{"category": "elderly_care", "description": "助餐", "priority": "high"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assessment = NeedsAssessment.objects.get()
    assert assessment.needs.get().priority == "high" and assessment.recorded_by == team.lead
    rows = client.get("/api/v1/needs-assessments/", {"category": "elderly_care"}).json()
    assert rows["count"] == 1


def test_finance_officer_reads_projects_but_not_beneficiaries(network, cast, team):
    client = api(cast.finance_officer)
    assert client.get("/api/v1/projects/").status_code == 200
    assert client.get("/api/v1/beneficiaries/").status_code == 403
    assert client.get("/api/v1/assistance-records/").status_code == 403


def test_the_schema_renders_without_warnings(client, capsys):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
    response = client.get("/api/schema/")
    assert response.status_code == 200
    body = response.content.decode()
    for path in (
        "/api/v1/needs-assessments/",
        "/api/v1/projects/",
        "/api/v1/beneficiaries/",
        "/api/v1/assistance-records/",
        "/api/v1/progress-updates/",
    ):
        assert path in body
