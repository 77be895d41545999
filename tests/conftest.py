"""Suite-wide fixtures: people in every role, the browser, and the CI guard against skips."""

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from tests import factories  # noqa: E402


def pytest_addoption(parser):
    parser.addoption(
        "--require-all",
        action="store_true",
        default=os.environ.get("PORTAL_REQUIRE_ALL") == "1",
        help="Fail the run if any test is skipped (CI: services and browser must be there).",
    )


_TRANSACTIONAL = pytest.StashKey[bool]()
_db_blocker = None
_seeded_rows: dict[str, str] = {}


def pytest_collection_modifyitems(config, items):
    # A transactional test (browser, real services) empties the database when it ends,
    # which would take the rows that data migrations seed (categories, role templates)
    # away from the tests that run after it; _restore_seeded_rows puts them back.
    for item in items:
        names = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        marked = marker is not None and bool(
            marker.kwargs.get("transaction") or (marker.args and marker.args[0])
        )
        if marked or {"live_server", "transactional_db", "real_services"} & set(names):
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True}
            item.add_marker(pytest.mark.django_db(**kwargs, serialized_rollback=True))
            item.stash[_TRANSACTIONAL] = True


@pytest.fixture(scope="session", autouse=True)
def _remember_seeded_rows(django_db_setup, django_db_blocker):
    """The rows the migrations seed, as serialized when the test database was made.

    Kept here rather than read from the connection later: in the browser tests Django
    hands out another connection object, one without them."""
    from django.db import connections

    global _db_blocker
    _db_blocker = django_db_blocker
    for connection in connections.all():
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents:
            _seeded_rows[connection.alias] = contents


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    # After the last test the test database is already gone.
    if nextitem is not None and item.stash.get(_TRANSACTIONAL, False) and _db_blocker:
        _restore_seeded_rows()


def _restore_seeded_rows():
    """Django flushes the database after a transactional test and loads the seeded rows
    only when the next serialized test starts; a plain test that runs next on the same
    worker (xdist hands tests out in any order) would find no categories. Where the
    test's connection object had lost the serialized rows, the flush also made content
    types anew under other ids; flushing again first gives one known state."""
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command
    from django.db import connections

    with _db_blocker.unblock():
        for alias, contents in _seeded_rows.items():
            # Sequences go on counting, so new rows never take a seeded row's id.
            call_command(
                "flush",
                database=alias,
                interactive=False,
                verbosity=0,
                inhibit_post_migrate=True,
                reset_sequences=False,
            )
            connections[alias].creation.deserialize_db_from_string(contents)
            connections[alias].close()
    ContentType.objects.clear_cache()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if config.getoption("--require-all"):
        skipped = terminalreporter.stats.get("skipped", [])
        if skipped:
            terminalreporter.write_line(
                f"FAILED: {len(skipped)} test(s) were skipped, and this run requires all of them.",
                red=True,
            )


@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session, exitstatus):
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if (
        session.config.getoption("--require-all")
        and reporter is not None
        and reporter.stats.get("skipped")
        and exitstatus == 0
    ):
        session.exitstatus = 1


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def coordinator(db):
    return factories.UserFactory(is_coordinator=True, full_name="Lita Coordinator")


@pytest.fixture
def partner(db):
    return factories.PartnerFactory(name="Salem-Keizer School District")


@pytest.fixture
def other_partner(db):
    return factories.PartnerFactory(name="Chemeketa Community College", kind="college")


@pytest.fixture
def lead(partner):
    return factories.MembershipFactory(partner=partner, role="lead").user


@pytest.fixture
def editor(partner):
    return factories.MembershipFactory(partner=partner, role="editor").user


@pytest.fixture
def viewer(partner):
    return factories.MembershipFactory(partner=partner, role="viewer").user


@pytest.fixture
def other_lead(other_partner):
    return factories.MembershipFactory(partner=other_partner, role="lead").user


@pytest.fixture
def nobody(db):
    """Signed in, but with no role at any partner."""
    return factories.UserFactory()


@pytest.fixture
def client_for(client):
    """client_for(user) -> a test client signed in as that user (or anonymous for None)."""

    def make(user):
        from django.test import Client

        c = Client()
        if user is not None:
            c.force_login(user)
        return c

    return make
