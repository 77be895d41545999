"""A coordinator's second factor in Chromium, with MFA_REQUIRED on: forced enrolment,
recovery codes shown once, sign-in with a code and with a recovery code, a wrong code
refused, repeated wrong codes rate-limited. Codes come from allauth's own TOTP functions."""

import os
import re
from pathlib import Path

import pytest
from allauth.mfa.totp.internal.auth import (
    format_hotp_value,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories

PASSWORD = "a-long-passphrase-9"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def _screenshots(tmp_path) -> Path:
    folder = Path(os.environ.get("MFA_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _code(secret: str, offset: int) -> str:
    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2] + offset))


@pytest.fixture
def coordinator(transactional_db, settings):
    settings.MFA_REQUIRED = True
    # A TOTP code works once: one period either side lets each step use its own code.
    settings.MFA_TOTP_TOLERANCE = 1
    user = factories.UserFactory(
        is_coordinator=True, full_name="Lita Coordinator", email="lita@example.org"
    )
    user.set_password(PASSWORD)
    user.save()
    return user


def _password(page, live_server, next_path="/dashboard/"):
    page.goto(f"{live_server.url}{reverse('accounts:login')}?next={next_path}")
    page.locator("#id_username").fill("lita@example.org")
    page.locator("#id_password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()


def _sign_out(page):
    page.set_viewport_size(DESKTOP)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="Sign in", exact=True)).to_be_visible()


def _both_viewports(page, shots: Path, name: str):
    page.set_viewport_size(DESKTOP)
    page.screenshot(path=str(shots / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=str(shots / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_coordinator_enrols_then_signs_in_with_codes(page, live_server, axe, coordinator, tmp_path):
    shots = _screenshots(tmp_path)

    # The password alone leads to enrolment, and nowhere else.
    _password(page, live_server)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()
    page.goto(live_server.url + "/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    axe(page)
    _both_viewports(page, shots, "enrolment")
    secret = page.get_by_label("Or type this key into the app").input_value()
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)

    page.get_by_label("Code from your app").fill("000000")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    page.get_by_label("Code from your app").fill(_code(secret, -1))
    page.get_by_role("button", name="Turn on").click()

    # The recovery codes, once.
    expect(page.get_by_role("heading", name="Recovery codes")).to_be_visible()
    codes = page.locator(".recovery-codes li").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"\d{8}", code) for code in codes)
    axe(page)
    page.reload()
    expect(page.get_by_text("shown once, when they were made")).to_be_visible()
    assert codes[0] not in page.content()
    page.get_by_role("link", name="Continue").click()
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_role("heading", name="Dashboard", exact=False).first).to_be_visible()
    _sign_out(page)

    # Password, then a code from the app.
    _password(page, live_server)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    axe(page)
    _both_viewports(page, shots, "code")
    page.get_by_label("Code", exact=True).fill(_code(secret, 0))
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    _sign_out(page)

    # Password, then a recovery code.
    _password(page, live_server)
    page.get_by_label("Code", exact=True).fill(codes[0])
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    _sign_out(page)

    # A wrong code is refused with a message; repeated, the step is rate-limited.
    _password(page, live_server)
    page.get_by_label("Code", exact=True).fill("123456")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    axe(page)
    page.screenshot(path=str(shots / "code-wrong-desktop.png"), full_page=True)
    for attempt in range(4):
        page.get_by_label("Code", exact=True).fill(f"65432{attempt}")
        page.get_by_role("button", name="Sign in", exact=True).click()
        expect(page.get_by_text("Incorrect code.")).to_be_visible()
    page.get_by_label("Code", exact=True).fill(_code(secret, 1))
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_text("Too many failed login attempts")).to_be_visible()
    page.goto(live_server.url + "/dashboard/")
    expect(page).to_have_url(re.compile(r"/accounts/login/"))
