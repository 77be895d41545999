"""The e-mail outbox: messages are rows first, deliveries second.

A service that sends mail calls ``outbox_send_templated`` inside its transaction. The row
commits with the change that caused it; delivery is handed to Celery only after the
commit, and a periodic flush hands over anything the broker did not take. A delivery
locks its row, so a message is delivered at most once however often it is handed over.
"""

import functools
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.backends.django import DjangoTemplates
from django.template.loader import render_to_string
from django.utils import timezone

from core.models import OutboxMessage, User

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


@functools.cache
def _plain_text_engine() -> DjangoTemplates:
    """The project's template setup with autoescaping off, for the plain-text parts and
    subjects: "St. Mary's" must not arrive as "St. Mary&#x27;s". HTML parts stay escaped."""
    conf = settings.TEMPLATES[0]
    return DjangoTemplates(
        {
            "NAME": "plain-text-email",
            "DIRS": conf.get("DIRS", []),
            "APP_DIRS": conf.get("APP_DIRS", False),
            "OPTIONS": {"autoescape": False},
        }
    )


def _render(template: str, context: dict) -> tuple[str, str, str]:
    context = {
        "site_url": settings.SITE_URL,
        "network_name": settings.NETWORK_NAME,
        **context,
    }
    plain = _plain_text_engine()
    subject = plain.get_template(f"emails/{template}_subject.txt").render(context).strip()
    subject = " ".join(subject.split())
    text = plain.get_template(f"emails/{template}.txt").render(context)
    html = render_to_string(f"emails/{template}.html", context)
    return subject, text, html


def outbox_enqueue(*, message: OutboxMessage) -> None:
    """Hand a stored message to Celery once the current transaction commits."""
    from core.tasks import outbox_deliver

    def _hand_over() -> None:
        try:
            outbox_deliver.delay(message.pk)
        except Exception:  # broker down: the periodic flush will hand it over later
            logger.warning("Broker unavailable; outbox message %s waits for the flush", message.pk)

    transaction.on_commit(_hand_over)


def outbox_send_templated(
    *,
    to: User | str,
    template: str,
    context: dict,
    kind: str,
    cc: list[str] | None = None,
    attachments: list[dict] | None = None,
) -> OutboxMessage:
    """Store one e-mail and hand it to Celery after the commit.

    ``attachments`` are files already in the default storage:
    ``[{"path": storage name, "filename": "mou.pdf", "mimetype": "application/pdf"}]``.
    """
    message = _message(
        to=to, template=template, context=context, kind=kind, cc=cc, attachments=attachments
    )
    message.save(force_insert=True)
    outbox_enqueue(message=message)
    return message


def outbox_send_templated_many(messages: list[dict]) -> list[OutboxMessage]:
    """Store many e-mails with a few multi-row INSERTs (a reminder sweep writes thousands)
    and hand each to Celery after the commit. Each dict holds ``outbox_send_templated``'s
    keyword arguments; the stored messages come back in the same order."""
    stored = OutboxMessage.objects.bulk_create(
        [_message(**fields) for fields in messages], batch_size=500
    )
    for message in stored:
        outbox_enqueue(message=message)
    return stored


def _message(
    *,
    to: User | str,
    template: str,
    context: dict,
    kind: str,
    cc: list[str] | None = None,
    attachments: list[dict] | None = None,
) -> OutboxMessage:
    """One e-mail rendered, not yet stored."""
    to_user = to if isinstance(to, User) else None
    to_email = to.email if isinstance(to, User) else to
    subject, text, html = _render(template, {"recipient": to_user, **context})
    return OutboxMessage(
        kind=kind,
        to_email=to_email,
        to_user=to_user,
        cc=cc or [],
        subject=subject[:300],
        body_text=text,
        body_html=html,
        attachments=attachments or [],
    )


class DeliveryFailed(Exception):
    """Raised so the Celery task retries with backoff."""


def outbox_deliver(*, message_id: int) -> OutboxMessage | None:
    """Deliver one message through the configured e-mail backend, exactly once."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=message_id).first()
        if message is None or message.status in {
            OutboxMessage.Status.SENT,
            OutboxMessage.Status.GAVE_UP,
        }:
            return message
        email = EmailMultiAlternatives(
            subject=message.subject,
            body=message.body_text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_email],
            cc=message.cc,
        )
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        message.attempts += 1
        try:
            for item in message.attachments:
                with default_storage.open(item["path"], "rb") as handle:
                    email.attach(item["filename"], handle.read(), item.get("mimetype"))
            email.send(fail_silently=False)
        except Exception as exc:
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxMessage.Status.GAVE_UP
                message.next_attempt_at = None
            else:
                message.status = OutboxMessage.Status.FAILED
                message.next_attempt_at = timezone.now() + timedelta(minutes=2**message.attempts)
            message.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
            failed = message
        else:
            message.status = OutboxMessage.Status.SENT
            message.sent_at = timezone.now()
            message.next_attempt_at = None
            message.save(
                update_fields=["attempts", "status", "sent_at", "next_attempt_at", "last_error"]
            )
            return message
    # Outside the transaction, so the failure is recorded before Celery retries.
    if failed.status == OutboxMessage.Status.FAILED:
        raise DeliveryFailed(failed.last_error)
    return failed


def outbox_flush(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Hand over messages that are still pending or due for another try."""
    now = timezone.now()
    due = list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.PENDING, created_at__lte=now - older_than
        ).values_list("pk", flat=True)[:500]
    ) + list(
        OutboxMessage.objects.filter(
            status=OutboxMessage.Status.FAILED, next_attempt_at__lte=now
        ).values_list("pk", flat=True)[:500]
    )
    from core.tasks import outbox_deliver

    handed = 0
    for pk in due:
        try:
            outbox_deliver.delay(pk)
            handed += 1
        except Exception:
            logger.warning("Broker unavailable; %s outbox messages wait", len(due) - handed)
            break
    return handed
