"""Reminders on PostgreSQL with real Celery workers on Redis and a real SMTP server."""

import socket
import threading
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller
from django.db import connection
from django.utils import timezone

from core.models import OutboxMessage, Reminder
from core.services import reminders as engine
from core.tasks import reminders_sweep
from mou.models import MouVersion, RoleBlock
from partnership.models import Membership
from tests import factories
from tests.services.conftest import wait_for


@pytest.fixture
def pending_blocks(real_services):
    version = MouVersion.objects.create(
        number=1,
        title="MOU",
        deadline=timezone.now() + timedelta(days=1),
        status=MouVersion.Status.OPEN,
    )
    for _ in range(6):
        m = factories.MembershipFactory(role=Membership.Role.LEAD)
        factories.MembershipFactory(partner=m.partner, role=Membership.Role.LEAD)
        RoleBlock.objects.create(version=version, partner=m.partner)
    return version


def test_concurrent_sweeps_in_real_workers_send_each_reminder_once(start_worker, pending_blocks):
    start_worker(concurrency=4)
    for _ in range(6):
        reminders_sweep.delay()  # six sweeps at once in four worker threads
    assert wait_for(
        lambda: (
            OutboxMessage.objects.filter(kind="reminder:reminder_block", status="sent").count()
            >= 12
        ),
        timeout=60,
    )
    # Give any late duplicate a moment to appear; none may.
    assert not wait_for(
        lambda: OutboxMessage.objects.filter(kind="reminder:reminder_block").count() > 12,
        timeout=5,
    )
    assert Reminder.objects.filter(source="mou.block").count() == 12
    keys = list(Reminder.objects.values_list("subject_id", "stage", "recipient_email"))
    assert len(keys) == len(set(keys))
    assert OutboxMessage.objects.filter(kind="reminder:reminder_block").count() == 12


def test_concurrent_sweeps_in_threads_claim_each_reminder_once(real_services, pending_blocks):
    barrier = threading.Barrier(4)
    claimed: list[int] = []

    def run():
        barrier.wait()
        try:
            claimed.append(engine.reminders_sweep().claimed)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(claimed) == 12
    assert OutboxMessage.objects.filter(kind="reminder:reminder_block").count() == 12


class FlakySMTP:
    """Refuses the first message with a temporary error, then accepts."""

    def __init__(self, failures: int):
        self.failures = failures
        self.delivered: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        if self.failures > 0:
            self.failures -= 1
            return "451 4.3.0 Temporary failure, try again later"
        self.delivered.append(envelope.content)
        return "250 OK"


def test_smtp_failure_then_recovery_delivers_exactly_once(start_worker, pending_blocks):
    handler = FlakySMTP(failures=1)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(handler, hostname="127.0.0.1", port=port)
    smtp.start()
    try:
        start_worker(
            extra_env={"EMAIL_URL": f"smtp://127.0.0.1:{port}", "OUTBOX_RETRY_BACKOFF": "1"}
        )
        message = OutboxMessage.objects.create(
            kind="test", to_email="lead@example.org", subject="Reminder", body_text="Hello"
        )
        from core.tasks import outbox_deliver

        outbox_deliver.delay(message.pk)
        assert wait_for(
            lambda: OutboxMessage.objects.get(pk=message.pk).status == "sent", timeout=60
        )
    finally:
        smtp.stop()
    message.refresh_from_db()
    assert len(handler.delivered) == 1
    assert message.attempts == 2
    assert "451" in message.last_error  # the failure stays visible in the outbox
