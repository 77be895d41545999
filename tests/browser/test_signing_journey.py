"""Journey 5 in Chromium: the coordinator freezes the version (leaving a partner out
explicitly); two partner signing leaders sign through the links e-mailed to them; the backbone
organization countersigns last; the executed PDF downloads; the public verify page calls it
genuine, and a copy with one byte changed not genuine."""

import re
import subprocess
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from core.actor import Actor
from core.models import OutboxMessage
from mou import services
from mou.models import ExecutedPdf, MouVersion, RoleBlock
from tests import factories
from tests.browser.conftest import ARTIFACTS

SHOTS = ARTIFACTS / "signing"
SIGN_LINK = re.compile(r"https?://\S+/mou/sign/[A-Za-z0-9_-]+/")

PARTNERS = {
    "Salem-Keizer School District": ("Christy Perry", "Superintendent", "sk@example.org"),
    "Chemeketa Community College": ("Jessica Howard", "President", "president@example.edu"),
}
LATE = "Gilbert House Children's Museum"


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(SHOTS / f"{name}-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def signing_link(live_server, *, to: str) -> str:
    message = OutboxMessage.objects.filter(to_email=to, kind="mou_sign_request").order_by("-id")
    assert message.exists(), f"no signing e-mail to {to}"
    link = SIGN_LINK.search(message.first().body_text).group(0)
    assert link.startswith(settings.SITE_URL)
    return live_server.url + link.removeprefix(settings.SITE_URL)


@pytest.fixture
def round_ready(transactional_db):
    """An open version: two partners' blocks accepted, a third still drafting."""
    coordinator = factories.UserFactory(
        is_coordinator=True, full_name="Lita Colligan", title="Executive Director"
    )
    zone = ZoneInfo(settings.TIME_ZONE)
    version = services.version_create(
        actor=Actor.of(coordinator),
        title="Mid-Valley STEM Partnership MOU 2026–27",
        shared_text=(
            "## Purpose\n\nA STEM learning community network.\n\n## Terms\n\n"
            "1. This memorandum runs for one school year.\n2. It creates no financial obligation."
        ),
        deadline=datetime(timezone.now().year + 1, 10, 15, 23, 59, tzinfo=zone),
    )
    leads = {}
    for name in [*PARTNERS, LATE]:
        partner = factories.PartnerFactory(
            name=name, kind="school_district" if "District" in name else "college"
        )
        leads[name] = factories.MembershipFactory(partner=partner, role="lead").user
    services.version_open(version=version, actor=Actor.of(coordinator))
    for name, (leader, title, email) in PARTNERS.items():
        block = RoleBlock.objects.get(version=version, partner__name=name)
        block = services.block_save_draft(
            block=block,
            actor=Actor.of(leads[name]),
            data={
                "role_in_partnership": f"{name} brings project-based STEM to its students.",
                "commitments": "Teacher teams and release days.",
                "asks_of_network": "Mentors and STEM experiences for teachers.",
                "contact_name": "Maria Alvarez",
                "contact_email": "maria@example.org",
                "signing_leader_name": leader,
                "signing_leader_title": title,
                "signing_leader_email": email,
            },
            expected_revision=0,
        )
        block = services.block_submit(block=block, actor=Actor.of(leads[name]))
        services.block_accept(block=block, actor=Actor.of(coordinator))
    late = RoleBlock.objects.get(version=version, partner__name=LATE)
    services.block_save_draft(
        block=late,
        actor=Actor.of(leads[LATE]),
        data={"commitments": "Family STEM nights"},
        expected_revision=0,
    )
    return {"coordinator": coordinator, "version": version, "leads": leads}


def sign_as(page, live_server, *, email: str, name: str, title: str, axe=None) -> None:
    page.goto(signing_link(live_server, to=email))
    expect(
        page.get_by_role("heading", name="Mid-Valley STEM Partnership MOU 2026–27")
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Appendix A: needs and contributions")).to_be_visible()
    if axe is not None:
        axe(page)
    page.get_by_label("Your full name").fill(name)
    page.get_by_label("Your title").fill(title)
    page.get_by_label(re.compile("I have read the whole memorandum")).check()
    page.get_by_role("button", name="Sign the MOU").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page.get_by_text("You have signed for")).to_be_visible()


def test_signing_journey(page, live_server, signin, axe, round_ready, tmp_path):
    coordinator, version = round_ready["coordinator"], round_ready["version"]
    page.on("dialog", lambda dialog: dialog.accept())

    # Freeze: the museum's block is not accepted, so it must be left out explicitly.
    signin(page, coordinator, f"/mou/{version.pk}/")
    page.get_by_role("link", name="Freeze for signature").click()
    expect(page.get_by_role("heading", name=re.compile("Freeze"))).to_be_visible()
    axe(page)
    shot(page, "freeze")
    closes = timezone.localtime(timezone.now() + timedelta(days=21))
    page.get_by_label("Signing closes").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Countersigner (a coordinator)").select_option(label="Lita Colligan")
    page.get_by_role("button", name="Freeze and send the signing links").click()
    expect(page.get_by_role("alert").first).to_contain_text("no accepted block")
    page.get_by_label(re.compile(LATE)).check()
    page.get_by_label("Signing closes").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Countersigner (a coordinator)").select_option(label="Lita Colligan")
    page.get_by_role("button", name="Freeze and send the signing links").click()
    expect(page.get_by_text("is frozen. 2 signing leaders")).to_be_visible()
    expect(page.get_by_text("Waiting for partners")).to_be_visible()
    shot(page, "signatures-frozen")

    # The signing leaders, signed out, follow the links e-mailed to them.
    page.context.clear_cookies()
    first = PARTNERS["Salem-Keizer School District"]
    page.goto(signing_link(live_server, to=first[2]))
    shot(page, "sign-page")
    sign_as(page, live_server, email=first[2], name=first[0], title=first[1], axe=axe)
    shot(page, "sign-done")
    second = PARTNERS["Chemeketa Community College"]
    sign_as(page, live_server, email=second[2], name=second[0], title=second[1])

    # The countersigner is e-mailed only now, and signs last.
    sign_as(page, live_server, email=coordinator.email, name="Lita Colligan", title="Director")
    record = ExecutedPdf.objects.get(frozen__version=version)
    assert MouVersion.objects.get(pk=version.pk).status == MouVersion.Status.EXECUTED

    # The coordinator downloads the executed PDF.
    signin(page, coordinator, f"/mou/{version.pk}/signatures/")
    expect(page.get_by_text("2 of 2")).to_be_visible()
    shot(page, "signatures-executed")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the executed MOU").click()
    pdf = tmp_path / "executed.pdf"
    info.value.save_as(pdf)
    data = pdf.read_bytes()
    import hashlib

    assert hashlib.sha256(data).hexdigest() == record.sha256
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for name in ("Christy Perry", "Jessica Howard", "Lita Colligan"):
        assert name in text
    assert record.frozen.content_sha256 in text
    subprocess.run(["pdftoppm", "-png", "-r", "50", str(pdf), str(SHOTS / "pdf-page")], check=True)

    # Anyone, signed out, checks the file on the verify page (the footer links to it).
    page.context.clear_cookies()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Verify a signed MOU").click()
    expect(page.get_by_role("heading", name="Verify a signed MOU")).to_be_visible()
    axe(page)
    page.get_by_label("The PDF file").set_input_files(str(pdf))
    page.get_by_role("button", name="Verify").click()
    result = page.get_by_test_id("verify-result")
    expect(result).to_have_attribute("data-genuine", "yes")
    expect(result).to_contain_text("Genuine")
    expect(result).to_contain_text("version 1")
    axe(page)
    shot(page, "verify-genuine")

    tampered = tmp_path / "tampered.pdf"
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0x01
    tampered.write_bytes(bytes(changed))
    page.get_by_label("The PDF file").set_input_files(str(tampered))
    page.get_by_role("button", name="Verify").click()
    expect(result).to_have_attribute("data-genuine", "no")
    expect(result).to_contain_text("Not genuine")
    shot(page, "verify-not-genuine")
