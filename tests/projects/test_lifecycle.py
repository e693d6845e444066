"""Every transition of a project with its guard, who may make it, and the refusals."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects import services
from projects.models import BudgetLine, Evaluation, Project, ServiceActivity
from tests.factories import Role, make_staff

from .conftest import make_project, register

pytestmark = pytest.mark.django_db
Status = Project.Status


def status_of(project) -> str:
    return Project.objects.get(pk=project.pk).status


def test_the_whole_life_by_the_right_people(network, cast, team):
    project = team.project
    project = services.submit_for_review(project=project, by=team.lead)
    assert project.status == Status.REVIEW
    project = services.approve_project(project=project, by=cast.director)
    assert project.status == Status.FUNDRAISING and project.approved_by == cast.director
    project = services.update_project(
        project=project, by=team.lead, start_date=timezone.localdate()
    )
    project = services.start_project(project=project, by=team.lead)
    assert project.status == Status.ACTIVE
    project = services.close_project(project=project, by=team.lead)
    assert project.status == Status.CLOSED and project.end_date == timezone.localdate()
    services.record_evaluation(project=project, by=team.lead, narrative="按计划完成")
    project = services.complete_evaluation(project=project, by=team.lead)
    assert status_of(project) == Status.EVALUATED


def test_review_needs_an_objective_and_a_budget(network, team):
    project = services.create_project(
        by=team.lead,
        station=network.community_a1,
        title="空项目",
        kind=Project.Kind.DEVELOPMENT,
        category=Project.Category.CHILDREN,
    )
    with pytest.raises(ValidationError) as refused:
        services.submit_for_review(project=project, by=team.lead)
    message = " ".join(refused.value.messages)
    assert "目标" in message and "预算" in message
    assert status_of(project) == Status.DESIGN
    services.update_project(project=project, by=team.lead, objectives="每周两次课后辅导")
    services.add_budget_line(project=project, by=team.lead, category="activities", amount="800")
    assert services.submit_for_review(project=project, by=team.lead).status == Status.REVIEW


def test_only_the_lead_submits(team):
    with pytest.raises(PermissionDenied) as refused:
        services.submit_for_review(project=team.project, by=team.member)
    assert "负责社工" in str(refused.value)
    assert status_of(team.project) == Status.DESIGN


@pytest.mark.parametrize("who", ["lead", "finance_officer", "director_b"])
def test_only_a_director_above_the_station_approves(network, cast, team, who):
    project = services.submit_for_review(project=team.project, by=team.lead)
    user = {
        "lead": team.lead,
        "finance_officer": cast.finance_officer,
        "director_b": make_staff(network.street_b, Role.DIRECTOR, "director-b"),
    }[who]
    with pytest.raises((PermissionDenied, ValidationError)) as refused:
        services.approve_project(project=project, by=user)
    assert "站长" in str(refused.value) or "不在您" in str(refused.value)
    assert status_of(project) == Status.REVIEW


def test_director_sends_a_plan_back_to_design(cast, team):
    project = services.submit_for_review(project=team.project, by=team.lead)
    assert services.return_to_design(project=project, by=cast.director).status == Status.DESIGN


def test_starting_needs_a_start_date(network, cast, team):
    project = make_project(network.community_a1, lead=team.lead, status=Status.FUNDRAISING)
    with pytest.raises(ValidationError) as refused:
        services.start_project(project=project, by=team.lead)
    assert "开始日期" in " ".join(refused.value.messages)
    assert status_of(project) == Status.FUNDRAISING


def test_starting_needs_a_lead(network):
    project = make_project(network.community_a1, lead=None, status=Status.FUNDRAISING)
    services.update_project(project=project, by=None, start_date=timezone.localdate())
    with pytest.raises(ValidationError) as refused:
        services.start_project(project=project, by=None)
    assert "负责社工" in " ".join(refused.value.messages)


def test_closing_needs_every_activity_finished(network, team):
    project = make_project(network.community_a1, lead=team.lead, status=Status.ACTIVE)
    activity = services.record_activity(
        project=project,
        by=team.lead,
        date=timezone.localdate(),
        place="活动室",
        description="长者生日会",
    )
    with pytest.raises(ValidationError) as refused:
        services.close_project(project=project, by=team.lead)
    assert "1" in refused.value.messages[0] and "活动" in refused.value.messages[0]
    assert status_of(project) == Status.ACTIVE
    services.finish_activity(activity=activity, by=team.lead, participants=25)
    assert ServiceActivity.objects.get(pk=activity.pk).participants == 25
    assert services.close_project(project=project, by=team.lead).status == Status.CLOSED


def test_evaluated_needs_an_evaluation(network, team):
    project = make_project(network.community_a1, lead=team.lead, status=Status.CLOSED)
    with pytest.raises(ValidationError) as refused:
        services.complete_evaluation(project=project, by=team.lead)
    assert "评估" in refused.value.messages[0]
    assert status_of(project) == Status.CLOSED
    assert not Evaluation.objects.exists()


def test_evaluated_needs_every_indicator_achieved(network, team):
    project = make_project(
        network.community_a1,
        lead=team.lead,
        status=Status.CLOSED,
        indicators=[{"name": "服务人数", "unit": "人", "planned_value": "30"}],
    )
    with pytest.raises(ValidationError):
        services.record_evaluation(project=project, by=team.lead, narrative="缺指标")
    indicator = project.indicators.get()
    services.record_evaluation(
        project=project, by=team.lead, narrative="完成", results={indicator.pk: Decimal("33")}
    )
    assert services.complete_evaluation(project=project, by=team.lead).status == Status.EVALUATED


@pytest.mark.parametrize(
    ("status", "service"),
    [
        (Status.DESIGN, services.start_project),
        (Status.DESIGN, services.approve_project),
        (Status.REVIEW, services.close_project),
        (Status.FUNDRAISING, services.submit_for_review),
        (Status.ACTIVE, services.complete_evaluation),
        (Status.CLOSED, services.start_project),
    ],
)
def test_a_transition_not_allowed_from_the_current_status(network, team, status, service):
    project = make_project(network.community_a1, lead=team.lead, status=status)
    with pytest.raises(ValidationError) as refused:
        service(project=project, by=None)
    assert refused.value.code == "transition_not_allowed"
    assert "不能" in refused.value.messages[0]
    assert status_of(project) == status


def test_an_end_date_before_the_start_is_refused_and_nothing_saved(network, team):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        services.create_project(
            by=team.lead,
            station=network.community_a1,
            title="日期错误",
            kind=Project.Kind.ASSISTANCE,
            category=Project.Category.HEALTH,
            start_date=today,
            end_date=today.replace(year=today.year - 1),
        )
    assert "end_date" in refused.value.message_dict
    assert not Project.objects.filter(title="日期错误").exists()


@pytest.mark.parametrize("amount", ["-100", "0", "abc", "12.345", "NaN"])
def test_bad_budget_amounts_are_refused_and_nothing_saved(network, team, amount):
    with pytest.raises(ValidationError) as refused:
        services.create_project(
            by=team.lead,
            station=network.community_a1,
            title="预算错误",
            kind=Project.Kind.ASSISTANCE,
            category=Project.Category.HEALTH,
            budget_lines=[{"category": "materials", "amount": amount}],
        )
    assert "amount" in refused.value.message_dict
    assert not Project.objects.filter(title="预算错误").exists()
    assert not BudgetLine.objects.filter(project__title="预算错误").exists()


def test_the_plan_is_fixed_once_approved(network, team):
    project = make_project(network.community_a1, lead=team.lead, status=Status.FUNDRAISING)
    with pytest.raises(ValidationError):
        services.add_budget_line(project=project, by=team.lead, category="other", amount="10")
    with pytest.raises(ValidationError):
        services.update_project(project=project, by=team.lead, objectives="换一个目标")
    services.update_project(project=project, by=team.lead, summary="新的简介")


def test_a_progress_update_on_another_stations_project_is_refused(network, cast, team):
    project = make_project(network.community_a1, lead=team.lead, status=Status.FUNDRAISING)
    with pytest.raises(ValidationError) as refused:
        services.publish_progress_update(
            project=project, by=cast.social_worker, title="越权", body="不应保存"
        )
    assert "站点" in refused.value.messages[0]
    assert not project.updates.exists()


def test_assistance_only_while_the_project_runs(network, team):
    project = make_project(network.community_a1, lead=team.lead, status=Status.DESIGN)
    person = register(network.community_a1, recorder=team.lead)
    with pytest.raises(ValidationError):
        services.record_assistance(
            project=project,
            beneficiary=person,
            by=team.lead,
            date=timezone.localdate(),
            kind="cash",
            amount="200",
        )
    assert not project.assistance_records.exists()


def test_cash_assistance_needs_a_positive_amount(network, team):
    project = make_project(network.community_a1, lead=team.lead, status=Status.ACTIVE)
    person = register(network.community_a1, recorder=team.lead)
    for amount in (None, "-5", "abc"):
        with pytest.raises(ValidationError):
            services.record_assistance(
                project=project,
                beneficiary=person,
                by=team.lead,
                date=timezone.localdate(),
                kind="cash",
                amount=amount,
            )
    record = services.record_assistance(
        project=project,
        beneficiary=person,
        by=team.lead,
        date=timezone.localdate(),
        kind="cash",
        amount="200.50",
    )
    assert record.amount == Decimal("200.50") and record.staff == team.lead
    assert list(person.projects.all()) == [project]
