from celery import shared_task

from . import services


@shared_task(name="projects.tasks.flag_overdue_disclosures_task")
def flag_overdue_disclosures_task() -> list[str]:
    """Daily (CELERY_BEAT_SCHEDULE): flag projects whose progress update is overdue and tell
    their leads. Idempotent: a second run the same day flags and sends nothing."""
    return [project.code for project in services.flag_overdue_disclosures()]
