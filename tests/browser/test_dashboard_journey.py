"""Journey 4 in Chromium: the coordinator filters to the overdue partners, exports them,
reminds one with "remind now" and finds the e-mail in the outbox; the partner home shows a
lead what is owed. Both pages pass axe and are looked at on a desktop and a phone."""

import csv
import io
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from core.actor import Actor
from core.models import OutboxMessage
from mou import services
from mou.models import MouVersion, RoleBlock
from tests import factories

COMPLETE = {
    "role_in_partnership": "We host teacher externships.",
    "commitments": "Six externships a summer.",
    "asks_of_network": "Teachers who want to come.",
    "contact_name": "Ana Ruiz",
    "contact_email": "ana@example.org",
    "signing_leader_name": "Jo Park",
    "signing_leader_title": "President",
    "signing_leader_email": "jo@example.org",
}
PHONE = {"width": 390, "height": 844}


def _screenshots(tmp_path) -> Path:
    folder = Path(os.environ.get("DASHBOARD_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def late_network(transactional_db):
    coordinator = factories.UserFactory(is_coordinator=True, full_name="Lita Coordinator")
    partners = {
        "academy": factories.PartnerFactory(name="Overdue Academy", kind="school"),
        "labs": factories.PartnerFactory(name="Late Labs", kind="business"),
        "college": factories.PartnerFactory(name="Punctual College", kind="college"),
        "museum": factories.PartnerFactory(name="Extended Museum", kind="informal"),
    }
    leads = {
        key: factories.MembershipFactory(partner=p, role="lead", user__full_name=f"Lead {key}").user
        for key, p in partners.items()
    }
    version = services.version_create(
        actor=Actor.of(coordinator),
        title="Partnership MOU",
        shared_text="## Purpose\n\nTogether.",
        deadline=timezone.now() + timedelta(days=5),
    )
    services.version_open(version=version, actor=Actor.of(coordinator))
    blocks = {
        key: RoleBlock.objects.select_related("version", "partner").get(version=version, partner=p)
        for key, p in partners.items()
    }
    services.block_save_draft(
        block=blocks["labs"],
        actor=Actor.of(leads["labs"]),
        data={"role_in_partnership": "Lab tours."},
        expected_revision=0,
    )
    college = services.block_save_draft(
        block=blocks["college"],
        actor=Actor.of(leads["college"]),
        data=COMPLETE,
        expected_revision=0,
    )
    services.block_submit(block=college, actor=Actor.of(leads["college"]))
    services.block_extension_grant(
        block=blocks["museum"],
        actor=Actor.of(coordinator),
        until=timezone.now() + timedelta(days=20),
    )
    # The deadline has passed: the academy and the labs are overdue, the museum has more time.
    MouVersion.objects.filter(pk=version.pk).update(deadline=timezone.now() - timedelta(days=3))
    return {"coordinator": coordinator, "leads": leads, "blocks": blocks, "version": version}


def test_coordinator_filters_overdue_exports_and_reminds(
    page, live_server, signin, axe, late_network, tmp_path
):
    shots = _screenshots(tmp_path)
    signin(page, late_network["coordinator"], "/dashboard/")
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Submissions over time")).to_be_visible()
    axe(page)
    page.screenshot(path=str(shots / "dashboard-desktop.png"), full_page=True)

    page.get_by_label("Overdue only").check()
    page.get_by_role("button", name="Apply").click()
    table = page.locator("table.dashboard-table")
    expect(table.locator("tbody tr")).to_have_count(2)
    shown = table.locator("tbody th").all_inner_texts()
    assert shown == ["Late Labs", "Overdue Academy"]
    expect(page.get_by_text("Showing 1–2 of 2 partners matching the filters")).to_be_visible()
    axe(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Export CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    lines = list(csv.reader(io.StringIO(Path(download.path()).read_text(encoding="utf-8-sig"))))
    rows = [r for r in lines if not r[0].startswith("# ")]  # the notes come first
    assert [r[0] for r in rows[1:]] == ["Late Labs", "Overdue Academy"]
    assert {r[2] for r in rows[1:]} == {"Draft", "Not started"}

    academy = late_network["blocks"]["academy"]
    row = page.locator(f"#block-{academy.pk}")
    row.get_by_role("button", name="Remind now").click()
    expect(page.locator("#dashboard-flash")).to_contain_text("Reminder sent to 1 person")
    expect(page.locator(f"#block-{academy.pk}")).to_contain_text("Reminder by hand")
    lead = late_network["leads"]["academy"]
    message = OutboxMessage.objects.get(to_email=lead.email, kind="reminder:reminder_block")
    # The new row's button sits under the pointer: let its hover transition finish first.
    page.mouse.move(0, 0)
    page.wait_for_function(
        "id => getComputedStyle(document.querySelector(`#block-${id} button`)).color"
        " === 'rgb(108, 117, 125)'",
        arg=academy.pk,
    )
    axe(page)

    page.goto(live_server.url + "/dev/mailbox/")
    expect(page.get_by_text(message.subject).first).to_be_visible()

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/dashboard/?overdue=on")
    page.screenshot(path=str(shots / "dashboard-phone.png"), full_page=True)
    # Stacked rows on a phone: nothing runs off the right edge of the page.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    axe(page)


def test_partner_home_shows_what_is_owed(page, live_server, signin, axe, late_network, tmp_path):
    shots = _screenshots(tmp_path)
    signin(page, late_network["leads"]["labs"], "/")
    expect(page.get_by_role("heading", name="Late Labs")).to_be_visible()
    expect(page.get_by_test_id("countdown")).to_contain_text("Overdue by 3 days")
    expect(page.get_by_role("link", name="Continue your block")).to_be_visible()
    expect(page.get_by_text("Overdue Academy")).to_have_count(0)
    axe(page)
    page.screenshot(path=str(shots / "home-desktop.png"), full_page=True)
    page.set_viewport_size(PHONE)
    page.reload()
    page.screenshot(path=str(shots / "home-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe(page)


def test_the_last_email_column_shows_the_invitation_and_its_delivery(
    page, live_server, signin, axe, late_network, tmp_path
):
    """After the kick-off, each row names its last e-mail (the invitation, changes requested,
    a reminder) and whether it went out; a failed one says so. Desktop and phone."""
    shots = _screenshots(tmp_path)
    blocks = late_network["blocks"]
    OutboxMessage.objects.filter(kind="mou_opened").update(status=OutboxMessage.Status.SENT)
    OutboxMessage.objects.filter(kind="mou_opened", about_id=blocks["labs"].pk).update(
        status=OutboxMessage.Status.GAVE_UP
    )
    signin(page, late_network["coordinator"], "/dashboard/")
    table = page.locator("table.dashboard-table")
    expect(table.locator("thead")).to_contain_text("Last e-mail")
    academy = page.locator(f"#block-{blocks['academy'].pk} td[data-label='Last e-mail']")
    expect(academy).to_contain_text("Invitation")
    expect(academy.locator(".badge")).to_have_text("sent")
    labs = page.locator(f"#block-{blocks['labs'].pk} td[data-label='Last e-mail']")
    expect(labs.locator(".badge")).to_have_text("failed")
    museum = page.locator(f"#block-{blocks['museum'].pk} td[data-label='Last e-mail']")
    expect(museum).to_contain_text("More time given")
    expect(page.get_by_text("None yet")).to_have_count(0)
    axe(page)
    page.screenshot(path=str(shots / "dashboard-last-email-desktop.png"), full_page=True)

    page.set_viewport_size(PHONE)
    page.reload()
    expect(academy).to_contain_text("Invitation")
    expect(academy).to_be_visible()
    page.screenshot(path=str(shots / "dashboard-last-email-phone.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe(page)
