"""Task names: explicit, one convention, former names still answered.

A task's name is stored where the job waits (outbox rows, the broker, beat's schedule), so the
name is part of the platform's data: declared by hand as ``<app>.<what it does>``, and a
renamed task still runs when a job names it the old way.
"""

import ast

import pytest
from django.conf import settings

from config.celery import app
from core.tasks import FORMER_NAMES, NAME, task
from operations import outbox
from operations.models import OutboxMessage
from tests.core.lock_discovery import APPS, ROOT


@pytest.fixture(scope="module")
def registry():
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if not name.startswith("celery.")}


def test_every_task_is_named_app_dot_what_it_does(registry):
    current = {name for name in registry if name not in FORMER_NAMES}
    wrong = [
        name
        for name in current
        if not NAME.match(name)
        or name.endswith("_task")
        or name.split(".")[0] != registry[name].__module__.split(".")[0]
    ]
    assert wrong == []
    assert {"donations.notify_donor", "funds.notify_decision", "reports.generate_report"} <= current


def test_tasks_are_declared_through_core_tasks():
    """No task gets the name Celery would make up from its module path."""
    offenders = []
    for app_name in APPS:
        for path in (ROOT / app_name).rglob("*.py"):
            if path == ROOT / "core" / "tasks.py":
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if isinstance(node, ast.Name | ast.Attribute):
                    name = node.id if isinstance(node, ast.Name) else node.attr
                    if name == "shared_task":
                        offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_every_name_in_settings_and_in_the_code_is_a_task(registry):
    """Beat's schedule, the queue routes and each ``outbox.enqueue("name", ...)`` name a task
    that exists, so a typo cannot leave a job waiting forever."""
    named = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    named |= set(settings.CELERY_TASK_ROUTES)
    for app_name in APPS:
        for path in (ROOT / app_name).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "enqueue"
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                ):
                    named.add(node.args[0].value)
    assert len(named) > 10
    assert sorted(named - set(registry)) == []


def test_a_former_name_runs_the_task_it_became(registry):
    assert FORMER_NAMES, "renamed tasks keep their old names"
    for old, new in FORMER_NAMES.items():
        assert registry[old].run.__code__ is registry[new].run.__code__, old


@pytest.mark.django_db
def test_a_job_stored_under_a_former_name_still_runs(eager_tasks, registry):
    """Rows written before the rename are published and run: the outbox's own job, stored by
    its old name, runs and publishes the other waiting row (also by an old name)."""
    assert FORMER_NAMES["operations.dispatch_outbox_task"] == "operations.dispatch_outbox"
    first = OutboxMessage.objects.create(task="operations.dispatch_outbox_task", args=[])
    second = OutboxMessage.objects.create(
        task="donations.tasks.expire_pending_donations_task", args=[]
    )
    assert outbox.dispatch(ids=[first.pk]) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.sent_at is not None and second.sent_at is not None
    assert second.last_error == ""


def test_the_naming_rule_refuses_a_derived_name():
    with pytest.raises(ValueError):
        task("donations.tasks.notify_donor_task")
    with pytest.raises(ValueError):
        task("notify_donor")
