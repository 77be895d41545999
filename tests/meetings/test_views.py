"""Meetings pages through the test client: forms, bad input, notes, files, ICS, query counts."""

from datetime import date, timedelta

import icalendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.actor import Actor
from core.models import OutboxMessage
from meetings import services
from meetings.attachments import MAX_ATTACHMENT_BYTES
from meetings.models import ActionItem, Attachment, Attendance, Meeting
from tests import factories
from tests.meetings.conftest import PDF, child_of, pdf_upload

pytestmark = pytest.mark.django_db


def meeting_form(**overrides):
    data = {
        "title": "Partnership meeting",
        "kind": "network",
        "workgroup": "",
        "series": "",
        "starts_at": "2026-09-10T15:00",
        "ends_at": "2026-09-10T17:00",
        "place": "Salem",
        "video_url": "",
        "agenda": "1. Roles",
        "notes": "",
        "decisions": "",
    }
    data.update(overrides)
    return data


# --- recording a meeting ------------------------------------------------------------------


def test_the_coordinator_records_a_meeting_in_the_network_time_zone(client_for, coordinator):
    response = client_for(coordinator).post(reverse("meetings:create"), meeting_form())
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == meeting.get_absolute_url()
    # 3 pm in Salem on September 10 is 10 pm UTC.
    assert meeting.starts_at.isoformat() == "2026-09-10T22:00:00+00:00"
    assert meeting.created_by == coordinator


def test_an_end_before_the_start_is_refused_with_a_clear_message(client_for, coordinator):
    response = client_for(coordinator).post(
        reverse("meetings:create"), meeting_form(ends_at="2026-09-10T14:00")
    )
    assert response.status_code == 400
    assert "The meeting must end after it starts." in response.content.decode()
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("link", ["javascript:alert(1)", "ftp://files.example.org/x", "notaurl"])
def test_a_video_link_must_be_a_web_address(client_for, coordinator, link):
    response = client_for(coordinator).post(
        reverse("meetings:create"), meeting_form(video_url=link)
    )
    assert response.status_code == 400
    assert "http:// or https://" in response.content.decode()
    assert not Meeting.objects.exists()


def test_editing_records_the_change(client_for, coordinator, meeting):
    response = client_for(coordinator).post(
        reverse("meetings:edit", args=[meeting.pk]),
        meeting_form(title="September partnership meeting", notes="New notes"),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.title == "September partnership meeting" and meeting.notes == "New notes"
    from core.models import Event

    event = Event.objects.get(action="meeting.update")
    assert set(event.data["fields"]) >= {"title", "notes"}


def test_script_in_agenda_and_notes_is_sanitized_on_the_page(client_for, coordinator, lead):
    client = client_for(coordinator)
    client.post(
        reverse("meetings:create"),
        meeting_form(
            agenda="<script>alert('agenda')</script>**Roles**",
            notes='<img src=x onerror="alert(1)">[x](javascript:alert(2)) Notes',
            decisions="<iframe src='https://evil.example'></iframe>- Decided",
        ),
    )
    meeting = Meeting.objects.get()
    services.meeting_notes_publish(meeting=meeting, actor=Actor.of(coordinator))
    html = client_for(lead).get(meeting.get_absolute_url()).content.decode()
    assert "<strong>Roles</strong>" in html and "Notes" in html and "Decided" in html
    assert "alert('agenda')" not in html and "onerror" not in html
    assert "javascript:" not in html and "<iframe" not in html


# --- draft notes --------------------------------------------------------------------------


def test_draft_notes_are_hidden_from_partners_until_published(
    client_for, coordinator, meeting, lead
):
    page = client_for(lead).get(meeting.get_absolute_url()).content.decode()
    assert "FIRST" not in page and "drafts its MOU block" not in page
    assert "The notes are not published yet." in page
    search = client_for(lead).get(reverse("meetings:search"), {"q": "FIRST"}).content.decode()
    assert "Partnership meeting" not in search
    coordinator_page = client_for(coordinator).get(meeting.get_absolute_url()).content.decode()
    assert "<strong>FIRST</strong>" in coordinator_page and "Draft" in coordinator_page

    response = client_for(coordinator).post(reverse("meetings:publish", args=[meeting.pk]))
    assert response.status_code == 302
    page = client_for(lead).get(meeting.get_absolute_url()).content.decode()
    assert "<strong>FIRST</strong>" in page and "drafts its MOU block" in page


def test_sending_draft_notes_is_a_conflict(client_for, coordinator, meeting, lead):
    services.attendance_add(meeting=meeting, user=lead, actor=Actor.of(coordinator))
    response = client_for(coordinator).post(reverse("meetings:send_notes", args=[meeting.pk]))
    assert response.status_code == 409
    assert "Publish the notes before sending them." in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_send_notes_from_the_page(
    client_for, coordinator, meeting, homework, partner, lead, django_capture_on_commit_callbacks
):
    services.attendance_invite_partner(
        meeting=meeting, partner=partner, actor=Actor.of(coordinator)
    )
    services.meeting_notes_publish(meeting=meeting, actor=Actor.of(coordinator))
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(coordinator).post(
            reverse("meetings:send_notes", args=[meeting.pk]), follow=True
        )
    assert "on their way to 1 people" in response.content.decode()
    (mail,) = OutboxMessage.objects.filter(kind="meeting_notes")
    assert mail.to_email == lead.email and "MOU block" in mail.body_html


# --- action items -------------------------------------------------------------------------


def test_the_coordinator_adds_an_item_for_all_partners(
    client_for, coordinator, meeting, partner, other_partner
):
    response = client_for(coordinator).post(
        reverse("meetings:item_create", args=[meeting.pk]),
        {"description": "Send your MOU block", "owner_kind": "all_partners",
         "due_on": "2026-10-15", "subject_label": "", "subject_url": ""},
        follow=True,
    )  # fmt: skip
    assert "The item is added for 2 active partners." in response.content.decode()
    parent = ActionItem.objects.get(parent__isnull=True)
    assert parent.children.count() == 2 and parent.meeting == meeting


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"owner_kind": "person", "owner_email": ""}, "Give the e-mail address of the person."),
        ({"owner_kind": "person", "owner_email": "ghost@example.org"}, "No one with this e-mail"),
        ({"owner_kind": "partner"}, "Choose the partner that does it."),
        ({"owner_kind": "all_partners", "subject_url": "javascript:alert(1)"}, "valid URL"),
        ({"owner_kind": "all_partners", "description": ""}, "This field is required."),
    ],
)
def test_bad_item_input_is_refused(client_for, coordinator, meeting, partner, data, message):
    payload = {"description": "Do it", "due_on": "", "subject_label": "", "subject_url": ""}
    payload.update(data)
    response = client_for(coordinator).post(
        reverse("meetings:item_create", args=[meeting.pk]), payload
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ActionItem.objects.exists()


def test_a_lead_ticks_their_partners_item_and_the_checklist_shows_it(
    client_for, coordinator, homework, partner, lead
):
    mine = child_of(homework, partner)
    response = client_for(lead).post(
        reverse("meetings:item_complete", args=[mine.pk]),
        {"next": reverse("meetings:my_items")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("meetings:my_items")
    mine.refresh_from_db()
    assert mine.status == "done" and mine.completed_by == lead
    page = client_for(coordinator).get(homework.meeting.get_absolute_url()).content.decode()
    assert "<strong>1 of 2</strong> partners done" in page
    assert "Waiting for: Chemeketa Community College" in page


def test_ticking_with_htmx_returns_the_status_fragment(client_for, homework, partner, lead):
    mine = child_of(homework, partner)
    response = client_for(lead).post(
        reverse("meetings:item_complete", args=[mine.pk]), {"next": "/meetings/"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<div class="item-status')
    assert "Done" in body and reverse("meetings:item_reopen", args=[mine.pk]) in body
    undo = client_for(lead).post(
        reverse("meetings:item_reopen", args=[mine.pk]), HTTP_HX_REQUEST="true"
    )
    assert "Mark done" in undo.content.decode()
    mine.refresh_from_db()
    assert mine.status == "open"


def test_another_partners_item_cannot_be_ticked(client_for, homework, other_partner, lead):
    theirs = child_of(homework, other_partner)
    response = client_for(lead).post(reverse("meetings:item_complete", args=[theirs.pk]))
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.status == "open"


def test_an_unsafe_next_is_ignored(client_for, homework, partner, lead):
    mine = child_of(homework, partner)
    response = client_for(lead).post(
        reverse("meetings:item_complete", args=[mine.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_my_items_lists_the_persons_and_their_partners_items(
    client_for, coordinator, meeting, homework, partner, other_partner, viewer, other_lead
):
    services.action_item_create(
        actor=Actor.of(coordinator), meeting=meeting, description="Bring the FIRST kit",
        owner_kind="person", owner_user=viewer,
    )  # fmt: skip
    page = client_for(viewer).get(reverse("meetings:my_items")).content.decode()
    assert "Bring the FIRST kit" in page and "MOU block" in page
    assert "Salem-Keizer School District" in page
    assert "Mark done" in page  # the viewer's own item
    other = client_for(other_lead).get(reverse("meetings:my_items")).content.decode()
    assert "Bring the FIRST kit" not in other and "Chemeketa Community College" in other


def test_coordinators_see_the_whole_network_with_progress(client_for, coordinator, homework):
    page = client_for(coordinator).get(reverse("meetings:my_items"), {"scope": "network"})
    assert "0 of 2 partners done" in page.content.decode()


def test_the_checklist_page_of_an_all_partner_item(client_for, homework, lead):
    page = client_for(lead).get(homework.get_absolute_url()).content.decode()
    assert "Each partner&#x27;s progress" in page or "Each partner's progress" in page
    assert "Chemeketa Community College" in page and "Salem-Keizer School District" in page


def test_previous_open_items_are_at_the_top_of_the_next_meeting(
    client_for, coordinator, meeting, homework, lead
):
    start = meeting.starts_at + timedelta(days=28)
    nxt = services.meeting_create(
        actor=Actor.of(coordinator), title="October partnership meeting", kind="network",
        starts_at=start, ends_at=start + timedelta(hours=2), agenda="Review the blocks",
    )  # fmt: skip
    page = client_for(lead).get(nxt.get_absolute_url()).content.decode()
    carried = page.index("Open items from the previous meeting")
    assert carried < page.index("Agenda")
    assert "MOU block" in page[carried : page.index("Agenda")]


# --- attendance ---------------------------------------------------------------------------


def test_attendance_invite_a_partner_then_mark_who_came(
    client_for, coordinator, meeting, partner, lead, editor
):
    client = client_for(coordinator)
    url = reverse("meetings:attendance_invite_partner", args=[meeting.pk])
    assert client.post(url, {"partner": partner.pk}).status_code == 302
    rows = {a.user_id: a for a in Attendance.objects.filter(meeting=meeting)}
    data = {
        "form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000",
        "form-0-id": rows[lead.pk].pk, "form-0-status": "attended",
        "form-1-id": rows[editor.pk].pk, "form-1-status": "absent",
    }  # fmt: skip
    # The formset is ordered by partner then name; map ids to their row to be safe.
    assert client.post(reverse("meetings:attendance", args=[meeting.pk]), data).status_code == 302
    statuses = dict(Attendance.objects.values_list("user_id", "status"))
    assert statuses == {lead.pk: "attended", editor.pk: "absent"}


def test_adding_an_unknown_person_is_refused(client_for, coordinator, meeting):
    response = client_for(coordinator).post(
        reverse("meetings:attendance_add", args=[meeting.pk]),
        {"email": "ghost@example.org", "partner": "", "status": "invited"},
    )
    assert response.status_code == 400
    assert "No one with this e-mail address" in response.content.decode()


def test_a_bad_attendance_status_is_refused(client_for, coordinator, meeting, lead):
    row = services.attendance_add(meeting=meeting, user=lead, actor=Actor.of(coordinator))
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000",
        "form-0-id": row.pk, "form-0-status": "vip",
    }  # fmt: skip
    response = client_for(coordinator).post(reverse("meetings:attendance", args=[meeting.pk]), data)
    assert response.status_code == 400
    row.refresh_from_db()
    assert row.status == "invited"


# --- attachments --------------------------------------------------------------------------


def test_an_attachment_is_uploaded_and_served_only_to_members(
    client_for, coordinator, meeting, lead, nobody, client
):
    response = client_for(coordinator).post(
        reverse("meetings:attachment_upload", args=[meeting.pk]), {"file": pdf_upload()}
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    url = reverse("meetings:attachment_download", args=[attachment.pk])
    download = client_for(lead).get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    assert 'attachment; filename="notes.pdf"' in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert client_for(nobody).get(url).status_code == 403
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_the_file_store_is_not_a_web_address(client_for, coordinator, meeting, lead):
    attachment = services.attachment_add(
        meeting=meeting, upload=pdf_upload(), actor=Actor.of(coordinator)
    )
    response = client_for(lead).get("/media/" + attachment.file.name)
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("evil.html", b"<script>alert(1)</script>", "Files of this type cannot be attached."),
        ("fake.pdf", b"MZ\x90\x00 an executable", "not a real .pdf file"),
        (
            "big.pdf",
            PDF + b"0" * MAX_ATTACHMENT_BYTES,
            "The file is too large: the limit is 10 MB.",
        ),
    ],
)
def test_bad_attachments_are_refused_with_400_and_nothing_saved(
    client_for, coordinator, meeting, settings, name, content, message
):
    response = client_for(coordinator).post(
        reverse("meetings:attachment_upload", args=[meeting.pk]),
        {"file": SimpleUploadedFile(name, content)},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "meetings").exists()


def test_removing_an_attachment(client_for, coordinator, meeting):
    attachment = services.attachment_add(
        meeting=meeting, upload=pdf_upload(), actor=Actor.of(coordinator)
    )
    response = client_for(coordinator).post(
        reverse("meetings:attachment_delete", args=[attachment.pk])
    )
    assert response.status_code == 302
    assert not Attachment.objects.exists()


# --- calendar -----------------------------------------------------------------------------


def _parse(body: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    assert calendar["VERSION"] == "2.0" and calendar["PRODID"]
    return list(calendar.walk("VEVENT"))


def test_a_meeting_downloads_as_a_valid_ics(client_for, meeting, lead):
    response = client_for(lead).get(reverse("meetings:ics", args=[meeting.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    (event,) = _parse(response.content)
    assert str(event["UID"]) == f"meeting-{meeting.pk}@127.0.0.1"
    assert event["SUMMARY"] == "Partnership meeting"
    assert event.decoded("DTSTART") == meeting.starts_at
    assert event.decoded("DTEND") == meeting.ends_at
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert event["LOCATION"] == "Salem, Room 101"


def test_the_feed_address_is_shown_once_and_serves_a_valid_calendar(
    client_for, client, homework, partner, lead
):
    page = client_for(lead).post(reverse("meetings:calendar"), {"action": "create"})
    html = page.content.decode()
    assert "shown only once" in html
    start = html.index("http://127.0.0.1:8000/meetings/calendar/")
    feed_url = html[start : html.index('"', start)]
    token = feed_url.rsplit("/", 1)[1].removesuffix(".ics")
    assert token not in client_for(lead).get(reverse("meetings:calendar")).content.decode()

    response = client.get(feed_url.removeprefix("http://127.0.0.1:8000"))  # no session needed
    assert response.status_code == 200
    events = {str(e["UID"]): e for e in _parse(response.content)}
    for event in events.values():
        assert event["UID"] and event["DTSTAMP"] and event["DTSTART"] and event["SUMMARY"]
    item = events[f"action-item-{child_of(homework, partner).pk}@127.0.0.1"]
    assert item.decoded("DTSTART") == date(2026, 10, 15)
    assert str(item["SUMMARY"]).startswith("Due: Send a draft")
    assert f"meeting-{homework.meeting_id}@127.0.0.1" in events


def test_a_revoked_or_unknown_token_is_404(client_for, client, lead):
    token = services.calendar_feed_create(user=lead, actor=Actor.of(lead))
    url = reverse("meetings:calendar_feed", kwargs={"token": token})
    assert client.get(url).status_code == 200
    client_for(lead).post(reverse("meetings:calendar"), {"action": "revoke"})
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("meetings:calendar_feed", kwargs={"token": "guess"})).status_code == 404
    )


def test_regenerating_voids_the_old_address(client_for, client, lead):
    old = services.calendar_feed_create(user=lead, actor=Actor.of(lead))
    client_for(lead).post(reverse("meetings:calendar"), {"action": "create"})
    assert client.get(reverse("meetings:calendar_feed", kwargs={"token": old})).status_code == 404


# --- list pages: pinned query counts -------------------------------------------------------


def _meetings(n, coordinator, workgroup):
    for i in range(n):
        meeting = factories.MeetingFactory(workgroup=workgroup if i % 2 else None)
        factories.ActionItemFactory(meeting=meeting, owner_user=coordinator)


@pytest.mark.parametrize("when", ["upcoming", "past"])
def test_meeting_list_query_count_is_pinned(
    client_for, coordinator, lead, django_assert_num_queries, when
):
    group = factories.WorkgroupFactory(name="Assessment")
    client = client_for(lead)
    counts = []
    for n in (2, 12):
        _meetings(n, coordinator, group)
        Meeting.objects.update(
            starts_at=Meeting.objects.first().starts_at
            - timedelta(days=60 if when == "past" else 0)
        )
        Meeting.objects.update(ends_at=Meeting.objects.first().starts_at + timedelta(hours=2))
        with django_assert_num_queries(9) as ctx:
            response = client.get(reverse("meetings:list"), {"when": when})
        assert response.status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    assert response.content.decode().count("Partnership meeting") == 14  # 2 + 12


def test_meeting_list_filters_by_kind_and_workgroup(client_for, coordinator, lead):
    group = factories.WorkgroupFactory(name="Policy")
    factories.MeetingFactory(title="Policy workgroup", kind="workgroup", workgroup=group)
    factories.MeetingFactory(title="Alliances breakout", kind="breakout")
    client = client_for(lead)
    page = client.get(reverse("meetings:list"), {"kind": "breakout"}).content.decode()
    assert "Alliances breakout" in page and "Policy workgroup" not in page
    page = client.get(reverse("meetings:list"), {"workgroup": group.pk}).content.decode()
    assert "Policy workgroup" in page and "Alliances breakout" not in page


def test_meeting_detail_query_count_does_not_grow(
    client_for, coordinator, meeting, lead, django_assert_num_queries
):
    client = client_for(lead)
    counts = []
    for extra in (1, 6):
        for _ in range(extra):
            partner = factories.PartnerFactory()
            member = factories.MembershipFactory(partner=partner).user
            services.attendance_add(meeting=meeting, user=member, actor=Actor.of(coordinator))
        services.action_item_create(
            actor=Actor.of(coordinator), meeting=meeting, description="Homework",
            owner_kind="all_partners", due_on=date(2026, 10, 15),
        )  # fmt: skip
        services.attachment_add(meeting=meeting, upload=pdf_upload(), actor=Actor.of(coordinator))
        # One query checks the items tied to a portal task (none here), one finds the
        # partners not invited.
        with django_assert_num_queries(13) as ctx:
            assert client.get(meeting.get_absolute_url()).status_code == 200
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_my_items_query_count_is_pinned(
    client_for, coordinator, meeting, partner, lead, django_assert_num_queries
):
    client = client_for(lead)
    for n in (2, 9):
        for _ in range(n):
            services.action_item_create(
                actor=Actor.of(coordinator), meeting=meeting, description="Homework",
                owner_kind="partner", owner_partner=partner, due_on=date(2026, 10, 15),
            )  # fmt: skip
        with django_assert_num_queries(8):  # one checks the items tied to a portal task
            assert client.get(reverse("meetings:my_items")).status_code == 200


def test_network_items_query_count_is_pinned(
    client_for, coordinator, meeting, django_assert_num_queries
):
    client = client_for(coordinator)
    for n in (1, 5):
        for _ in range(n):
            factories.MembershipFactory(partner=factories.PartnerFactory())
            services.action_item_create(
                actor=Actor.of(coordinator), meeting=meeting, description="Homework",
                owner_kind="all_partners", due_on=date(2026, 10, 15),
            )  # fmt: skip
        with django_assert_num_queries(6):
            response = client.get(reverse("meetings:my_items"), {"scope": "network"})
        assert response.status_code == 200


def test_search_query_count_is_pinned(client_for, coordinator, lead, django_assert_num_queries):
    client = client_for(lead)
    for n in (2, 8):
        for _ in range(n):
            factories.ActionItemFactory(
                description="Send the block", meeting=factories.MeetingFactory(title="Block")
            )
        with django_assert_num_queries(7):
            response = client.get(reverse("meetings:search"), {"q": "block"})
        assert response.status_code == 200


def test_calendar_feed_query_count_is_pinned(
    client, coordinator, homework, lead, django_assert_num_queries
):
    token = services.calendar_feed_create(user=lead, actor=Actor.of(lead))
    url = reverse("meetings:calendar_feed", kwargs={"token": token})
    for _ in range(2):
        factories.MeetingFactory()
        # 7 for the meetings, their attendees and the items, 2 for the MOU's block and
        # signing deadlines.
        with django_assert_num_queries(9):
            assert client.get(url).status_code == 200


def test_headings_typed_in_the_notes_sit_below_the_section_heading(
    client_for, coordinator, meeting
):
    services.meeting_update(
        meeting=meeting,
        actor=Actor.of(coordinator),
        values={
            "notes": "## Notes\n\nWe met.\n\n### Next\n\n###### Six",
            "agenda": "## Plan",
            "decisions": "### Agreed\n\n#### Detail",
        },
    )
    page = client_for(coordinator).get(meeting.get_absolute_url()).content.decode()
    assert "<h2>Notes</h2>" not in page and "<h2>Plan</h2>" not in page
    assert '<h3 class="fs-6 fw-semibold">Notes</h3>' in page
    assert '<h4 class="fs-6 fw-semibold">Next</h4>' in page
    assert '<h6 class="fs-6 fw-semibold">Six</h6>' in page
    assert '<h3 class="fs-6 fw-semibold">Plan</h3>' in page
    # A text whose first heading is "###" skips no level either: it starts right below.
    assert '<h3 class="fs-6 fw-semibold">Agreed</h3>' in page
    assert '<h4 class="fs-6 fw-semibold">Detail</h4>' in page
