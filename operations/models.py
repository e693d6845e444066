"""Rows that keep the platform's promises through outages: the task outbox and the record of
messages that went out once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A Celery task to send, written in the same transaction as the change that wants it.

    Written with the change, so a confirmed donation always has its receipt and notification
    jobs, even when the broker is down at that moment; ``outbox.dispatch`` publishes pending
    rows (right after commit, then every ``OUTBOX_DISPATCH_INTERVAL`` seconds from beat) and
    marks them sent. A row may be published twice (a crash between publishing and marking it),
    so every task sent through the outbox is idempotent.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list, blank=True)
    kwargs = models.JSONField(_("keyword arguments"), default=dict, blank=True)
    queue = models.CharField(_("queue"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        indexes = [
            models.Index(
                fields=["id"], name="outbox_pending_idx", condition=models.Q(sent_at__isnull=True)
            )
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"

    @property
    def task_id(self) -> str:
        """The Celery task id: the same for every publication of this row, so the worker's
        log shows a duplicate as the same job."""
        return f"outbox-{self.pk}"


class SentMessage(models.Model):
    """One row per message that went out (an email, an SMS); the unique key makes a duplicate
    delivery of the task that sends it do nothing (``outbox.send_once``)."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("sent message")
        verbose_name_plural = _("sent messages")

    def __str__(self) -> str:
        return self.key
