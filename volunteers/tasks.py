"""Celery tasks: thin, idempotent, they take ids and call services."""

from celery import shared_task

from . import services


@shared_task(name="volunteers.notify_promotion")
def notify_promotion_task(signup_id: int) -> bool:
    return services.notify_promotion(signup_id=signup_id)


@shared_task(name="volunteers.send_shift_reminders")
def send_shift_reminders_task() -> int:
    return services.send_shift_reminders()
