"""The e-mail outbox: messages are rows first, deliveries second.

A service that sends mail calls ``outbox_send_templated`` inside its transaction. The row
commits with the change that caused it; delivery is handed to Celery only after the
commit, and a periodic flush hands over anything the broker did not take. A delivery
first claims its row (marks it in flight under a lease and commits), so however often a
message is handed over only one worker sends it, and no lock is held during SMTP.
"""

import functools
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.db.models import F, Max, Q, Window
from django.db.models.functions import FirstValue
from django.template.backends.django import DjangoTemplates
from django.template.loader import render_to_string
from django.utils import timezone

from core.deferred import task_after_commit, task_send
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


def _render(template: str, context: dict, subject: str | None = None) -> tuple[str, str, str]:
    context = {
        "site_url": settings.SITE_URL,
        "network_name": settings.NETWORK_NAME,
        **context,
    }
    plain = _plain_text_engine()
    if subject is None:
        subject = plain.get_template(f"emails/{template}_subject.txt").render(context)
    subject = " ".join(subject.split())
    text = plain.get_template(f"emails/{template}.txt").render(context)
    html = render_to_string(f"emails/{template}.html", context)
    return subject, text, html


def outbox_enqueue(*, message: OutboxMessage) -> None:
    """Hand a stored message to Celery once the current transaction commits."""
    task_after_commit("core.tasks.outbox_deliver", message.pk, waits="the outbox flush")


def outbox_send_templated(
    *,
    to: User | str,
    template: str,
    context: dict,
    kind: str,
    cc: list[str] | None = None,
    attachments: list[dict] | None = None,
    about: models.Model | None = None,
    subject: str | None = None,
) -> OutboxMessage:
    """Store one e-mail and hand it to Celery after the commit.

    ``attachments`` are files already in the default storage:
    ``[{"path": storage name, "filename": "mou.pdf", "mimetype": "application/pdf"}]``.
    ``about`` is the one thing the e-mail is about (a role block), when there is one: the
    dashboard shows the last e-mail about each block. ``subject`` is a subject line worked
    out in Python, when it carries logic; otherwise ``emails/<template>_subject.txt`` makes it.
    """
    message = _message(
        to=to,
        template=template,
        context=context,
        kind=kind,
        cc=cc,
        attachments=attachments,
        about=about,
        subject=subject,
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
    about: models.Model | None = None,
    subject: str | None = None,
) -> OutboxMessage:
    """One e-mail rendered, not yet stored."""
    to_user = to if isinstance(to, User) else None
    to_email = to.email if isinstance(to, User) else to
    subject, text, html = _render(template, {"recipient": to_user, **context}, subject)
    return OutboxMessage(
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=about.pk if about is not None else None,
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


# How long a claim is good for. It must outlast the delivery task's hard time limit
# (core.tasks.outbox_deliver): while the claiming worker may still be talking to the mail
# server nobody else may claim the message. A worker killed mid-send leaves it SENDING, and
# the flush hands it over again once the lease has passed: delivery is then retried within
# the lease plus one flush interval, and if the server had already accepted the message
# before the kill, that one recipient gets it twice (the outcome was never recorded).
SENDING_LEASE = timedelta(minutes=5)


def outbox_claim(*, message_id: int) -> datetime | None:
    """Mark one message in flight and commit; the lease's end, or None when it is not
    ours to send (already sent, given up, or in flight under another worker's lease).

    One conditional UPDATE: PostgreSQL re-checks its WHERE once a concurrent claim commits
    and SQLite takes the write lock, so of two workers exactly one wins. It commits at
    once (autocommit), before any mail server is involved."""
    now = timezone.now()
    lease_until = now + SENDING_LEASE
    claimable = Q(status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED]) | Q(
        status=OutboxMessage.Status.SENDING, lease_until__lte=now
    )
    claimed = OutboxMessage.objects.filter(claimable, pk=message_id).update(
        status=OutboxMessage.Status.SENDING, lease_until=lease_until, attempts=F("attempts") + 1
    )
    return lease_until if claimed else None


def _email(message: OutboxMessage) -> EmailMultiAlternatives:
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to_email],
        cc=message.cc,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for item in message.attachments:
        with default_storage.open(item["path"], "rb") as handle:
            email.attach(item["filename"], handle.read(), item.get("mimetype"))
    return email


def outbox_deliver(*, message_id: int) -> OutboxMessage | None:
    """Deliver one message through the configured e-mail backend, once.

    Claim (commit), talk to the mail server outside any transaction, then record the
    outcome in a short one (as pretix's mail task does): no row lock or open transaction
    waits on a remote server. Called by the Celery task, outside any transaction."""
    lease_until = outbox_claim(message_id=message_id)
    message = OutboxMessage.objects.filter(pk=message_id).first()
    if lease_until is None or message is None:
        return message
    try:
        _email(message).send(fail_silently=False)
    except Exception as exc:
        return _outbox_record_failure(message=message, lease_until=lease_until, exc=exc)
    _outbox_record(
        message=message,
        lease_until=lease_until,
        status=OutboxMessage.Status.SENT,
        sent_at=timezone.now(),
        # last_error stays: the outbox keeps showing what went wrong before it went out.
        next_attempt_at=None,
    )
    return message


def _outbox_record(*, message: OutboxMessage, lease_until: datetime, **fields) -> None:
    """Write the outcome, only while the claim is still this worker's."""
    with transaction.atomic():
        updated = OutboxMessage.objects.filter(
            pk=message.pk, status=OutboxMessage.Status.SENDING, lease_until=lease_until
        ).update(lease_until=None, **fields)
    if not updated:
        logger.warning("Outbox message %s: the claim had lapsed; outcome not recorded", message.pk)
    for name, value in {"lease_until": None, **fields}.items():
        setattr(message, name, value)


def _outbox_record_failure(
    *, message: OutboxMessage, lease_until: datetime, exc: Exception
) -> OutboxMessage:
    last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if message.attempts >= MAX_ATTEMPTS:
        status, next_attempt_at = OutboxMessage.Status.GAVE_UP, None
    else:
        status = OutboxMessage.Status.FAILED
        next_attempt_at = timezone.now() + timedelta(minutes=2**message.attempts)
    _outbox_record(
        message=message,
        lease_until=lease_until,
        status=status,
        last_error=last_error,
        next_attempt_at=next_attempt_at,
    )
    # Raised after the outcome is committed, so the failure is recorded before Celery retries.
    if status == OutboxMessage.Status.FAILED:
        raise DeliveryFailed(last_error)
    return message


def outbox_flush(*, older_than: timedelta = timedelta(minutes=2)) -> int:
    """Hand over messages that are still pending or due for another try."""
    now = timezone.now()
    due = (
        list(
            OutboxMessage.objects.filter(
                status=OutboxMessage.Status.PENDING, created_at__lte=now - older_than
            ).values_list("pk", flat=True)[:500]
        )
        + list(
            OutboxMessage.objects.filter(
                status=OutboxMessage.Status.FAILED, next_attempt_at__lte=now
            ).values_list("pk", flat=True)[:500]
        )
        + list(
            # In flight under a lease that has passed: its worker died mid-send.
            OutboxMessage.objects.filter(
                status=OutboxMessage.Status.SENDING, lease_until__lte=now
            ).values_list("pk", flat=True)[:500]
        )
    )
    handed = 0
    for pk in due:
        if not task_send("core.tasks.outbox_deliver", pk):
            logger.warning("Broker unavailable; %s outbox messages wait", len(due) - handed)
            break
        handed += 1
    return handed


# Messages of one kind about one thing, written this close together, went out as one
# e-mail to several people (a block's leads): the dashboard shows them as one.
SAME_SENDING = timedelta(minutes=1)
# What the dashboard reads of a message: never its bodies.
_LATEST_FIELDS = (
    "id",
    "kind",
    "to_email",
    "status",
    "created_at",
    "sent_at",
    "about_id",
    "reminder__id",
    "reminder__stage",
    "reminder__manual",
)


@dataclass(frozen=True)
class LastSending:
    """The latest e-mail about one thing: its kind, when it was written, the reminder stage
    when it was a reminder, and each recipient's delivery state."""

    kind: str
    created_at: datetime
    stage: str
    manual: bool
    statuses: tuple[str, ...]

    @property
    def status(self) -> str:
        """The state that needs attention first: failed, then queued, then sent."""
        for status in WORST_FIRST:
            if status in self.statuses:
                return status
        return self.statuses[0]


WORST_FIRST = (
    OutboxMessage.Status.GAVE_UP,
    OutboxMessage.Status.FAILED,
    OutboxMessage.Status.SENDING,
    OutboxMessage.Status.PENDING,
    OutboxMessage.Status.SENT,
)


def outbox_last_about(*, subjects: list[models.Model]) -> dict[int, LastSending]:
    """{subject id: the latest e-mail about it} for subjects of one type, in one query:
    the messages of the latest kind sent about each subject within a minute of its latest."""
    if not subjects:
        return {}
    ct = ContentType.objects.get_for_model(type(subjects[0]))
    by_subject = [F("about_id")]
    rows = (
        OutboxMessage.objects.filter(about_type=ct, about_id__in=[s.pk for s in subjects])
        .annotate(
            latest_at=Window(Max("created_at"), partition_by=by_subject),
            latest_kind=Window(
                FirstValue("kind"),
                partition_by=by_subject,
                order_by=[F("created_at").desc(), F("id").desc()],
            ),
        )
        .filter(kind=F("latest_kind"), created_at__gte=F("latest_at") - SAME_SENDING)
        .select_related("reminder")
        .only(*_LATEST_FIELDS)
        .order_by("about_id", "-created_at", "-id")
    )
    grouped: dict[int, list[OutboxMessage]] = {}
    for message in rows:
        grouped.setdefault(message.about_id, []).append(message)
    last = {}
    for subject_id, messages in grouped.items():
        first = messages[0]
        reminder = getattr(first, "reminder", None)
        last[subject_id] = LastSending(
            kind=first.kind,
            created_at=first.created_at,
            stage=reminder.stage if reminder else "",
            manual=bool(reminder and reminder.manual),
            statuses=tuple(m.status for m in messages),
        )
    return last
