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
    # A few SMTP round trips of EMAIL_TIMEOUT each. Keep the hard limit under
    # outbox.SENDING_LEASE: no second worker may claim a message this one may still send.
    soft_time_limit=60,
    time_limit=90,
)
def outbox_deliver(self, message_id: int) -> None:
    outbox.outbox_deliver(message_id=message_id)


@shared_task
def outbox_flush() -> int:
    return outbox.outbox_flush()


# Thousands of e-mails stored at network scale; claims are unique rows, so a sweep cut
# short is finished by the next one.
@shared_task(soft_time_limit=300, time_limit=360)
def reminders_sweep() -> dict:
    result = reminders.reminders_sweep()
    return {"considered": result.considered, "claimed": result.claimed}
