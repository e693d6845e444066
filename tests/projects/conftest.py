"""Fixtures for the projects tests: a project team on top of the shared network and cast."""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.utils import timezone

from core.validators import resident_id_check_char
from projects import services
from projects.models import Beneficiary, Project
from tests.factories import Role, make_staff

_ids = itertools.count(1)


def valid_id(birth: datetime.date | None = None, *, region: str = "440106") -> str:
    birth = birth or datetime.date(1950, 3, 14)
    first17 = f"{region}{birth:%Y%m%d}{next(_ids) % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def make_project(station, *, lead=None, status=Project.Status.DESIGN, **fields) -> Project:
    """A project moved along the lifecycle by the system (by=None) to ``status``."""
    fields.setdefault("title", f"项目{next(_ids)}")
    fields.setdefault("kind", Project.Kind.ASSISTANCE)
    fields.setdefault("category", Project.Category.ELDERLY_CARE)
    fields.setdefault("objectives", "每周为独居长者送餐")
    fields.setdefault("budget_lines", [{"category": "materials", "amount": Decimal("1000.00")}])
    start_date = fields.pop("start_date", None)
    project = services.create_project(by=None, station=station, lead=lead, **fields)
    order = [s for s, _ in Project.Status.choices]
    steps = {
        Project.Status.REVIEW: services.submit_for_review,
        Project.Status.FUNDRAISING: services.approve_project,
        Project.Status.ACTIVE: services.start_project,
        Project.Status.CLOSED: services.close_project,
    }
    for target in order[1 : order.index(status) + 1]:
        if target == Project.Status.ACTIVE:
            project = services.update_project(
                project=project, by=None, start_date=start_date or timezone.localdate()
            )
        project = steps[target](project=project, by=None)
    if start_date and project.start_date != start_date:
        project = services.update_project(project=project, by=None, start_date=start_date)
    return project


def register(station, *, by=None, recorder, **fields) -> Beneficiary:
    fields.setdefault("name", "王秀英")
    fields.setdefault("id_number", valid_id())
    fields.setdefault("phone", "13812345678")
    fields.setdefault("address", "石牌街华师东区12号301")
    fields.setdefault("consent_date", timezone.localdate())
    fields.setdefault("consent_method", Beneficiary.ConsentMethod.WRITTEN)
    fields.setdefault("consent_recorded_by", recorder)
    return services.register_beneficiary(by=by, station=station, **fields)


@dataclass
class Team:
    """A project at community A1 led by a social worker there, with a team member, another
    social worker at A1 who is not on the project, and the street's director (from ``cast``)."""

    lead: object
    member: object
    other_worker: object
    project: Project


@pytest.fixture
def team(network, cast) -> Team:
    lead = make_staff(network.community_a1, Role.SOCIAL_WORKER, "lead-a1")
    lead.email = "lead@example.org"
    lead.save()
    member = make_staff(network.community_a1, Role.SOCIAL_WORKER, "member-a1")
    other = make_staff(network.community_a1, Role.SOCIAL_WORKER, "other-a1")
    project = make_project(network.community_a1, lead=lead, team=[member])
    return Team(lead=lead, member=member, other_worker=other, project=project)
