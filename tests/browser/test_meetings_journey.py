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
