"""The block editor in Chromium on a phone (390x844) and a desktop (1280x800): the first
field near the top, the sticky Save/Submit bar never covering the focused field, tap
targets of at least 24 px, and after a conflict "keep my text" with its confirmation and
the per-field choice. Each state passes axe (no serious or critical violation, the WCAG
2.2 target-size rule included); screenshots are saved for people to look at."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from core.actor import Actor
from mou import services
from mou.models import RoleBlock
from tests import factories
from tests.browser.conftest import ARTIFACTS, assert_accessible

SHOTS = ARTIFACTS / "block-editor"
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}

pytestmark = pytest.mark.django_db(transaction=True)


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def accessible(page) -> None:
    assert_accessible(page)
    # WCAG 2.2 SC 2.5.8 (target size), which axe leaves off by default.
    result = page.evaluate(
        "async () => await axe.run(document, {runOnly: ['target-size'],"
        " resultTypes: ['violations']})"
    )
    problems = [node["target"] for v in result["violations"] for node in v["nodes"]]
    assert not problems, f"targets under 24 px or crowded: {problems}"


@pytest.fixture
def setting(transactional_db):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.conf import settings
    from django.utils import timezone

    coordinator = factories.UserFactory(is_coordinator=True, full_name="Lita Colligan")
    partner = factories.PartnerFactory(name="Salem-Keizer School District", kind="school_district")
    lead = factories.MembershipFactory(partner=partner, role="lead").user
    editor = factories.MembershipFactory(partner=partner, role="editor").user
    version = services.version_create(
        actor=Actor.of(coordinator),
        title="Mid-Valley STEM Partnership MOU",
        shared_text="## Purpose\n\nA STEM learning community.",
        deadline=datetime(
            timezone.now().year + 1, 10, 15, 23, 59, tzinfo=ZoneInfo(settings.TIME_ZONE)
        ),
    )
    services.version_open(version=version, actor=Actor.of(coordinator))
    block = RoleBlock.objects.get(version=version, partner=partner)
    return {"lead": lead, "editor": editor, "block": block}


def open_as(page, live_server, user, path):
    client = Client()
    client.force_login(user)
    from django.conf import settings

    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])
    page.goto(live_server.url + path)


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_the_editor_puts_the_form_first_and_keeps_the_bar_clear_of_the_focus(
    page, live_server, setting, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    open_as(page, live_server, setting["lead"], setting["block"].get_absolute_url())
    first = page.get_by_label("Our role in the partnership")
    box = first.bounding_box()
    assert box["y"] < 700, f"the first field starts {box['y']:.0f} px down"
    bar = page.locator("#mou-actions")
    expect(bar.get_by_role("button", name="Submit for review")).to_be_in_viewport()
    expect(page.locator("#autosave-status")).to_be_in_viewport()
    accessible(page)
    shot(page, f"editor-{viewport}")

    # Typing: autosave answers in the bar, which stays in view.
    first.fill("We pilot project-based science in two middle schools.")
    expect(page.locator("#autosave-status")).to_contain_text("Saved", timeout=10_000)
    expect(page.locator("#history-count")).to_have_text("2 revisions kept")
    expect(bar).to_be_in_viewport()

    # Every field focused from the keyboard, the last one included, stays clear of the bar.
    page.locator("#id_role_in_partnership").focus()
    for _ in range(12):
        page.keyboard.press("Tab")
        page.evaluate(
            "() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))"
        )
        focused = page.evaluate(
            "() => { const e = document.activeElement; const r = e.getBoundingClientRect();"
            " const b = document.getElementById('mou-actions').getBoundingClientRect();"
            " return {id: e.id, bottom: r.bottom, top: r.top, barTop: b.top,"
            " inBar: !!e.closest('#mou-actions')}; }"
        )
        if focused["inBar"]:
            break
        assert focused["bottom"] <= focused["barTop"], f"under the bar: {focused}"
        assert focused["top"] >= 0
        if focused["id"] == "id_signing_leader_email":
            accessible(page)
            shot(page, f"last-field-focused-{viewport}")
    assert focused["inBar"], "Tab never reached the Save/Submit bar"

    # The "More" links: tall enough and apart (WCAG 2.5.8).
    boxes = page.evaluate(
        "() => [...document.querySelectorAll('.mou-links a')].map(a => {"
        " const r = a.getBoundingClientRect(); return {y: r.top, height: r.height}; })"
    )
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        assert lower["y"] - (upper["y"] + upper["height"]) >= 0, boxes
    assert all(b["height"] >= 24 for b in boxes)
    page.get_by_text("Guidance:").click()
    expect(page.locator("#guidance > .mou-text")).to_be_visible()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_after_a_conflict_keep_my_text_confirms_then_saves_and_fields_can_be_chosen(
    page, live_server, setting, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    block = setting["block"]
    open_as(page, live_server, setting["editor"], block.get_absolute_url())
    # Meanwhile the lead saves the block.
    services.block_save_draft(
        block=block,
        actor=Actor.of(setting["lead"]),
        data={"role_in_partnership": "The lead's role.", "commitments": "The lead's list."},
        expected_revision=0,
    )
    page.get_by_label("Our role in the partnership").fill("The editor's role.")
    page.get_by_label("What we commit and contribute").fill("The editor's list.")
    expect(page.locator("#conflict-alert")).to_be_visible(timeout=10_000)
    expect(page.get_by_role("button", name="Keep my text in every field…")).to_be_visible()
    accessible(page)
    shot(page, f"conflict-{viewport}")

    page.get_by_role("button", name="Keep my text in every field…").click()
    expect(
        page.get_by_role("heading", name="Save your text over the current text?")
    ).to_be_visible()
    expect(page.locator(".mou-lost").first).to_contain_text("The lead's role.")
    accessible(page)
    shot(page, f"keep-my-text-confirm-{viewport}")

    # The per-field choice, from the full conflict page (no script needed).
    page.goto(live_server.url + block.get_absolute_url())
    block.refresh_from_db()
    services.block_save_draft(
        block=block,
        actor=Actor.of(setting["lead"]),
        data={"commitments": "The lead's list, again."},
        expected_revision=block.revision,
    )
    page.get_by_label("Our role in the partnership").fill("The editor's role.")
    page.get_by_label("What we commit and contribute").fill("The editor's list.")
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name="Your changes were not saved")).to_be_visible()
    page.get_by_label("Keep the current text for “What we commit and contribute”").check()
    accessible(page)
    shot(page, f"per-field-choice-{viewport}")
    page.get_by_role("button", name="Keep the texts I chose…").click()
    expect(
        page.get_by_text("The current text stays in “What we commit and contribute”")
    ).to_be_visible()
    page.get_by_role("button", name="Yes, replace the current text with mine").click()
    expect(page.get_by_text("Your text is saved over the other one.")).to_be_visible()
    block.refresh_from_db()
    assert block.role_in_partnership == "The editor's role."
    assert block.commitments == "The lead's list, again."
