from core.tasks import task

from . import notifications, services


@task(
    "projects.flag_overdue_disclosures",
    formerly=("projects.tasks.flag_overdue_disclosures_task",),
)
def flag_overdue_disclosures_task() -> list[str]:
    """Daily (CELERY_BEAT_SCHEDULE): flag projects whose progress update is overdue and tell
    their leads. Idempotent: a second run the same day flags and sends nothing."""
    return [project.code for project in services.flag_overdue_disclosures()]


@task("projects.tell_lead_overdue")
def tell_lead_overdue_task(project_id: int) -> int:
    return notifications.tell_lead_overdue(project_id=project_id)
