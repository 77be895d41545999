"""Thin Celery tasks: take ids, call a service."""

from celery import shared_task
from django.conf import settings

from core.services import outbox, reminders


@shared_task(
    bind=True,
    autoretry_for=(outbox.DeliveryFailed,),
    retry_backoff=settings.OUTBOX_RETRY_BACKOFF,
    retry_backoff_max=3600,
    max_retries=outbox.MAX_ATTEMPTS,
    acks_late=True,
)
def outbox_deliver(self, message_id: int) -> None:
    outbox.outbox_deliver(message_id=message_id)


@shared_task
def outbox_flush() -> int:
    return outbox.outbox_flush()


@shared_task
def reminders_sweep() -> dict:
    result = reminders.reminders_sweep()
    return {"considered": result.considered, "claimed": result.claimed}
