"""Fifty rows of each changelist of the people: users, groups, tokens, login attempts, stations,
staff, and the projects with the residents they help."""

import datetime
import secrets
from decimal import Decimal

from tests.factories import Role, make_station, make_user
from tests.query_count_rows import (
    M,
    bulk,
    new_beneficiary,
    new_evaluation,
    new_project,
    next_k,
    today,
)

from .world import World


def make_users(n: int, prefix: str) -> list:
    return [make_user(f"{prefix}{next_k()}", email="a@example.org") for _ in range(n)]


def make_beneficiaries(w: World, n: int) -> list:
    """``n`` residents of community A1, each living alone and helped by the project."""
    rows = [
        new_beneficiary(
            w,
            w.sw,
            gender=("male", "female")[i % 2],
            phone=f"137{next_k():08d}",
            registered_by=w.sw,
        )
        for i in range(n)
    ]
    made = bulk("projects.Beneficiary", rows)
    Category = M("projects.BeneficiaryCategory")
    bulk(
        "projects.BeneficiaryCategory",
        [Category(beneficiary=b, category="elderly_alone") for b in made],
    )
    through = M("projects.Beneficiary").projects.through
    project = w.project()
    through.objects.bulk_create([through(beneficiary_id=b.pk, project_id=project.pk) for b in made])
    return made


def rows_of_groups(w, n):
    Group = M("auth.Group")
    bulk("auth.Group", [Group(name=f"小组{next_k()}") for _ in range(n)])


def rows_of_users(w, n):
    make_users(n, "resident")


def rows_of_tokens(w, n):
    Token = M("authtoken.Token")
    bulk(
        "authtoken.Token", [Token(key=secrets.token_hex(20), user=u) for u in make_users(n, "api")]
    )


def _axes_fields(k: int) -> dict:
    return {
        "user_agent": f"Mozilla/5.0 {k}",
        "ip_address": f"10.0.{k // 250}.{k % 250}",
        "username": f"user{k}",
        "http_accept": "*/*",
        "path_info": "/admin/login/",
    }


def rows_of_access_attempts(w, n):
    Attempt = M("axes.AccessAttempt")
    bulk(
        "axes.AccessAttempt",
        [
            Attempt(**_axes_fields(next_k()), get_data="", post_data="", failures_since_start=3)
            for _ in range(n)
        ],
    )


def rows_of_access_logs(w, n):
    Log = M("axes.AccessLog")
    bulk("axes.AccessLog", [Log(**_axes_fields(next_k()), session_hash="x") for _ in range(n)])


def rows_of_access_failures(w, n):
    Log = M("axes.AccessFailureLog")
    bulk(
        "axes.AccessFailureLog",
        [Log(**_axes_fields(next_k()), locked_out=True) for _ in range(n)],
    )


def rows_of_stations(w, n):
    for _ in range(n):
        make_station(level="community", parent=w.street_a, contact_phone="020-12345678")


def rows_of_memberships(w, n):
    Membership = M("stations.StaffMembership")
    bulk(
        "stations.StaffMembership",
        [
            Membership(user=u, station=w.community_a1, role="social_worker")
            for u in make_users(n, "sw")
        ],
    )


def rows_of_assessments(w, n):
    Assessment = M("projects.NeedsAssessment")
    rows = [
        Assessment(
            station=w.community_a1,
            title=f"需求评估{next_k()}",
            method="questionnaire",
            date=today() - datetime.timedelta(days=i),
            respondents_count=20,
            findings="独居老人用餐难",
            recorded_by=w.sw,
        )
        for i in range(n)
    ]
    bulk("projects.NeedsAssessment", rows)


def rows_of_projects(w, n):
    statuses = ["design", "review", "fundraising", "active", "closed", "evaluated"]
    rows = [
        new_project(
            w.community_a1,
            statuses[i % len(statuses)],
            lead=w.sw,
            start_date=today(),
            disclosure_overdue_since=today() if i % 4 == 0 else None,
        )
        for i in range(n)
    ]
    bulk("projects.Project", rows)


def rows_of_beneficiaries(w, n):
    make_beneficiaries(w, n)


def _five_beneficiaries(w: World) -> list:
    return w.once("beneficiaries", lambda: make_beneficiaries(w, 5))


def rows_of_beneficiary_views(w, n):
    beneficiaries = _five_beneficiaries(w)
    View = M("projects.BeneficiaryViewLog")
    director = w.staff[Role.DIRECTOR]
    bulk(
        "projects.BeneficiaryViewLog",
        [View(beneficiary=beneficiaries[i % 5], user=director, action="view") for i in range(n)],
    )


def rows_of_assistance(w, n):
    beneficiaries = _five_beneficiaries(w)
    Record = M("projects.AssistanceRecord")
    rows = [
        Record(
            project=w.project(),
            beneficiary=beneficiaries[i % 5],
            date=today(),
            kind="cash",
            amount=Decimal("200"),
            description="临时救助",
            staff=w.sw,
        )
        for i in range(n)
    ]
    bulk("projects.AssistanceRecord", rows)


def rows_of_activities(w, n):
    Activity = M("projects.ServiceActivity")
    rows = [
        Activity(
            project=w.project(),
            date=today(),
            place=f"活动室{i}",
            description="义诊",
            participants=i,
            status=("planned", "done", "cancelled")[i % 3],
        )
        for i in range(n)
    ]
    bulk("projects.ServiceActivity", rows)


def rows_of_updates(w, n):
    Update = M("projects.ProgressUpdate")
    bulk(
        "projects.ProgressUpdate",
        [
            Update(project=w.project(), title=f"进展{i}", body="本月送餐", author=w.sw)
            for i in range(n)
        ],
    )


def rows_of_evaluations(w, n):
    projects = [w.another_project(status="evaluated") for _ in range(n)]
    director = w.staff[Role.DIRECTOR]
    bulk("projects.Evaluation", [new_evaluation(p, director) for p in projects])


ROWS = {
    "auth.Group": rows_of_groups,
    "auth.User": rows_of_users,
    "authtoken.TokenProxy": rows_of_tokens,
    "axes.AccessAttempt": rows_of_access_attempts,
    "axes.AccessLog": rows_of_access_logs,
    "axes.AccessFailureLog": rows_of_access_failures,
    "stations.Station": rows_of_stations,
    "stations.StaffMembership": rows_of_memberships,
    "projects.NeedsAssessment": rows_of_assessments,
    "projects.Project": rows_of_projects,
    "projects.Beneficiary": rows_of_beneficiaries,
    "projects.BeneficiaryViewLog": rows_of_beneficiary_views,
    "projects.AssistanceRecord": rows_of_assistance,
    "projects.ServiceActivity": rows_of_activities,
    "projects.ProgressUpdate": rows_of_updates,
    "projects.Evaluation": rows_of_evaluations,
}
