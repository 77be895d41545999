"""Where new users stumbled, in Chromium on a phone and a desktop: the freeze button before
every block is accepted, the new-version form (start from the previous version, a past
deadline), deleting a draft, a frozen version's read-only template and its whole MOU (the
frozen record), a typed name that is not the invited signer's, signing on behalf, the used
link's page and the signer's copy, and the verify page given the hash the PDF cover prints.
axe finds no serious or critical violation on any state shown."""

import hashlib
import re
from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from core.actor import Actor
from mou import services
from mou.models import ExecutedPdf, FrozenMou, MouVersion, SignatureRequest
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_signing_journey import LATE, PARTNERS, round_ready, signing_link

__all__ = ["round_ready"]  # the fixture, shared with the signing journey

SHOTS = ARTIFACTS / "smoothing"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
SALEM = "Salem-Keizer School District"


def both(page, name: str, axe) -> None:
    """Check and photograph the current state on a desktop, then on a phone."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        axe(page)
        page.screenshot(path=str(SHOTS / f"{name}-{label}.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def test_versions_and_signing_smoothed(page, live_server, signin, axe, round_ready, tmp_path):
    coordinator, version = round_ready["coordinator"], round_ready["version"]
    page.set_viewport_size(DESKTOP)

    # 3. One block is still drafting: "Freeze" is secondary, with a note saying why.
    signin(page, coordinator, f"/mou/{version.pk}/")
    freeze = page.get_by_test_id("freeze-button")
    expect(freeze).to_have_class(re.compile("btn-outline-secondary"))
    expect(page.get_by_test_id("freeze-note")).to_contain_text("1 of 3 blocks is still")
    both(page, "version-open-not-ready", axe)

    # 1, 2. A new version: offered to start from this one; a past deadline is refused.
    page.goto(live_server.url + "/mou/new/")
    start = page.get_by_label("Start from the previous version's shared text and role templates")
    expect(start).to_be_checked()
    both(page, "version-new", axe)
    page.get_by_label("Title").fill("Mid-Valley STEM Partnership MOU 2027–28")
    past = timezone.localtime(timezone.now() - timedelta(days=2))
    page.get_by_label("Deadline for blocks").fill(past.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Create draft").click()
    expect(page.get_by_text("has already passed")).to_be_visible()
    assert not MouVersion.objects.filter(title__contains="2027").exists()
    both(page, "version-new-past-deadline", axe)
    later = timezone.localtime(timezone.now() + timedelta(days=400))
    page.get_by_label("Deadline for blocks").fill(later.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Create draft").click()
    expect(
        page.get_by_text("Draft “Mid-Valley STEM Partnership MOU 2027–28” created")
    ).to_be_visible()
    draft = MouVersion.objects.get(title__contains="2027")
    assert draft.shared_text == version.shared_text

    # 2. The draft is deleted after a confirmation page.
    page.get_by_role("link", name="Delete draft").click()
    expect(page.get_by_role("heading", name=re.compile("Delete the draft"))).to_be_visible()
    both(page, "version-delete-confirm", axe)
    page.get_by_role("button", name="Delete this draft").click()
    expect(page.get_by_text("deleted.")).to_be_visible()
    assert not MouVersion.objects.filter(pk=draft.pk).exists()

    # Freeze, leaving the museum out (the freeze page itself is the signing journey's).
    frozen = services.version_freeze(
        version=version,
        actor=Actor.of(coordinator),
        signing_deadline=timezone.now() + timedelta(days=21),
        countersigner=services.Countersigner(
            name="Lita Colligan", title="Executive Director", email=coordinator.email
        ),
        leave_out=[
            b.partner_id for b in version.blocks.select_related("partner") if b.partner.name == LATE
        ],
    )

    # 8. A frozen version's template: read-only, with a note why.
    page.goto(live_server.url + f"/mou/{version.pk}/templates/school_district/")
    expect(page.get_by_test_id("template-readonly")).to_contain_text("can no longer change")
    assert page.locator("main input:not([type=hidden]), main textarea").count() == 0
    both(page, "template-frozen", axe)

    # 6. The whole MOU of a frozen version is the frozen record, without "Draft PDF".
    page.goto(live_server.url + f"/mou/{version.pk}/document/")
    expect(page.get_by_test_id("document-state")).to_contain_text("frozen for signature")
    expect(page.get_by_role("link", name="Draft PDF")).to_have_count(0)
    expect(page.get_by_text(LATE).first).to_be_visible()  # only in "Not part of this version"
    expect(page.get_by_role("heading", name=LATE)).to_have_count(0)
    both(page, "document-frozen", axe)

    # 5. Someone else types their name on Christy Perry's link: refused, naming her.
    page.context.clear_cookies()
    email = PARTNERS[SALEM][2]
    link = signing_link(live_server, to=email)
    page.goto(link)
    page.get_by_label("Your full name").fill("Mickey Mouse")
    page.get_by_label("Your title").fill("Deputy superintendent")
    page.get_by_role("button", name="Sign the MOU").click()
    expect(page.get_by_text("This signing link is for Christy Perry")).to_be_visible()
    # 9. The consent box left unticked says what to tick.
    expect(
        page.get_by_text("Tick the box to confirm you agree to sign on behalf of")
    ).to_be_visible()
    both(page, "sign-wrong-name", axe)

    # ... and signs on behalf of her, with a reason.
    page.get_by_label(re.compile("I am not Christy Perry")).check()
    reason = "Acting superintendent while Christy Perry is on leave"
    page.get_by_label("Why do you sign instead of them?").fill(reason)
    page.get_by_label(re.compile("I have read the whole memorandum")).check()
    page.get_by_role("button", name="Sign the MOU").click()
    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    salem = SignatureRequest.objects.get(frozen=frozen, organization=SALEM)
    assert salem.signed_on_behalf and salem.signed_name == "Mickey Mouse"

    # 7, 9. The used link says when it signed, whom to contact, and that the copy is coming.
    page.goto(link)
    expect(page.get_by_text(re.compile("You signed this MOU for " + SALEM))).to_be_visible()
    expect(page.get_by_test_id("signer-copy")).to_contain_text("being prepared")
    both(page, "sign-used-waiting", axe)

    for organization, (name, title, _) in PARTNERS.items():
        if organization != SALEM:
            services.signature_sign(
                signature=SignatureRequest.objects.get(frozen=frozen, organization=organization),
                name=name,
                title=title,
                consent=True,
                actor=Actor.system(),
            )
    counter = SignatureRequest.objects.get(frozen=frozen, role="countersigner")
    services.signature_sign(
        signature=counter, name="Lita Colligan", title="ED", consent=True, actor=Actor.system()
    )
    record = ExecutedPdf.objects.get(frozen=frozen)

    page.goto(link)
    both(page, "sign-used-copy", axe)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download your copy (PDF)").click()
    pdf = tmp_path / "copy.pdf"
    info.value.save_as(pdf)
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == record.sha256

    # 4. The hash printed on the cover is accepted by /verify/, saying it is the content's.
    page.goto(live_server.url + "/verify/")
    page.get_by_label("Or its SHA-256").fill(FrozenMou.objects.get(pk=frozen.pk).content_sha256)
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_test_id("verify-result")).to_have_attribute("data-genuine", "yes")
    expect(page.get_by_test_id("verify-matched")).to_have_attribute("data-matched", "content")
    both(page, "verify-content-hash", axe)

    # 5. The coordinator sees who signed on behalf of whom, and why.
    signin(page, coordinator, f"/mou/{version.pk}/signatures/")
    expect(page.get_by_test_id("signed-on-behalf")).to_contain_text(
        "signed by Mickey Mouse, Deputy superintendent, on behalf of Christy Perry"
    )
    expect(page.get_by_test_id("signed-on-behalf")).to_contain_text(reason)
    both(page, "signatures-on-behalf", axe)
