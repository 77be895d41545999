"""Real concurrent sessions for the race tests: each request in its own thread, on its own
database connection, committing for real (the tests use ``transaction=True``).

``race`` holds every request at the first save of a model until all of them got there, so
each has passed its own checks before any inserts: the inserts truly race. ``meanwhile``
runs another person's request, to its commit, in the middle of a service call.
"""

import threading
from collections.abc import Callable, Iterable
from contextlib import contextmanager, suppress

import pytest
from django.db import connection, connections
from django.test import Client


@pytest.fixture
def postgres(transactional_db):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL (CI does)")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def race(requests: Iterable[Callable[[], object]], *, hold: type, timeout: float = 10.0) -> list:
    """Run each request in a thread at once; return their responses (or exceptions).

    Each thread waits at its first ``hold.save()`` until every thread got there or the
    barrier times out (a request refused before saving never comes)."""
    requests = list(requests)
    barrier = threading.Barrier(len(requests), timeout=timeout)
    held = threading.local()
    original = hold.save

    def save(self, *args, **kwargs):
        if not getattr(held, "done", False):
            held.done = True
            with suppress(threading.BrokenBarrierError):  # a racer refused before saving
                barrier.wait()
        return original(self, *args, **kwargs)

    results: list = [None] * len(requests)

    def run(index: int, request: Callable[[], object]) -> None:
        try:
            results[index] = request()
        except Exception as error:  # reported to the test, which fails on it
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(requests)]
    hold.save = save
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout * 3)
    finally:
        hold.save = original
    assert not any(thread.is_alive() for thread in threads), "a request never finished"
    return results


@contextmanager
def meanwhile(module, name: str, other: Callable[[], object]):
    """While the block runs, the first call of ``module.name`` first lets ``other`` run to
    its end in another thread (its own connection, its own commit): a change that lands
    after this request loaded its rows and before it writes them."""
    original = getattr(module, name)
    outcome: dict = {}

    def run_other() -> None:
        try:
            outcome["result"] = other()
        except Exception as error:
            outcome["result"] = error
        finally:
            connections.close_all()

    def patched(*args, **kwargs):
        if "result" not in outcome:
            thread = threading.Thread(target=run_other)
            thread.start()
            thread.join(30)
        return original(*args, **kwargs)

    setattr(module, name, patched)
    try:
        yield outcome
    finally:
        setattr(module, name, original)
