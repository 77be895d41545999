"""Journey 7 in Chromium: the coordinator records a meeting with homework for all partners
and publishes the notes; a lead, on a phone, ticks their partner's item; the coordinator's
checklist shows it."""

import re

from playwright.sync_api import expect

from meetings.models import ActionItem, Meeting


def test_meeting_with_homework_for_all_partners(
    page, browser, live_server, signin, axe, coordinator, partner, other_partner, lead, other_lead
):
    # The coordinator records the meeting.
    signin(page, coordinator, "/meetings/new/")
    expect(page.get_by_role("heading", name="Record a meeting")).to_be_visible()
    axe(page)
    page.get_by_label("Title").fill("Partnership meeting")
    page.get_by_label("Kind").select_option("network")
    page.get_by_label("Starts").fill("2026-09-10T15:00")
    page.get_by_label("Ends").fill("2026-09-10T17:00")
    page.get_by_label("Place").fill("Chemeketa Community College, Salem")
    page.get_by_label("Agenda").fill("1. What schools want\n2. Homework for all partners")
    page.get_by_label("Notes", exact=True).fill("Schools want project-based science like FIRST.")
    page.get_by_role("button", name="Record meeting").click()
    expect(page.get_by_text("The meeting is recorded.")).to_be_visible()
    meeting = Meeting.objects.get()

    # Homework for all partners.
    page.get_by_role("link", name="Add action item").click()
    axe(page)
    page.get_by_label("What needs to be done").fill(
        "Send a draft of your block of the MOU with the name of the leader who would sign"
    )
    page.get_by_label("All active partners").check()
    expect(page.get_by_label("Person's e-mail address")).to_be_hidden()
    page.get_by_label("Due date").fill("2026-10-15")
    page.get_by_role("button", name="Add item").click()
    expect(page.get_by_text("The item is added for 2 active partners.")).to_be_visible()
    expect(page.get_by_text("0 of 2", exact=True)).to_be_visible()

    # Publish the notes.
    page.get_by_role("button", name="Publish notes").click()
    expect(page.get_by_text("The notes are published")).to_be_visible()
    axe(page)

    # A lead, on a phone, from the e-mailed link to their items.
    phone = browser.new_context(viewport={"width": 390, "height": 844})
    lead_page = phone.new_page()
    csp_problems = []
    lead_page.on(
        "console",
        lambda msg: (
            csp_problems.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    signin(lead_page, lead, "/meetings/my-items/")
    expect(lead_page.get_by_role("heading", name="My action items")).to_be_visible()
    axe(lead_page)
    lead_page.get_by_role("button", name="Mark done for Salem-Keizer School District").click()
    expect(lead_page.get_by_role("button", name=re.compile("^Undo"))).to_be_visible()
    expect(lead_page.locator(".item-status").get_by_text("Done", exact=True)).to_be_visible()
    mine = ActionItem.objects.get(parent__isnull=False, owner_partner=partner)
    assert mine.status == "done" and mine.completed_by == lead

    # The lead sees the meeting, its published notes, and cannot tick the other partner.
    lead_page.goto(live_server.url + meeting.get_absolute_url())
    expect(lead_page.get_by_text("Schools want project-based science like FIRST.")).to_be_visible()
    expect(
        lead_page.get_by_role("button", name="Mark done for Chemeketa Community College")
    ).to_have_count(0)
    axe(lead_page)
    phone.close()
    assert not csp_problems, csp_problems

    # The coordinator's checklist shows it.
    page.reload()
    expect(page.get_by_text("1 of 2", exact=True)).to_be_visible()
    expect(page.get_by_text("Waiting for: Chemeketa Community College")).to_be_visible()
    page.get_by_text("Checklist of all 2 partners").click()
    row = page.get_by_role("row", name=re.compile("Salem-Keizer School District"))
    expect(row.get_by_text("Done", exact=True)).to_be_visible()
    axe(page)


VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 800}}
SHOTS = __import__("os").environ.get("PORTAL_SHOTS")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _world(coordinator, partner, other_partner, lead, other_lead):
    """A held meeting with Markdown notes, an open MOU version and homework tied to its
    submit task; the lead's partner has submitted its block."""
    from datetime import timedelta

    from django.utils import timezone

    from core.actor import Actor
    from meetings import services as meetings
    from mou import services as mou
    from mou.models import RoleBlock
    from tests.mou.conftest import submitted

    actor = Actor.of(coordinator)
    version = mou.version_create(
        actor=actor,
        title="Mid-Valley STEM Partnership MOU",
        shared_text="## Purpose\n\nWe build a STEM learning community.\n",
        deadline=timezone.now() + timedelta(days=40),
    )
    mou.version_open(version=version, actor=actor)
    start = timezone.now() - timedelta(days=2)
    meeting = meetings.meeting_create(
        actor=actor,
        title="Partnership meeting",
        kind="network",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        place="Chemeketa Community College, Salem",
        agenda="1. What schools want\n2. Homework",
        notes="## Notes\n\nSchools want project-based science like **FIRST**.",
    )
    meetings.meeting_notes_publish(meeting=meeting, actor=actor)
    meetings.attendance_add(meeting=meeting, user=lead, actor=actor, status="attended")
    homework = meetings.action_item_create(
        actor=actor,
        meeting=meeting,
        description="Send your MOU block with the name of the leader who would sign",
        owner_kind="all_partners",
        task_key="mou.block_submit",
    )
    submitted(RoleBlock.objects.get(version=version, partner=partner), lead)
    return meeting, homework


def test_guests_summary_calendar_and_items_done_in_the_portal(
    browser, live_server, signin, axe, coordinator, partner, other_partner, lead, other_lead
):
    meeting, homework = _world(coordinator, partner, other_partner, lead, other_lead)
    for size, viewport in VIEWPORTS.items():
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        signin(page, coordinator, f"/meetings/{meeting.pk}/attendance/")

        # A guest by name, address and organization.
        email = f"ana.{size}@museum.example.org"
        page.get_by_label("Guest's name").fill(f"Ana Ruiz {size}")
        page.get_by_label("Guest's e-mail address").fill(email.upper())
        page.get_by_label("Organization (when it is not a partner)").fill("Gilbert House")
        page.locator("#id_guest_status").select_option("attended")
        page.get_by_role("button", name="Add guest").click()
        expect(page.get_by_text(f"Ana Ruiz {size}, a guest, is on the list.")).to_be_visible()
        expect(page.get_by_text(email)).to_be_visible()
        summary = page.locator(".attendance-summary")
        expect(summary.get_by_text("Not invited")).to_be_visible()
        expect(summary.get_by_text(other_partner.name)).to_be_visible()
        axe(page)
        _shot(page, f"attendance-{size}")

        # The same guest again: refused with a message.
        page.get_by_label("Guest's name").fill("Ana again")
        page.get_by_label("Guest's e-mail address").fill(email)
        page.get_by_label("Organization (when it is not a partner)").fill("Gilbert House")
        page.get_by_role("button", name="Add guest").click()
        expect(page.get_by_text(f"A guest with the address {email} is already")).to_be_visible()
        axe(page)

        # The meeting page: by organization, and the homework done in the portal.
        page.goto(live_server.url + meeting.get_absolute_url())
        card = page.locator(".attendance-summary")
        expect(card.get_by_text(partner.name)).to_be_visible()
        expect(page.get_by_text("1 of 2", exact=True)).to_be_visible()
        expect(page.get_by_text(f"Waiting for: {other_partner.name}")).to_be_visible()
        section = page.get_by_role("heading", name="Notes", exact=True).first
        typed = page.locator(".rendered h3").first
        expect(typed).to_have_text("Notes")
        section_size = section.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        typed_size = typed.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
        assert typed_size < section_size
        axe(page)
        _shot(page, f"meeting-{size}")

        page.goto(live_server.url + homework.get_absolute_url())
        row = page.get_by_role("row", name=re.compile(partner.name))
        expect(row.get_by_text("in the portal", exact=False)).to_be_visible()
        expect(row.get_by_role("button", name=re.compile("^Undo"))).to_have_count(0)
        expect(page.get_by_text("Submit the organization's block of the MOU")).to_be_visible()
        axe(page)
        _shot(page, f"item-{size}")

        # The calendar page: subscribe, download, copy.
        page.goto(live_server.url + "/meetings/calendar/")
        page.on("dialog", lambda dialog: dialog.accept())  # "make a new one?" on the 2nd round
        page.get_by_role("button", name=re.compile("^Make (my calendar|a new) address")).click()
        subscribe = page.get_by_role("link", name="Subscribe in your calendar application")
        expect(subscribe).to_have_attribute("href", re.compile(r"^webcal://.+\.ics$"))
        expect(page.get_by_role("link", name="Download the calendar file")).to_have_attribute(
            "href", re.compile(r"^https?://.+\.ics$")
        )
        copy = page.get_by_role("button", name="Copy the calendar address")
        expect(copy).to_be_visible()
        copy.click()
        expect(page.locator("[data-copy-status]")).to_have_text(re.compile("cop"))
        axe(page)
        _shot(page, f"calendar-{size}")
        context.close()
