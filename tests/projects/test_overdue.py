"""The disclosure cadence: the daily job flags long-running projects without a recent public
update and tells the lead once; after 180 days without one, no fundraising."""

import datetime

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from projects import services
from projects.models import Project
from projects.tasks import flag_overdue_disclosures_task

from .conftest import make_project

# The lead's e-mail is a task queued through the outbox: here it runs in this process.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("eager_tasks")]
Status = Project.Status


def days_ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def last_update(project, days: int) -> None:
    moment = timezone.now() - datetime.timedelta(days=days)
    Project.objects.filter(pk=project.pk).update(last_public_update_at=moment)


def flagged(project) -> bool:
    return Project.objects.get(pk=project.pk).disclosure_overdue_since is not None


def test_the_job_flags_a_long_running_project_and_emails_the_lead_once(
    network, team, django_capture_on_commit_callbacks
):
    project = make_project(
        network.community_a1, lead=team.lead, status=Status.ACTIVE, start_date=days_ago(200)
    )
    last_update(project, 100)
    with django_capture_on_commit_callbacks(execute=True):
        codes = flag_overdue_disclosures_task()
    assert codes == [project.code] and flagged(project)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["lead@example.org"]
    assert project.title in message.subject and "逾期" in message.subject
    assert "100" in message.body
    with django_capture_on_commit_callbacks(execute=True):
        assert flag_overdue_disclosures_task() == []
    assert len(mail.outbox) == 1  # idempotent: no second email


@pytest.mark.parametrize(
    ("started", "updated", "status", "expected"),
    [
        (200, None, Status.ACTIVE, True),  # never updated since its start 200 days ago
        (200, 89, Status.ACTIVE, False),  # updated within 90 days
        (150, None, Status.ACTIVE, False),  # not yet running six months
        (400, 120, Status.FUNDRAISING, True),
        (400, 120, Status.CLOSED, False),  # closed projects are not running
    ],
)
def test_which_projects_are_flagged(network, team, started, updated, status, expected):
    project = make_project(
        network.community_a1,
        lead=team.lead,
        status=Status.ACTIVE,
        start_date=days_ago(started),
    )
    if status == Status.FUNDRAISING:
        Project.objects.filter(pk=project.pk).update(status=status)
    elif status == Status.CLOSED:
        services.close_project(project=project, by=None)
    if updated is not None:
        last_update(project, updated)
    flag_overdue_disclosures_task()
    assert flagged(project) is expected


def test_the_cadence_is_configurable(network, team, settings):
    project = make_project(
        network.community_a1, lead=team.lead, status=Status.ACTIVE, start_date=days_ago(200)
    )
    last_update(project, 40)
    flag_overdue_disclosures_task()
    assert not flagged(project)
    settings.PROJECT_UPDATE_FLAG_DAYS = 30
    flag_overdue_disclosures_task()
    assert flagged(project)


def test_publishing_an_update_clears_the_flag(network, team):
    project = make_project(
        network.community_a1, lead=team.lead, status=Status.ACTIVE, start_date=days_ago(200)
    )
    flag_overdue_disclosures_task()
    assert flagged(project)
    services.publish_progress_update(project=project, by=team.lead, title="近况", body="已完成")
    assert not flagged(project)
    assert Project.objects.get(pk=project.pk).last_public_update_at is not None


def test_the_job_clears_a_flag_that_no_longer_applies(network, team):
    project = make_project(
        network.community_a1, lead=team.lead, status=Status.ACTIVE, start_date=days_ago(200)
    )
    flag_overdue_disclosures_task()
    last_update(project, 1)
    flag_overdue_disclosures_task()
    assert not flagged(project)


@pytest.fixture
def without_the_calendar(settings):
    """The projects app's own 180-day rule alone: the reports calendar's quarterly cadence,
    reached through FUNDRAISING_GUARDS, refuses sooner (tests/reports/test_calendar_projects.py)."""
    settings.FUNDRAISING_GUARDS = []


def test_after_180_days_without_an_update_no_fundraising(network, team, without_the_calendar):
    project = make_project(
        network.community_a1, lead=team.lead, status=Status.ACTIVE, start_date=days_ago(300)
    )
    last_update(project, settings.PROJECT_FUNDRAISING_BLOCK_DAYS)
    with pytest.raises(ValidationError) as refused:
        services.reopen_fundraising(project=project, by=team.lead)
    assert "180" in refused.value.messages[0] and "进展" in refused.value.messages[0]
    assert Project.objects.get(pk=project.pk).status == Status.ACTIVE
    with pytest.raises(ValidationError):
        services.ensure_can_fundraise(project=Project.objects.get(pk=project.pk))
    services.publish_progress_update(project=project, by=team.lead, title="近况", body="恢复公开")
    project = services.reopen_fundraising(project=project, by=team.lead)
    assert project.status == Status.FUNDRAISING
    services.ensure_can_fundraise(project=project)


def test_179_days_still_allows_fundraising(network, team, without_the_calendar):
    project = make_project(
        network.community_a1, lead=team.lead, status=Status.ACTIVE, start_date=days_ago(300)
    )
    last_update(project, settings.PROJECT_FUNDRAISING_BLOCK_DAYS - 1)
    services.ensure_can_fundraise(project=Project.objects.get(pk=project.pk))


@pytest.mark.parametrize("status", [Status.DESIGN, Status.REVIEW, Status.CLOSED])
def test_ensure_can_fundraise_refuses_projects_not_raising_money(network, team, status):
    project = make_project(network.community_a1, lead=team.lead, status=status)
    with pytest.raises(ValidationError) as refused:
        services.ensure_can_fundraise(project=project)
    assert refused.value.code == "not_fundraising"


def test_the_admin_filters_overdue_projects(client, network, cast, team):
    overdue = make_project(
        network.community_a1, lead=team.lead, status=Status.ACTIVE, start_date=days_ago(200)
    )
    fine = make_project(network.community_a1, lead=team.lead, status=Status.ACTIVE)
    flag_overdue_disclosures_task()
    client.force_login(cast.director)
    html = client.get("/admin/projects/project/", {"overdue": "yes"}).content.decode()
    assert overdue.title in html and fine.title not in html
    html = client.get("/admin/projects/project/", {"overdue": "no"}).content.decode()
    assert fine.title in html and overdue.title not in html


def test_the_job_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["projects-flag-overdue"]
    assert entry["task"] == flag_overdue_disclosures_task.name
    assert entry["schedule"].hour == {7} and settings.CELERY_TIMEZONE == "Asia/Shanghai"


from tests.config.test_celery import worker  # noqa: E402, F401 (the real-worker fixture)


@pytest.mark.celery_worker
@pytest.mark.django_db(transaction=True)
def test_the_job_runs_on_a_real_worker(worker, network, team):  # noqa: F811
    node, queue = worker
    project = make_project(
        network.community_a1, lead=team.lead, status=Status.ACTIVE, start_date=days_ago(200)
    )
    result = flag_overdue_disclosures_task.apply_async(queue=queue)
    assert result.get(timeout=60) == [project.code]
    assert flagged(project)
