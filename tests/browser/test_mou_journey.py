"""Journeys 1, 2 and 4 in Chromium: the coordinator opens an MOU version, the lead follows
the e-mailed link, drafts with autosave, submits; the coordinator asks for changes, the lead
revises, the coordinator accepts; the draft PDF downloads with every partner's role in it."""

import re
import subprocess

import pytest
from django.conf import settings
from playwright.sync_api import expect

from core.actor import Actor
from core.models import OutboxMessage
from mou import services
from mou.models import RoleBlock
from tests import factories
from tests.browser.conftest import ARTIFACTS

LINK = re.compile(r"https?://\S+/accounts/link/[^\s\"<]+/")
SHOTS = ARTIFACTS / "mou"

ROLES = {
    "Salem-Keizer School District": "Salem-Keizer pilots project-based math in two schools.",
    "Chemeketa Community College": "Chemeketa offers dual-credit math and open labs.",
    "Gilbert House Children's Museum": "Gilbert House hosts STEM evenings for families.",
}


def shot(page, name: str) -> None:
    """Desktop and phone screenshots of the current page, for people to look at."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def emailed_link(live_server, *, to: str, kind: str) -> str:
    message = OutboxMessage.objects.filter(to_email=to, kind=kind).order_by("-id").first()
    assert message is not None, f"no {kind} e-mail to {to}"
    link = LINK.search(message.body_text).group(0)
    assert link.startswith(settings.SITE_URL)
    # The mail says SITE_URL; this test's server listens elsewhere.
    return live_server.url + link.removeprefix(settings.SITE_URL)


@pytest.fixture
def network(transactional_db, deadline_next_year):
    coordinator = factories.UserFactory(is_coordinator=True, full_name="Lita Colligan")
    people = {}
    for name in ROLES:
        partner = factories.PartnerFactory(
            name=name, kind="school_district" if "District" in name else "college"
        )
        people[name] = factories.MembershipFactory(partner=partner, role="lead").user
    version = services.version_create(
        actor=Actor.of(coordinator),
        title="Mid-Valley STEM Partnership MOU 2026–27",
        shared_text="## Purpose\n\nA STEM learning community.\n\n## Terms\n\n1. One year.",
        deadline=deadline_next_year,
    )
    return {"coordinator": coordinator, "people": people, "version": version}


@pytest.fixture
def deadline_next_year():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import timezone

    return datetime(timezone.now().year + 1, 10, 15, 23, 59, tzinfo=ZoneInfo(settings.TIME_ZONE))


def complete(page, role_text: str) -> None:
    page.get_by_label("Our role in the partnership").fill(role_text)
    page.get_by_label("What we commit and contribute").fill("Two teacher teams and release days.")
    page.get_by_label("What we ask of the network").fill("Mentors and STEM experiences.")
    contact = page.locator("#section-contact")
    contact.get_by_label("Name").fill("Maria Alvarez")
    contact.get_by_label("E-mail").fill("maria@example.org")
    leader = page.locator("#section-leader")
    leader.get_by_label("Name").fill("Christy Perry")
    leader.get_by_label("Title").fill("Superintendent")
    leader.get_by_label("E-mail").fill("superintendent@example.org")


def test_mou_journey(page, live_server, signin, axe, network, tmp_path):
    coordinator, version = network["coordinator"], network["version"]
    lead = network["people"]["Salem-Keizer School District"]
    page.on("dialog", lambda dialog: dialog.accept())

    # 1. Kick-off: the coordinator opens the version; every lead is e-mailed.
    signin(page, coordinator, f"/mou/{version.pk}/")
    shot(page, "version-draft")
    page.get_by_role("link", name="Role templates", exact=True).click()
    shot(page, "templates")
    page.get_by_role("link", name="Edit the school district template").click()
    shot(page, "template-form")
    page.goto(live_server.url + f"/mou/{version.pk}/")
    page.get_by_role("link", name="Open to partners").click()
    shot(page, "version-open")
    page.get_by_role("button", name="Open and e-mail the leads").click()
    expect(page.get_by_text("is open: 3 partners have a block")).to_be_visible()
    assert OutboxMessage.objects.filter(kind="mou_opened").count() == 3

    # 2. Drafting: the lead follows the e-mailed link and lands in the block, signed in.
    page.goto(emailed_link(live_server, to=lead.email, kind="mou_opened"))
    expect(page.get_by_role("heading", name="Salem-Keizer School District's block")).to_be_visible()
    expect(page.get_by_text("Guidance: School district partner")).to_be_visible()
    axe(page)
    shot(page, "block-editor")
    role = page.get_by_label("Our role in the partnership")
    role.fill("We pilot project-based math")
    expect(page.locator("#autosave-status")).to_contain_text("Saved", timeout=10_000)
    page.reload()
    expect(page.get_by_label("Our role in the partnership")).to_have_value(
        "We pilot project-based math"
    )
    complete(page, ROLES["Salem-Keizer School District"])
    expect(page.locator("#autosave-status")).to_contain_text("Saved", timeout=10_000)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("your block is submitted for review")).to_be_visible()
    block = RoleBlock.objects.get(version=version, partner__name="Salem-Keizer School District")
    assert block.status == RoleBlock.Status.SUBMITTED

    # The other partners write their blocks too (through the same services).
    for name, text in ROLES.items():
        if name == "Salem-Keizer School District":
            continue
        other = RoleBlock.objects.get(version=version, partner__name=name)
        services.block_save_draft(
            block=other,
            actor=Actor.of(network["people"][name]),
            data={"role_in_partnership": text},
            expected_revision=0,
        )

    # 4. Review: the coordinator asks for changes.
    signin(page, coordinator, block.get_absolute_url())
    shot(page, "block-review")
    page.get_by_label("What should change?").fill("Please name the two prototype schools.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_text("Changes requested;")).to_be_visible()

    # The lead follows the new e-mail, sees the comment, revises and resubmits.
    page.goto(emailed_link(live_server, to=lead.email, kind="mou_changes_requested"))
    expect(page.get_by_role("note").filter(has_text="asked for changes")).to_contain_text(
        "Please name the two prototype schools."
    )
    revised = ROLES["Salem-Keizer School District"] + " Schools: Judson and Houck."
    page.get_by_label("Our role in the partnership").fill(revised)
    expect(page.locator("#autosave-status")).to_contain_text("Saved", timeout=10_000)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("your block is submitted for review")).to_be_visible()

    # The coordinator sees what changed since the last look, and accepts.
    signin(page, coordinator, f"/mou/{version.pk}/")
    expect(page.get_by_text("Changed since you last looked")).to_be_visible()
    shot(page, "version-blocks")
    page.get_by_role("link", name="Salem-Keizer School District").click()
    page.get_by_role("link", name="See what changed").click()
    expect(page.locator("ins", has_text="Judson")).to_be_visible()
    shot(page, "block-diff")
    page.go_back()
    page.get_by_role("button", name="Accept this block").click()
    expect(page.get_by_text("block is accepted")).to_be_visible()
    block.refresh_from_db()
    assert block.status == RoleBlock.Status.ACCEPTED

    # The whole MOU, and its draft PDF rendered in the background, then downloaded.
    page.goto(live_server.url + f"/mou/{version.pk}/document/")
    expect(page.get_by_role("heading", name="Partner roles")).to_be_visible()
    axe(page)
    shot(page, "document")
    page.get_by_role("link", name="Draft PDF").click()
    page.get_by_role("button", name="Prepare the draft PDF").click()
    download_link = page.get_by_role("link", name="Download the draft PDF")
    expect(download_link).to_be_visible(timeout=30_000)
    shot(page, "document-pdf")
    with page.expect_download() as info:
        download_link.click()
    pdf = tmp_path / "mou.pdf"
    info.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    assert "DRAFT" in flat
    for role_text in [revised, *list(ROLES.values())[1:]]:
        assert role_text in flat
    page.goto(live_server.url + block.get_absolute_url() + "history/")
    expect(page.get_by_role("heading", name=re.compile("History of"))).to_be_visible()
    shot(page, "block-history")
    page.goto(live_server.url + "/mou/")
    shot(page, "version-list")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "3", str(pdf), str(SHOTS / "pdf-page")],
        check=True,
    )


def test_a_conflicting_autosave_shows_both_texts_and_stops(page, live_server, signin, network):
    coordinator, version = network["coordinator"], network["version"]
    services.version_open(version=version, actor=Actor.of(coordinator))
    lead = network["people"]["Salem-Keizer School District"]
    block = RoleBlock.objects.get(version=version, partner__name="Salem-Keizer School District")
    colleague = factories.MembershipFactory(partner=block.partner, role="editor").user

    signin(page, lead, block.get_absolute_url())
    expect(page.get_by_label("Our role in the partnership")).to_be_visible()
    # Meanwhile a colleague saves the same block from another session.
    services.block_save_draft(
        block=block,
        actor=Actor.of(colleague),
        data={"role_in_partnership": "The colleague's text"},
        expected_revision=0,
    )
    page.get_by_label("Our role in the partnership").fill("The lead's text")
    conflict = page.locator("#conflict-area")
    expect(conflict).to_contain_text("someone else changed this block", timeout=10_000)
    expect(conflict.get_by_role("table")).to_contain_text("The lead's text")
    expect(conflict.get_by_role("table")).to_contain_text("The colleague's text")
    expect(page.locator("#autosave-status")).to_contain_text("Not saved")
    shot(page, "block-conflict")
    # Autosave has stopped: more typing sends nothing, and the colleague's text stays.
    page.get_by_label("Our role in the partnership", exact=True).fill("The lead's text, longer")
    page.wait_for_timeout(2000)
    block.refresh_from_db()
    assert block.role_in_partnership == "The colleague's text"
    assert block.revision == 1
