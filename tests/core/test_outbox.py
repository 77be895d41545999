"""The transactional outbox: stored with the change, delivered once, retried, never lost."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected
from unittest import mock

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.models import OutboxMessage
from core.services import outbox
from core.tasks import outbox_deliver

pytestmark = pytest.mark.django_db


def send(to="lead@example.org"):
    return outbox.outbox_send_templated(
        to=to,
        template="signin_link",
        context={"link": "http://127.0.0.1:8000/x", "reason": "requested", "hours": 1},
        kind="test",
    )


def test_message_is_delivered_after_commit_exactly_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = send()
        assert mailoutbox == []  # nothing leaves before the transaction commits
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 1
    assert len(mailoutbox) == 1
    # Handed over again (a flush racing the first delivery): still one e-mail.
    outbox.outbox_deliver(message_id=message.pk)
    assert len(mailoutbox) == 1


def test_html_and_text_parts(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send()
    email = mailoutbox[0]
    assert "http://127.0.0.1:8000/x" in email.body
    assert email.alternatives[0][1] == "text/html"


def test_failed_delivery_is_recorded_and_retried_until_it_succeeds(mailoutbox):
    message = send()
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=SMTPServerDisconnected("Connection unexpectedly closed"),
        ),
        pytest.raises(outbox.DeliveryFailed),
    ):
        outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "Connection unexpectedly closed" in message.last_error
    assert message.next_attempt_at > timezone.now()
    assert mailoutbox == []
    with time_machine.travel(message.next_attempt_at + timedelta(seconds=1)):
        assert outbox.outbox_flush() == 1  # eager Celery delivers it now
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 2
    assert len(mailoutbox) == 1


def test_gives_up_after_the_last_attempt():
    message = send()
    message.attempts = outbox.MAX_ATTEMPTS - 1
    message.save()
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages", side_effect=OSError("down")
    ):
        outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.GAVE_UP


def test_broker_down_at_commit_leaves_the_message_for_the_flush(
    mailoutbox, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(outbox_deliver, "delay", side_effect=ConnectionError("broker down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        message = send()
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.PENDING and mailoutbox == []
    with time_machine.travel(timezone.now() + timedelta(minutes=5)):
        assert outbox.outbox_flush() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and len(mailoutbox) == 1


def test_a_rolled_back_change_sends_nothing(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                send()
                raise RuntimeError("the save failed")
        except RuntimeError:
            pass
    assert OutboxMessage.objects.count() == 0 and mailoutbox == []


def test_mailbox_shows_messages_and_their_links(client):
    message = send()
    listing = client.get(reverse("dev:mailbox"))
    assert listing.status_code == 200 and message.subject.encode() in listing.content
    detail = client.get(reverse("dev:mailbox_detail", args=[message.pk]))
    assert b'href="http://127.0.0.1:8000/x"' in detail.content
    html = client.get(reverse("dev:mailbox_html", args=[message.pk]))
    assert html["Content-Security-Policy"].startswith("default-src 'none'")


def test_mailbox_does_not_exist_when_real_email_is_configured(client, settings):
    settings.DEV_MAILBOX = False
    message = send()
    assert client.get(reverse("dev:mailbox")).status_code == 404
    assert client.get(reverse("dev:mailbox_detail", args=[message.pk])).status_code == 404


def test_attachments_from_storage_are_attached(mailoutbox, django_capture_on_commit_callbacks):
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    path = default_storage.save("outbox/test/mou.pdf", ContentFile(b"%PDF-1.7 test"))
    with django_capture_on_commit_callbacks(execute=True):
        outbox.outbox_send_templated(
            to="lead@example.org",
            template="signin_link",
            context={"link": "http://127.0.0.1:8000/x", "reason": "requested", "hours": 1},
            kind="test",
            attachments=[{"path": path, "filename": "mou.pdf", "mimetype": "application/pdf"}],
        )
    assert mailoutbox[0].attachments == [("mou.pdf", b"%PDF-1.7 test", "application/pdf")]


def test_a_missing_attachment_is_a_recorded_failure_not_a_crash(mailoutbox):
    message = send()
    message.attachments = [
        {"path": "outbox/missing.pdf", "filename": "x.pdf", "mimetype": "application/pdf"}
    ]
    message.save()
    with pytest.raises(outbox.DeliveryFailed):
        outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and "missing.pdf" in message.last_error


def test_of_two_claims_only_the_first_wins():
    message = send()
    first = outbox.outbox_claim(message_id=message.pk)
    assert first is not None
    assert outbox.outbox_claim(message_id=message.pk) is None
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING
    assert message.lease_until == first and message.attempts == 1


def test_a_worker_killed_mid_send_leaves_it_in_flight_until_the_lease_passes(mailoutbox):
    message = send()
    # The claim committed and then the worker died: no outcome was ever recorded.
    lease_until = outbox.outbox_claim(message_id=message.pk)
    assert lease_until - timezone.now() >= outbox.SENDING_LEASE - timedelta(seconds=5)
    # Handed over again while the lease holds (a duplicate task, a flush): nothing is sent.
    outbox.outbox_deliver(message_id=message.pk)
    with time_machine.travel(lease_until - timedelta(seconds=1)):
        assert outbox.outbox_flush(older_than=timedelta(0)) == 0
    assert mailoutbox == []
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING
    # Once the lease has passed, the flush hands it over and it goes out once.
    with time_machine.travel(lease_until + timedelta(seconds=1)):
        assert outbox.outbox_flush() == 1
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 2
    assert message.lease_until is None
    assert len(mailoutbox) == 1


def test_a_crashed_send_is_retried_with_backoff_and_not_left_in_flight(mailoutbox):
    message = send()
    with (
        mock.patch(
            "django.core.mail.backends.locmem.EmailBackend.send_messages",
            side_effect=RuntimeError("backend crashed"),
        ),
        pytest.raises(outbox.DeliveryFailed),
    ):
        outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED and message.lease_until is None
    assert message.next_attempt_at > timezone.now() + timedelta(minutes=1)
    assert "backend crashed" in message.last_error


def test_a_late_outcome_after_the_lease_was_taken_over_is_not_recorded(mailoutbox):
    message = send()
    stale = outbox.outbox_claim(message_id=message.pk)
    with time_machine.travel(stale + timedelta(seconds=1)):
        fresh = outbox.outbox_claim(message_id=message.pk)
    assert fresh is not None and fresh != stale
    outbox._outbox_record(
        message=message, lease_until=stale, status=OutboxMessage.Status.SENT, sent_at=None
    )
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENDING and message.lease_until == fresh
