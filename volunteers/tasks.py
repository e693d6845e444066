"""Celery tasks: thin, idempotent, they take ids and call services."""

from core.tasks import task

from . import notifications


@task("volunteers.notify_promotion")
def notify_promotion_task(signup_id: int) -> bool:
    return notifications.notify_promotion(signup_id=signup_id)


@task("volunteers.send_shift_reminders")
def send_shift_reminders_task() -> int:
    return notifications.send_shift_reminders()
