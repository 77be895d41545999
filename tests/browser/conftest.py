"""Playwright in Debian's Chromium against live_server, with axe and failure screenshots."""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("PORTAL_CHROMIUM", "/usr/bin/chromium")
AXE_JS = (Path(__file__).parent / "vendor" / "axe.min.js").read_text()
ARTIFACTS = Path(os.environ.get("PORTAL_TEST_ARTIFACTS", "test-results"))


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium is missing at {CHROMIUM}: run `make test` (it installs it) "
            "or `sudo apt-get install -y chromium`."
        )
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        page = item.funcargs.get("page")
        if page is not None:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            name = item.nodeid.replace("/", "_").replace("::", "__")[:180]
            try:
                page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
            except Exception as exc:  # the page may already be closed
                report.sections.append(("screenshot", f"not taken: {exc}"))


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core on the current page; return the violations of the given impacts."""
    # evaluate() is not subject to the page's CSP, which forbids injected inline script.
    page.evaluate(AXE_JS)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in impacts]


def assert_accessible(page) -> None:
    violations = axe_violations(page)
    assert not violations, "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(
            n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
            for n in v["nodes"][:5]
        )
        for v in violations
    )


@pytest.fixture
def axe():
    return assert_accessible


@pytest.fixture
def signin(live_server):
    """signin(page, user) — sign in as user through a real e-mailed-style link.

    Coordinators and staff have no sign-in links (they sign in with a password, which
    test_invite_journey walks through): the browser is handed a session for them, as the
    password form would make one, and opens the page."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from core.services.signin import link_signs_in, signin_token_make

    def go(page, user, next_path="/"):
        if link_signs_in(user):
            token = signin_token_make(user=user, next_path=next_path)
            page.goto(live_server.url + reverse("accounts:link", kwargs={"token": token}))
            return
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )
        page.goto(live_server.url + next_path)

    return go


@pytest.fixture(autouse=True)
def _csp_guard(request):
    """Fail a browser test whose pages break the Content-Security-Policy (inline script)."""
    if "page" not in request.fixturenames:
        yield
        return
    page = request.getfixturevalue("page")
    problems: list[str] = []
    page.on(
        "console",
        lambda msg: (
            problems.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    yield
    assert not problems, "CSP violations:\n" + "\n".join(problems)
