import pytest
from django.core.management import call_command

from core.validators import validate_resident_id
from projects.models import (
    AssistanceRecord,
    Beneficiary,
    Evaluation,
    NeedsAssessment,
    ProgressUpdate,
    Project,
)

pytestmark = pytest.mark.django_db

MODELS = (NeedsAssessment, Project, Beneficiary, AssistanceRecord, ProgressUpdate, Evaluation)


def snapshot() -> dict:
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def test_seed_demo_builds_projects_and_a_second_run_changes_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", force=True)
    first = snapshot()
    assert len(first["Project"]) >= 10 and len(first["NeedsAssessment"]) >= 3
    assert {p["status"] for p in first["Project"]} == set(Project.Status.values)
    assert {p["kind"] for p in first["Project"]} == set(Project.Kind.values)
    assert len(first["Beneficiary"]) >= 24 and len(first["Evaluation"]) == 1
    for person in Beneficiary.objects.all():
        validate_resident_id(person.id_number)
    assert Project.objects.filter(lead__username="socialworker").exists()
    assert Project.objects.filter(disclosure_overdue_since__isnull=False).exists()
    call_command("seed_demo", force=True)
    assert snapshot() == first
