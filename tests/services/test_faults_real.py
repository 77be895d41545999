"""Faults on real services: PostgreSQL, Redis, Celery workers in their own processes and a
real SMTP server.

- SMTP down for a while: every send task fails and retries, the outbox shows the failure,
  and each e-mail goes out exactly once when the server is back.
- The broker down while a block is reviewed: the save succeeds, the e-mails wait in the
  outbox, and the flush hands them to the worker once the broker is back.
- A worker killed (SIGKILL) in the middle of a PDF render: the task was acknowledged late,
  so Redis hands it to the next worker, which renders the PDF once.
- PostgreSQL dropping the request's connection (the backend is terminated): the plain
  error page, and nothing the request wrote is there afterwards.
"""

import json
import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

import mou.services
from core.actor import Actor
from core.models import Event, OutboxMessage
from core.services.outbox import outbox_flush, outbox_send_templated
from mou.models import DraftPdf, RoleBlock
from tests import factories
from tests.security.conftest import COMPLETE, _block, _opened
from tests.services.conftest import ROOT, SmtpRecorder, free_port, wait_for

# --- SMTP down for a while -------------------------------------------------------------------


def test_smtp_down_for_a_while_every_message_goes_out_once(start_worker):
    port = free_port()  # nothing listens there yet: the server is down
    start_worker(
        extra_env={
            "EMAIL_URL": f"smtp://127.0.0.1:{port}",
            "OUTBOX_RETRY_BACKOFF": "1",
            # Retries are queued with their backoff, as in production (not run at once).
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
    )
    with transaction.atomic():
        messages = [
            outbox_send_templated(
                to=f"lead{i}@example.org",
                template="signin_link",
                context={
                    "link": f"https://portal.example.org/{i}",
                    "reason": "requested",
                    "hours": 1,
                },
                kind="test",
            )
            for i in range(5)
        ]
    ids = [m.pk for m in messages]
    rows = OutboxMessage.objects.filter(pk__in=ids)

    def all_failed_once() -> bool:
        return all(
            m.status == OutboxMessage.Status.FAILED and m.attempts >= 1 and m.last_error
            for m in rows.all()
        )

    assert wait_for(all_failed_once, timeout=60), list(rows.values("status", "attempts"))
    # The outbox shows why (the coordinator's dashboard reads these fields).
    assert all("refused" in m.last_error.lower() for m in rows.all()), [
        m.last_error for m in rows.all()
    ]
    handler = SmtpRecorder()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert wait_for(
            lambda: rows.filter(status=OutboxMessage.Status.SENT).count() == 5, timeout=120
        ), list(rows.values("status", "attempts", "last_error"))
        time.sleep(1)  # a late duplicate would arrive now
    finally:
        server.stop()
    assert len(handler.delivered) == 5
    recipients = sorted(
        line.split(b":", 1)[1].strip()
        for content in handler.delivered
        for line in content.splitlines()
        if line.startswith(b"To:")
    )
    assert recipients == sorted(f"lead{i}@example.org".encode() for i in range(5))
    assert all(m.attempts >= 2 for m in rows.all())


# --- the broker down while people save --------------------------------------------------------


@contextmanager
def celery_broker(url: str):
    """Point this process's Celery producer at another broker (the worker keeps its own)."""
    from config.celery import app

    def use(write_url: str | None) -> None:
        # CELERY_BROKER_WRITE_URL in the environment wins over every setting (Celery's
        # own rule), and the producer pools are made again for it.
        if write_url is None:
            os.environ.pop("CELERY_BROKER_WRITE_URL", None)
        else:
            os.environ["CELERY_BROKER_WRITE_URL"] = write_url
        app._pool = None
        app.amqp._producer_pool = None

    previous = os.environ.get("CELERY_BROKER_WRITE_URL")
    use(url)
    try:
        yield
    finally:
        use(previous)


@pytest.fixture
def submitted(real_services):
    coordinator = factories.UserFactory(is_coordinator=True)
    membership = factories.MembershipFactory(role="lead")
    factories.MembershipFactory(partner=membership.partner, role="lead")
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


def test_broker_down_while_a_block_is_reviewed_the_emails_go_out_when_it_returns(
    start_worker, submitted
):
    block, coordinator = submitted
    start_worker()
    client = Client()
    client.force_login(coordinator)
    before = set(OutboxMessage.objects.values_list("pk", flat=True))
    with celery_broker("redis://127.0.0.1:1/0"):  # nothing listens on port 1
        started = time.monotonic()
        response = client.post(
            reverse("mou:block_request_changes", args=[block.version_id, block.pk]),
            {"changes-comment": "Name the two middle schools."},
        )
        took = time.monotonic() - started
    assert response.status_code == 302
    assert took < 15, f"the save waited {took:.1f}s for the broker"
    block.refresh_from_db()
    assert block.status == RoleBlock.Status.CHANGES_REQUESTED
    caused = OutboxMessage.objects.exclude(pk__in=before).filter(kind="mou_changes_requested")
    assert caused.count() == 2  # the partner's two leads
    time.sleep(2)
    assert set(caused.values_list("status", flat=True)) == {OutboxMessage.Status.PENDING}

    # The broker is back: the periodic flush hands them over; a second flush adds nothing.
    assert outbox_flush(older_than=timedelta(0)) >= 2
    assert wait_for(
        lambda: set(caused.values_list("status", flat=True)) == {OutboxMessage.Status.SENT},
        timeout=60,
    )
    outbox_flush(older_than=timedelta(0))
    time.sleep(1)
    assert all(m.attempts == 1 for m in caused.all())


# --- a worker killed in the middle of a PDF render ---------------------------------------------


KILL_DB = 9  # a Redis database of its own: no other test's unacknowledged tasks are near


def _broker_url(db: int) -> str:
    base = settings.CELERY_BROKER_URL.rsplit("/", 1)[0]
    return f"{base}/{db}"


@pytest.fixture
def worker_processes(real_services):
    """launch(queue, log) -> Popen: a solo-pool worker on KILL_DB with a 5-second visibility
    timeout, logging to ``log``. Every one is stopped after the test."""
    started: list[subprocess.Popen] = []
    db = connection.settings_dict
    database_url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )

    def launch(queue: str, log: Path) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": _broker_url(KILL_DB),
            "CELERY_VISIBILITY_TIMEOUT": "5",
            "CELERY_TASK_ALWAYS_EAGER": "false",
        }
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "-Q",
                queue,
                "--pool=solo",
                "--loglevel=INFO",
                f"--logfile={log}",
                f"--hostname={queue}-{len(started)}@localhost",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        started.append(process)
        return process

    yield launch
    for process in started:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _taken_by_a_worker(redis_client, queue: str) -> bool:
    """True once a worker has taken the queue's message and not acknowledged it yet."""
    for raw in redis_client.hvals("unacked"):
        _message, _exchange, routing_key = json.loads(raw)
        if routing_key == queue:
            return True
    return False


@pytest.fixture
def big_version(real_services):
    """An open version with 120 partners' blocks of real length: its PDF takes seconds."""
    coordinator = factories.UserFactory(is_coordinator=True)
    for _ in range(120):
        factories.PartnerFactory()
    version = _opened(coordinator, "The whole network's MOU", 30)
    text = " ".join(["We pilot project-based science in two middle schools."] * 40)
    RoleBlock.objects.filter(version=version).update(
        role_in_partnership=text, commitments=text, asks_of_network=text
    )
    return version, coordinator


def test_worker_killed_during_a_pdf_render_the_next_worker_renders_it_once(
    big_version, worker_processes, tmp_path
):
    import redis

    from config.celery import app

    version, coordinator = big_version
    queue = f"test-kill-{uuid.uuid4().hex[:8]}"
    broker = redis.Redis.from_url(_broker_url(KILL_DB))
    broker.delete("unacked", "unacked_index", queue)
    first = worker_processes(queue, tmp_path / "first.log")
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager, app.conf.task_default_queue = False, queue
    try:
        with celery_broker(_broker_url(KILL_DB)), transaction.atomic():
            draft = mou.services.draft_pdf_request(version=version, actor=Actor.of(coordinator))
        assert wait_for(lambda: _taken_by_a_worker(broker, queue), timeout=60), (
            "the first worker never took the render"
        )
        taken_at = time.monotonic()
        time.sleep(1.5)  # WeasyPrint is now laying out 120 partners' blocks
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=10)
        draft.refresh_from_db()
        assert draft.status == DraftPdf.Status.PENDING, (
            "the render finished before the worker was killed: make the version bigger"
        )
        assert _taken_by_a_worker(broker, queue), "the killed worker's task was lost"

        # After the visibility timeout the next worker takes the unacknowledged task back.
        time.sleep(max(0.0, 6 - (time.monotonic() - taken_at)))
        second_log = tmp_path / "second.log"
        worker_processes(queue, second_log)
        assert wait_for(
            lambda: DraftPdf.objects.get(pk=draft.pk).status == DraftPdf.Status.READY,
            timeout=180,
        ), second_log.read_text() if second_log.exists() else "no log"
        time.sleep(2)  # a duplicate delivery would start now
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        broker.delete("unacked", "unacked_index", queue)
    draft.refresh_from_db()
    assert draft.file and len(draft.sha256) == 64
    rendered = Event.objects.filter(action="mou.draft_pdf_rendered", data__draft_pdf=draft.pk)
    assert rendered.count() == 1
    second = second_log.read_text()
    assert second.count("mou.tasks.draft_pdf_render[") >= 1
    assert second.count("succeeded") == 1
    assert "succeeded" not in (tmp_path / "first.log").read_text()


# --- PostgreSQL drops the request's connection -------------------------------------------------


def test_database_connection_dropped_mid_request_a_clean_500_and_nothing_written(
    submitted, monkeypatch, mailoutbox
):
    block, coordinator = submitted
    real = mou.services.block_request_changes

    def write_then_lose_the_connection(**kwargs):
        real(**kwargs)  # the status, the event and the outbox rows are written …
        with connection.cursor() as cursor:  # … and the server ends this connection
            cursor.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    monkeypatch.setattr(mou.services, "block_request_changes", write_then_lose_the_connection)
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
    assert "Traceback" not in page and "terminat" not in page
    connection.close()  # the test's own next query opens a fresh connection
    block.refresh_from_db()
    assert block.status == RoleBlock.Status.SUBMITTED
    assert Event.objects.count() == events
    assert OutboxMessage.objects.count() == messages
    assert len(mailoutbox) == delivered
