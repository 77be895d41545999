"""Real services: PostgreSQL, Redis and a Celery worker in its own process.

These run in CI (`.ci/run` sets DATABASE_URL and CELERY_BROKER_URL and fails on any skip);
`make test` on a machine with no servers skips them.
"""

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/services/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.services)


@pytest.fixture
def real_services(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")
    if not settings.CELERY_BROKER_URL.startswith("redis://"):
        pytest.skip("needs Redis: set CELERY_BROKER_URL=redis://... (CI does)")


@pytest.fixture
def start_worker(real_services):
    """start_worker(extra_env={}, concurrency=1) -> queue name. A real `celery worker` on
    Redis against this test's PostgreSQL database, listening on a queue of its own so
    parallel test processes never take each other's tasks. Stopped after the test."""
    from config.celery import app

    workers: list[subprocess.Popen] = []
    previous = (app.conf.task_always_eager, app.conf.task_default_queue)

    def start(extra_env: dict | None = None, concurrency: int = 1) -> str:
        queue = f"test-{uuid.uuid4().hex[:10]}"
        db = connection.settings_dict
        database_url = (
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        )
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            **(extra_env or {}),
        }
        pool = ["--pool=solo"] if concurrency == 1 else ["--pool=threads", f"-c{concurrency}"]
        workers.append(
            subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "config",
                    "worker",
                    "-Q",
                    queue,
                    *pool,
                    "--loglevel=INFO",
                    f"--hostname={queue}@localhost",
                    "--without-mingle",
                    "--without-gossip",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        app.conf.task_always_eager = False
        app.conf.task_default_queue = queue
        return queue

    try:
        yield start
    finally:
        app.conf.task_always_eager, app.conf.task_default_queue = previous
        for worker in workers:
            worker.terminate()
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()


@pytest.fixture
def celery_worker_process(start_worker):
    return start_worker()


def wait_for(predicate, timeout=30.0, interval=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return False


def free_port() -> int:
    """A loopback port nothing listens on (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpRecorder:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.delivered: list[bytes] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.delivered.append(envelope.content)
        return "250 OK"
