"""A double-clicked create button in Chromium: one meeting, and the button is grayed out."""

from playwright.sync_api import expect

from meetings.models import Meeting


def test_a_double_clicked_record_meeting_makes_one_meeting(page, live_server, signin, coordinator):
    signin(page, coordinator, "/meetings/new/")
    page.get_by_label("Title").fill("Partnership meeting")
    page.get_by_label("Kind").select_option("network")
    page.get_by_label("Starts").fill("2026-09-10T15:00")
    page.get_by_label("Ends").fill("2026-09-10T17:00")
    page.get_by_role("button", name="Record meeting").dblclick()
    expect(page.get_by_text("The meeting is recorded.")).to_be_visible()
    assert Meeting.objects.count() == 1
    meeting = Meeting.objects.get()
    assert page.url.endswith(meeting.get_absolute_url())


def test_the_button_is_disabled_once_the_form_is_sent(page, live_server, signin, coordinator):
    signin(page, coordinator, "/meetings/new/")
    # Keep the page where it is once the portal's own submit handler has run, so the page
    # can be looked at as it is while its form is being sent (no navigation to wait for).
    page.evaluate("window.addEventListener('submit', (event) => event.preventDefault())")
    page.get_by_label("Title").fill("Partnership meeting")
    page.get_by_label("Starts").fill("2026-09-10T15:00")
    page.get_by_label("Ends").fill("2026-09-10T17:00")
    button = page.get_by_role("button", name="Record meeting")
    button.click(no_wait_after=True)
    expect(button).to_be_disabled()
