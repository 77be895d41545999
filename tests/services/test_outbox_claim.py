"""On PostgreSQL: while the e-mail backend talks to the mail server no transaction is open
and the message's row is not locked (another connection locks it at once), the claim is
committed before the send, and of two workers delivering the same message at the same
moment exactly one sends it."""

import threading

import psycopg2
import pytest
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection, connections

from core.models import OutboxMessage
from core.services import outbox

SEEN: list[dict] = []
SENT: list[str] = []
SENDING = threading.Event()
FINISH = threading.Event()


def _other_connection():
    db = connection.settings_dict
    return psycopg2.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname=db["NAME"],
    )


class ProbingBackend(BaseEmailBackend):
    """Looks at the database from the sender's connection and from another one while it
    'sends'."""

    def send_messages(self, email_messages):
        message_id = OutboxMessage.objects.get(to_email=email_messages[0].to[0]).pk
        state = {
            "in_atomic_block": connection.in_atomic_block,
            "autocommit": connection.get_autocommit(),
        }
        with _other_connection() as other, other.cursor() as cursor:
            cursor.execute(
                "SELECT status, attempts FROM core_outboxmessage WHERE id = %s FOR UPDATE NOWAIT",
                [message_id],
            )
            state["seen_by_another_connection"] = cursor.fetchone()
            other.rollback()
        other.close()
        SEEN.append(state)
        SENT.extend(m.to[0] for m in email_messages)
        return len(email_messages)


class SlowBackend(BaseEmailBackend):
    """Holds the send open until the test lets it finish, so a second delivery overlaps."""

    def send_messages(self, email_messages):
        SENDING.set()
        FINISH.wait(timeout=20)
        SENT.extend(m.to[0] for m in email_messages)
        return len(email_messages)


@pytest.fixture
def clean():
    SEEN.clear()
    SENT.clear()
    SENDING.clear()
    FINISH.clear()


def _stored(to: str) -> OutboxMessage:
    """A stored message not handed to Celery: the test delivers it itself."""
    message = outbox._message(
        to=to,
        template="signin_link",
        context={"link": "https://portal.example.org/x", "reason": "requested", "hours": 1},
        kind="test",
    )
    message.save(force_insert=True)
    return message


def test_no_transaction_and_no_row_lock_while_the_backend_sends(real_services, clean, settings):
    message = _stored("probe@example.org")
    settings.EMAIL_BACKEND = "tests.services.test_outbox_claim.ProbingBackend"
    outbox.outbox_deliver(message_id=message.pk)
    assert SEEN == [
        {
            "in_atomic_block": False,
            "autocommit": True,
            # The claim was committed before the send: another connection sees it, and
            # locks the row without waiting (NOWAIT would raise if a lock were held).
            "seen_by_another_connection": ("sending", 1),
        }
    ]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.lease_until is None


def test_two_workers_delivering_one_message_send_it_once(real_services, clean, settings):
    message = _stored("once@example.org")
    settings.EMAIL_BACKEND = "tests.services.test_outbox_claim.SlowBackend"
    results = {}

    def deliver(name):
        try:
            results[name] = outbox.outbox_deliver(message_id=message.pk)
        finally:
            connections.close_all()

    first = threading.Thread(target=deliver, args=("first",))
    first.start()
    assert SENDING.wait(timeout=20), "the first worker never reached the mail server"
    # The second worker comes while the first is still talking to the server.
    second = threading.Thread(target=deliver, args=("second",))
    second.start()
    second.join(timeout=20)
    assert not second.is_alive(), "the second delivery waited on the first"
    assert results["second"].status == OutboxMessage.Status.SENDING
    FINISH.set()
    first.join(timeout=20)
    assert SENT == ["once@example.org"]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.SENT and message.attempts == 1


def test_two_claims_at_the_same_moment_one_wins(real_services, clean):
    messages = [_stored(f"race{i}@example.org") for i in range(20)]
    for message in messages:
        start = threading.Barrier(2)
        won = []

        def claim(message_id=message.pk, start=start, won=won):
            try:
                start.wait(timeout=10)
                won.append(outbox.outbox_claim(message_id=message_id))
            finally:
                connections.close_all()

        threads = [threading.Thread(target=claim) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
        assert len(won) == 2 and sum(lease is not None for lease in won) == 1, won
    assert set(
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages]).values_list(
            "attempts", flat=True
        )
    ) == {1}
