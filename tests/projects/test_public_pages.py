"""Public project pages: goal, status, count of people helped, updates with photos, evaluation;
never a beneficiary's personal data. Query counts do not grow with the number of projects."""

import io
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from projects import services
from projects.models import Project

from .conftest import make_project, register, valid_id

pytestmark = pytest.mark.django_db
Status = Project.Status


def jpeg() -> ContentFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (32, 20), (200, 30, 40)).save(buffer, format="JPEG")
    return ContentFile(buffer.getvalue(), name="update.jpg")


@pytest.fixture
def evaluated(network, team, settings, tmp_path):
    """An evaluated project with two people helped, an update with a photo."""
    settings.MEDIA_ROOT = tmp_path
    project = make_project(
        network.community_a1,
        lead=team.lead,
        status=Status.ACTIVE,
        title="长者助餐",
        summary="为独居长者每周送餐三次",
        fundraising_goal=Decimal("12345.60"),
        target_group="独居长者",
        indicators=[{"name": "送餐次数", "unit": "次", "planned_value": "100"}],
    )
    people = [
        register(
            network.community_a1,
            recorder=team.lead,
            name=name,
            id_number=valid_id(),
            phone=phone,
            address=address,
        )
        for name, phone, address in [
            ("钱淑芬", "13911112222", "华师东区7栋502"),
            ("孙国华", "13933334444", "华师西区2栋101"),
        ]
    ]
    for person in people + people[:1]:
        services.record_assistance(
            project=project,
            beneficiary=person,
            by=team.lead,
            date=timezone.localdate(),
            kind="goods",
            description="营养餐",
        )
    services.publish_progress_update(
        project=project,
        by=team.lead,
        title="第一个月送餐完成",
        body="社工和志愿者完成了第一个月的送餐。",
        photos=[(jpeg(), "志愿者准备餐食")],
    )
    services.close_project(project=project, by=team.lead)
    services.record_evaluation(
        project=project,
        by=team.lead,
        narrative="送餐按计划完成，长者反馈良好。",
        results={project.indicators.get().pk: Decimal("110")},
        satisfaction_percent=Decimal("95"),
    )
    services.complete_evaluation(project=project, by=team.lead)
    return project, people


def test_project_page_shows_goal_status_count_updates_and_evaluation(client, evaluated):
    project, people = evaluated
    response = client.get(f"/projects/{project.code}/")
    html = response.content.decode()
    assert response.status_code == 200 and '<html lang="zh-hans">' in html
    assert "长者助餐" in html and "为独居长者每周送餐三次" in html and "独居长者" in html
    assert "¥12,345.60" in html
    assert "已评估" in html
    assert '<p class="served-count">2</p>' in html  # two people, three records
    assert "第一个月送餐完成" in html and "志愿者准备餐食" in html and "<img" in html
    assert "送餐按计划完成" in html and "110" in html and "满意度：95%" in html


def test_public_pages_show_no_personal_data(client, evaluated):
    project, people = evaluated
    html = client.get(f"/projects/{project.code}/").content.decode()
    html += client.get("/projects/").content.decode()
    for person in people:
        for value in (
            person.name,
            person.id_number,
            person.id_number_masked,
            person.id_number[-4:] + "<",
            person.phone,
            person.phone_masked,
            person.address,
        ):
            assert value not in html, value


def test_design_and_review_projects_are_not_public(client, network, team):
    for status in (Status.DESIGN, Status.REVIEW):
        project = make_project(network.community_a1, lead=team.lead, status=status)
        assert client.get(f"/projects/{project.code}/").status_code == 404
        assert project.title not in client.get("/projects/").content.decode()


def test_list_filters_by_station_and_category(client, network, team):
    elderly = make_project(
        network.community_a1,
        lead=team.lead,
        status=Status.FUNDRAISING,
        title="助老项目",
        category=Project.Category.ELDERLY_CARE,
    )
    children = make_project(
        network.community_b1,
        status=Status.FUNDRAISING,
        title="儿童项目",
        category=Project.Category.CHILDREN,
    )
    html = client.get("/projects/").content.decode()
    assert elderly.title in html and children.title in html and "慈善项目" in html
    html = client.get("/projects/", {"station": network.street_a.code}).content.decode()
    assert elderly.title in html and children.title not in html
    html = client.get("/projects/", {"category": "children"}).content.decode()
    assert children.title in html and elderly.title not in html
    # Unknown filter values are ignored, never an error.
    assert client.get("/projects/", {"station": "nope", "category": "x"}).status_code == 200


def _projects(network, count):
    for _ in range(count):
        make_project(network.community_a1, status=Status.FUNDRAISING)


@pytest.mark.parametrize("path", ["list", "detail"])
def test_public_query_counts_do_not_grow_with_projects(
    client, network, team, evaluated, django_assert_max_num_queries, path
):
    project, _people = evaluated
    url = "/projects/" if path == "list" else f"/projects/{project.code}/"
    _projects(network, 4)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    _projects(network, 45)
    with CaptureQueriesContext(connection) as fifty:
        assert client.get(url).status_code == 200
    assert len(five) == len(fifty), (len(five), len(fifty))
    assert len(fifty) <= 8
