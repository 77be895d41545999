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


@pytest.fixture(scope="session", autouse=True)
def _seeded_rows_after_flush():
    """The rows the data migrations seed (the needs-matrix categories, the default role
    templates) come back after a transactional test (browser, real services) has emptied
    the database, made by the functions the migrations call: a plain test handed to the
    same worker next (xdist hands tests out in any order) finds them as the migrations
    left them.

    Django empties the database with `flush`, which then sends post_migrate as
    `manage.py flush` does: the content types and permissions come back that way, and the
    seeded rows with them, once per flush. Connected for the test session only, so that a
    real `migrate` never brings back a row a coordinator deleted."""
    from django.apps import apps
    from django.db.models.signals import post_migrate

    from mou.seeding import role_templates_seed
    from needs_matrix.seeding import categories_seed

    seeds = {"needs_matrix": categories_seed, "mou": role_templates_seed}

    def reseed(sender, **kwargs):
        seeds[sender.label]()

    for label in seeds:
        post_migrate.connect(
            reseed,
            sender=apps.get_app_config(label),
            weak=False,
            dispatch_uid=f"tests-seed-{label}",
        )
    yield
    for label in seeds:
        post_migrate.disconnect(
            sender=apps.get_app_config(label), dispatch_uid=f"tests-seed-{label}"
        )


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
