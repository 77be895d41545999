"""The HTML e-mails on a phone: a long sign-in link wraps inside the screen's width instead
of making the reader scroll sideways (the "copy this address" line). Desktop too."""

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from core.actor import Actor
from core.models import OutboxMessage
from core.services import reminders as engine
from mou import services
from mou.models import RoleBlock
from tests import factories

PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}
LONG_NAME = "Greater Mid-Willamette Valley Science, Technology, Engineering and Mathematics Schools"


def _shots(tmp_path) -> Path:
    folder = Path(os.environ.get("EMAIL_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def emails(db, settings):
    # A long address, as a real deployment's sign-in links are (host, path, token).
    settings.SITE_URL = "https://partnership-portal.mid-valley-stem.example.org"
    coordinator = factories.UserFactory(is_coordinator=True)
    partner = factories.PartnerFactory(name=LONG_NAME)
    lead = factories.MembershipFactory(partner=partner, role="lead").user
    version = services.version_create(
        actor=Actor.of(coordinator),
        title="Mid-Valley STEM Partnership Memorandum of Understanding 2026–2027",
        shared_text="Purpose",
        deadline=timezone.now() + timedelta(days=40),
    )
    services.version_open(version=version, actor=Actor.of(coordinator))
    block = RoleBlock.objects.get(version=version, partner=partner)
    engine.reminder_send_now(source="mou.block", subject=block, actor=Actor.of(coordinator))
    return {
        "mou_opened": OutboxMessage.objects.get(kind="mou_opened", to_email=lead.email),
        "reminder_block": OutboxMessage.objects.get(
            kind="reminder:reminder_block", to_email=lead.email
        ),
    }


@pytest.mark.parametrize("kind", ["mou_opened", "reminder_block"])
@pytest.mark.parametrize(("label", "viewport"), [("phone", PHONE), ("desktop", DESKTOP)])
def test_an_email_fits_the_screen_and_its_long_link_wraps(
    page, axe, emails, kind, label, viewport, tmp_path
):
    message = emails[kind]
    assert "Or copy this address: https://" in message.body_html
    page.set_viewport_size(viewport)
    page.set_content(message.body_html)
    page.screenshot(path=str(_shots(tmp_path) / f"email-{kind}-{label}.png"), full_page=True)
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{kind} is {scroll}px wide on a {inner}px screen"
    copy_line = page.get_by_text("Or copy this address:")
    box = copy_line.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= inner
    if label == "phone":
        assert box["height"] > 40  # the link wrapped onto several lines
    axe(page)
