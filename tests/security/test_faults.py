"""Faults without real servers: SMTP failing, the broker down while people save, and the
database dropping its connection in the middle of a request.

The same faults against real PostgreSQL, Redis, a Celery worker and an SMTP server (and a
worker killed during a PDF render) are in tests/services/test_faults_real.py.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerDown

import mou.services
from core.actor import Actor
from core.models import Event, OutboxMessage
from core.services import outbox
from mou.models import RoleBlock
from tests import factories
from tests.security.conftest import COMPLETE, _block, _opened


class SmtpDown(LocmemBackend):
    """An e-mail backend whose server refuses connections while ``down`` is set."""

    down = True

    def send_messages(self, messages):
        if SmtpDown.down:
            raise ConnectionRefusedError(111, "Connection refused")
        return super().send_messages(messages)


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = f"{__name__}.SmtpDown"
    SmtpDown.down = True
    yield SmtpDown
    SmtpDown.down = True


@pytest.mark.django_db
def test_smtp_down_the_outbox_shows_the_failure_and_a_later_flush_sends_once(
    smtp_down, monkeypatch
):
    handed: list[int] = []
    # The worker's first try, by hand (eager retries would run at once, not later).
    monkeypatch.setattr("core.tasks.outbox_deliver.delay", handed.append)
    message = outbox.outbox_send_templated(
        to="lead@example.org",
        template="signin_link",
        context={"link": "https://portal.example.org/x", "reason": "requested", "hours": 1},
        kind="test",
    )
    with pytest.raises(outbox.DeliveryFailed):
        outbox.outbox_deliver(message_id=message.pk)
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.FAILED
    assert "Connection refused" in message.last_error
    assert message.attempts == 1 and message.next_attempt_at > timezone.now()
    assert outbox.outbox_flush() == 0  # not due yet: nothing is hammered
    monkeypatch.undo()
    smtp_down.down = False
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert outbox.outbox_flush() == 1  # eager: delivered now
        assert outbox.outbox_flush() == 0
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT
    assert message.attempts == 2
    assert "Connection refused" in message.last_error  # the history stays readable
    assert len(mail.outbox) == 1


def _broker_down(*args, **kwargs):
    raise BrokerDown("Error 111 connecting to 127.0.0.1:6379. Connection refused.")


@pytest.mark.django_db
def test_broker_down_saves_succeed_and_their_emails_go_out_when_it_returns(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("core.tasks.outbox_deliver.delay", _broker_down)
    monkeypatch.setattr("core.tasks.outbox_deliver.apply_async", _broker_down)
    lead, coordinator = Client(), Client()
    lead.force_login(world.people["lead"])
    coordinator.force_login(world.people["coordinator"])
    block = world.block
    args = [block.version_id, block.pk]
    with django_capture_on_commit_callbacks(execute=True):
        saved = lead.post(
            reverse("mou:block_submit", args=args), {**COMPLETE, "revision": block.revision}
        )
    assert saved.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        reviewed = coordinator.post(
            reverse("mou:block_request_changes", args=args),
            {"changes-comment": "Name the two middle schools."},
        )
    assert reviewed.status_code == 302
    block.refresh_from_db()
    assert block.status == RoleBlock.Status.CHANGES_REQUESTED
    waiting = OutboxMessage.objects.filter(kind="mou_changes_requested")
    assert waiting.count() >= 1
    assert set(waiting.values_list("status", flat=True)) == {OutboxMessage.Status.PENDING}
    assert mail.outbox == []

    monkeypatch.undo()  # the broker is back; the periodic flush hands everything over
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        outbox.outbox_flush()
        outbox.outbox_flush()  # a second run sends nothing twice
    assert set(waiting.values_list("status", flat=True)) == {OutboxMessage.Status.SENT}
    expected = sorted(waiting.values_list("to_email", "subject"))
    sent = sorted((m.to[0], m.subject) for m in mail.outbox if (m.to[0], m.subject) in expected)
    assert sent == expected  # each one, once


@pytest.mark.django_db
def test_broker_down_a_draft_pdf_request_is_recorded_and_can_be_asked_again(world, monkeypatch):
    monkeypatch.setattr("mou.tasks.draft_pdf_render.delay", _broker_down)
    client = Client()
    client.force_login(world.people["lead"])
    url = reverse("mou:document_pdf", args=[world.version.pk])
    response = client.post(url)
    assert response.status_code == 302
    assert client.get(url).status_code == 200


@pytest.fixture
def submitted_block(transactional_db):
    coordinator = factories.UserFactory(is_coordinator=True)
    membership = factories.MembershipFactory(role="lead")
    version = _opened(coordinator, "MOU 2027", 30)
    block = _block(version, membership.partner)
    block = mou.services.block_save_draft(
        block=block,
        actor=Actor.of(membership.user),
        data=COMPLETE,
        expected_revision=block.revision,
    )
    block = mou.services.block_submit(
        block=block, actor=Actor.of(membership.user), expected_revision=block.revision
    )
    return block, coordinator


def test_connection_lost_mid_request_a_clean_500_and_nothing_half_written(
    submitted_block, monkeypatch, mailoutbox
):
    """The database goes away after the request's first writes: the coordinator gets the
    plain error page, and the block, its audit events and its e-mails are as before."""
    block, coordinator = submitted_block
    real = mou.services.block_request_changes

    def first_write_then_connection_lost(**kwargs):
        real(**kwargs)  # the status, the event and the outbox rows are written …
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(mou.services, "block_request_changes", first_write_then_connection_lost)
    events = Event.objects.count()
    messages = OutboxMessage.objects.count()
    delivered = len(mailoutbox)
    client = Client(raise_request_exception=False)
    client.force_login(coordinator)
    response = client.post(
        reverse("mou:block_request_changes", args=[block.version_id, block.pk]),
        {"changes-comment": "Name the two middle schools."},
    )
    assert response.status_code == 500
    page = response.content.decode()
    assert "Something went wrong on our side" in page
    assert "Nothing you entered was half-saved" in page
    assert "Traceback" not in page and "OperationalError" not in page and "SELECT" not in page
    block.refresh_from_db()
    assert block.status == RoleBlock.Status.SUBMITTED
    assert Event.objects.count() == events
    assert OutboxMessage.objects.count() == messages
    assert len(mailoutbox) == delivered
