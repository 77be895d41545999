"""An e-mail goes through Redis to a real Celery worker and is marked delivered in PostgreSQL."""

from django.db import transaction

from core.models import OutboxMessage
from core.services.outbox import outbox_send_templated
from tests.services.conftest import wait_for


def test_outbox_message_is_delivered_by_a_real_worker(celery_worker_process):
    with transaction.atomic():
        message = outbox_send_templated(
            to="lead@example.org",
            template="signin_link",
            context={"link": "https://portal.example.org/x", "reason": "requested", "hours": 1},
            kind="test",
        )
    assert wait_for(
        lambda: OutboxMessage.objects.get(pk=message.pk).status == OutboxMessage.Status.SENT
    ), "the worker did not deliver the message"
    assert OutboxMessage.objects.get(pk=message.pk).attempts == 1
