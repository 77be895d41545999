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


def pytest_collection_modifyitems(config, items):
    # A transactional test (browser, real services) empties the database when it ends,
    # which would take the rows that data migrations seed (categories, role templates)
    # away from the tests that run after it. Serialized rollback puts them back.
    for item in items:
        names = getattr(item, "fixturenames", ())
        marker = item.get_closest_marker("django_db")
        marked = marker is not None and bool(
            marker.kwargs.get("transaction") or (marker.args and marker.args[0])
        )
        if marked or {"live_server", "transactional_db", "real_services"} & set(names):
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True}
            item.add_marker(pytest.mark.django_db(**kwargs, serialized_rollback=True))


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
