"""Meetings services: expansion and progress, ticking, notes, attachments, calendar feeds."""

import hashlib
import io
import zipfile
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.actor import Actor
from core.models import Event, OutboxMessage
from core.tokens import token_hash
from meetings import attachments as attachment_rules
from meetings import selectors, services
from meetings.models import Attachment, Attendance, CalendarFeed
from partnership.models import Partner
from tests import factories
from tests.meetings.conftest import PDF, child_of, pdf_upload

pytestmark = pytest.mark.django_db


# --- all-partner items --------------------------------------------------------------------


def test_an_all_partner_item_becomes_one_item_per_active_partner(homework, partner, other_partner):
    factories.PartnerFactory(name="Prospective College", status=Partner.Status.PROSPECTIVE)
    factories.PartnerFactory(name="Inactive Museum", status=Partner.Status.INACTIVE)
    children = list(homework.children.order_by("owner_partner__name"))
    assert [c.owner_partner for c in children] == [other_partner, partner]
    assert all(c.owner_kind == "partner" and c.status == "open" for c in children)
    assert all(c.due_on == date(2026, 10, 15) for c in children)
    assert all(c.description == homework.description for c in children)
    assert all(c.meeting_id == homework.meeting_id for c in children)
    assert Event.objects.filter(action="action_item.create", subject_id=homework.pk).exists()


def test_expansion_is_idempotent_and_picks_up_partners_that_joined_later(homework):
    assert services.action_item_expand(item=homework) == 0
    newcomer = factories.PartnerFactory(name="Woodburn School District")
    assert services.action_item_expand(item=homework) == 1
    assert homework.children.filter(owner_partner=newcomer).count() == 1
    assert homework.children.count() == 3


def test_progress_counts_done_out_of_not_cancelled_and_names_who_is_left(
    homework, partner, other_partner, lead, coordinator
):
    third = factories.PartnerFactory(name="Gilbert House Children's Museum", kind="informal")
    services.action_item_expand(item=homework)
    services.action_item_complete(item=child_of(homework, partner), actor=Actor.of(lead))
    services.action_item_update(
        item=child_of(homework, third),
        actor=Actor.of(coordinator),
        description=homework.description,
        due_on=homework.due_on,
        status="cancelled",
    )
    (item,) = selectors.meeting_action_items(meeting=homework.meeting, user=coordinator)
    assert (item.done_count, item.total_count, item.percent) == (1, 2, 50)
    assert item.waiting == [other_partner.name]
    assert [c.owner_partner.name for c in item.checklist] == [
        "Chemeketa Community College",
        "Gilbert House Children's Museum",
        "Salem-Keizer School District",
    ]


def test_the_parent_is_done_when_every_partner_is_and_reopens_with_them(
    homework, partner, other_partner, lead, other_lead
):
    services.action_item_complete(item=child_of(homework, partner), actor=Actor.of(lead))
    homework.refresh_from_db()
    assert homework.status == "open"
    services.action_item_complete(
        item=child_of(homework, other_partner), actor=Actor.of(other_lead)
    )
    homework.refresh_from_db()
    assert homework.status == "done" and homework.completed_at is not None
    services.action_item_reopen(item=child_of(homework, partner), actor=Actor.of(lead))
    homework.refresh_from_db()
    assert homework.status == "open" and homework.completed_at is None


def test_cancelling_the_parent_cancels_open_children_and_keeps_done_ones(
    homework, partner, other_partner, lead, coordinator
):
    services.action_item_complete(item=child_of(homework, partner), actor=Actor.of(lead))
    services.action_item_update(
        item=homework,
        actor=Actor.of(coordinator),
        description=homework.description,
        due_on=homework.due_on,
        status="cancelled",
    )
    assert child_of(homework, partner).status == "done"
    assert child_of(homework, other_partner).status == "cancelled"
    assert selectors.action_items_due(now=_at(2026, 10, 14)).count() == 0


def test_editing_the_parent_carries_text_and_date_to_every_partner(homework, coordinator):
    services.action_item_update(
        item=homework,
        actor=Actor.of(coordinator),
        description="Send your MOU block",
        due_on=date(2026, 10, 20),
        status="open",
    )
    assert set(homework.children.values_list("description", "due_on")) == {
        ("Send your MOU block", date(2026, 10, 20))
    }


def test_a_parent_is_never_ticked_itself(homework, coordinator):
    with pytest.raises(services.MeetingConflict):
        services.action_item_complete(item=homework, actor=Actor.of(coordinator))


# --- ticking ------------------------------------------------------------------------------


def test_ticking_records_who_and_when_and_an_event(homework, partner, editor):
    item = services.action_item_complete(item=child_of(homework, partner), actor=Actor.of(editor))
    assert item.status == "done" and item.completed_by == editor
    assert item.completed_at is not None
    event = Event.objects.get(action="action_item.complete", subject_id=item.pk)
    assert event.actor == editor


def test_ticking_twice_changes_nothing(homework, partner, lead, editor):
    first = services.action_item_complete(item=child_of(homework, partner), actor=Actor.of(lead))
    again = services.action_item_complete(item=child_of(homework, partner), actor=Actor.of(editor))
    assert again.completed_by == lead and again.completed_at == first.completed_at
    assert Event.objects.filter(action="action_item.complete").count() == 1


def test_a_cancelled_item_cannot_be_ticked(meeting, coordinator, lead):
    item = services.action_item_create(
        actor=Actor.of(coordinator), meeting=meeting, description="Book a room",
        owner_kind="person", owner_user=lead,
    )  # fmt: skip
    services.action_item_update(
        item=item, actor=Actor.of(coordinator), description=item.description, due_on=None,
        status="cancelled",
    )  # fmt: skip
    with pytest.raises(services.MeetingConflict):
        services.action_item_complete(item=item, actor=Actor.of(lead))


def test_the_owner_must_be_consistent(meeting, coordinator, partner):
    with pytest.raises(ValidationError):
        services.action_item_create(
            actor=Actor.of(coordinator), meeting=meeting, description="Who?", owner_kind="person"
        )
    with pytest.raises(ValidationError):
        services.action_item_create(
            actor=Actor.of(coordinator), meeting=meeting, description="Who?", owner_kind="partner"
        )


def test_a_link_to_what_the_item_is_about_is_kept(meeting, coordinator, partner):
    item = services.action_item_create(
        actor=Actor.of(coordinator), meeting=meeting, description="Fill in your row",
        owner_kind="partner", owner_partner=partner, subject=partner,
    )  # fmt: skip
    assert item.subject == partner
    assert item.subject_label == partner.name


# --- meetings and notes --------------------------------------------------------------------


def test_a_meeting_must_end_after_it_starts(coordinator, meeting):
    with pytest.raises(ValidationError) as excinfo:
        services.meeting_update(
            meeting=meeting, actor=Actor.of(coordinator), values={"ends_at": meeting.starts_at}
        )
    assert "must end after it starts" in str(excinfo.value)


def test_a_video_link_must_be_http_or_https(coordinator, meeting):
    with pytest.raises(ValidationError):
        services.meeting_update(
            meeting=meeting,
            actor=Actor.of(coordinator),
            values={"video_url": "javascript:alert(1)"},
        )


def test_publishing_twice_or_with_nothing_written_is_a_conflict(coordinator, meeting):
    services.meeting_notes_publish(meeting=meeting, actor=Actor.of(coordinator))
    with pytest.raises(services.MeetingConflict):
        services.meeting_notes_publish(meeting=meeting, actor=Actor.of(coordinator))
    empty = factories.MeetingFactory(notes="", decisions="")
    with pytest.raises(services.MeetingConflict):
        services.meeting_notes_publish(meeting=empty, actor=Actor.of(coordinator))


def test_draft_notes_are_never_e_mailed(coordinator, meeting, lead):
    services.attendance_add(meeting=meeting, user=lead, actor=Actor.of(coordinator))
    with pytest.raises(services.MeetingConflict):
        services.meeting_notes_send(meeting=meeting, actor=Actor.of(coordinator))
    assert not OutboxMessage.objects.exists()


def test_send_notes_mails_each_attendee_with_their_own_items(
    coordinator, meeting, homework, partner, other_partner, lead, viewer, other_lead,
    django_capture_on_commit_callbacks, mailoutbox,
):  # fmt: skip
    personal = services.action_item_create(
        actor=Actor.of(coordinator), meeting=meeting,
        description="Share the FIRST robotics contacts", owner_kind="person", owner_user=other_lead,
        due_on=date(2026, 9, 30),
    )  # fmt: skip
    services.attendance_invite_partner(
        meeting=meeting, partner=partner, actor=Actor.of(coordinator)
    )
    services.attendance_add(
        meeting=meeting,
        user=other_lead,
        actor=Actor.of(coordinator),
        status=Attendance.Status.ABSENT,
    )
    services.meeting_notes_publish(meeting=meeting, actor=Actor.of(coordinator))
    with django_capture_on_commit_callbacks(execute=True):
        sent = services.meeting_notes_send(meeting=meeting, actor=Actor.of(coordinator))
    assert sent == 3
    by_person = {m.to_email: m for m in OutboxMessage.objects.filter(kind="meeting_notes")}
    assert set(by_person) == {lead.email, viewer.email, other_lead.email}
    assert len(mailoutbox) == 3
    lead_mail = by_person[lead.email]
    assert "Partnership meeting" in lead_mail.subject
    assert "Schools want project-based science like" in lead_mail.body_text
    assert "<strong>FIRST</strong>" in lead_mail.body_html
    assert "MOU block" in lead_mail.body_text and "October 15, 2026" in lead_mail.body_text
    assert "FIRST robotics contacts" not in lead_mail.body_text
    other_mail = by_person[other_lead.email]
    assert "FIRST robotics contacts" in other_mail.body_text
    assert "MOU block" in other_mail.body_text  # Chemeketa's own part of the homework
    assert personal.pk
    # Each link is that person's own sign-in link, built from SITE_URL.
    assert "/accounts/link/" in lead_mail.body_text
    meeting.refresh_from_db()
    assert meeting.notes_sent_at is not None
    assert Event.objects.filter(action="meeting.notes_send").count() == 1


def test_script_in_notes_never_reaches_the_e_mail(coordinator, meeting, lead):
    services.meeting_update(
        meeting=meeting,
        actor=Actor.of(coordinator),
        values={
            "notes": "Hello <script>alert('x')</script> [click](javascript:alert(1)) "
            '<img src=x onerror="alert(2)">',
            "decisions": "<iframe src='https://evil.example'></iframe>Decided",
        },
    )
    services.attendance_add(meeting=meeting, user=lead, actor=Actor.of(coordinator))
    services.meeting_notes_publish(meeting=meeting, actor=Actor.of(coordinator))
    services.meeting_notes_send(meeting=meeting, actor=Actor.of(coordinator))
    mail = OutboxMessage.objects.get(kind="meeting_notes")
    for body in (mail.body_html, mail.body_text):
        assert "<script" not in body and "onerror" not in body and "<iframe" not in body
    assert "javascript:" not in mail.body_html  # the text part shows the Markdown as typed
    assert "Hello" in mail.body_html and "Decided" in mail.body_html


# --- attendance ---------------------------------------------------------------------------


def test_inviting_a_whole_partner_adds_its_people_once(coordinator, meeting, partner, lead, editor):
    assert (
        services.attendance_invite_partner(
            meeting=meeting, partner=partner, actor=Actor.of(coordinator)
        )
        == 2
    )
    assert (
        services.attendance_invite_partner(
            meeting=meeting, partner=partner, actor=Actor.of(coordinator)
        )
        == 0
    )
    rows = Attendance.objects.filter(meeting=meeting)
    assert {(a.user, a.partner, a.status) for a in rows} == {
        (lead, partner, "invited"), (editor, partner, "invited"),
    }  # fmt: skip


def test_a_person_is_listed_once_with_their_own_organization(coordinator, meeting, lead, partner):
    attendance = services.attendance_add(meeting=meeting, user=lead, actor=Actor.of(coordinator))
    assert attendance.partner == partner
    with pytest.raises(services.MeetingConflict):
        services.attendance_add(meeting=meeting, user=lead, actor=Actor.of(coordinator))


# --- attachments --------------------------------------------------------------------------


def _office(kind: str) -> bytes:
    folder = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/p.xml"}[kind]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(folder, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "served_as"),
    [
        ("notes.pdf", PDF, "application/pdf"),
        ("roles.docx", _office("docx"), attachment_rules.CONTENT_TYPES["docx"]),
        ("matrix.xlsx", _office("xlsx"), attachment_rules.CONTENT_TYPES["xlsx"]),
        ("slides.pptx", _office("pptx"), attachment_rules.CONTENT_TYPES["pptx"]),
        ("photo.PNG", b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 20, "image/jpeg"),
        ("list.csv", b"name,role\nSalem-Keizer,district\n", "text/csv; charset=utf-8"),
        ("notes.txt", "Schools want…\n".encode(), "text/plain; charset=utf-8"),
    ],
)
def test_allowed_files_are_stored_under_a_name_of_our_own(
    coordinator, meeting, name, content, served_as
):
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    attachment = services.attachment_add(
        meeting=meeting, upload=upload, actor=Actor.of(coordinator)
    )
    assert attachment.original_name == name
    assert attachment.content_type == served_as
    assert attachment.size == len(content)
    assert name not in attachment.file.name
    assert attachment.file.name.startswith(f"meetings/{meeting.pk}/")
    with attachment.file.open("rb") as handle:
        assert handle.read() == content


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("run.exe", b"MZ\x90\x00", "cannot be attached"),
        ("page.html", b"<html><script>alert(1)</script>", "cannot be attached"),
        ("image.svg", b"<svg onload='alert(1)'/>", "cannot be attached"),
        ("noextension", b"%PDF-1.4", "cannot be attached"),
        ("fake.pdf", b"<html><script>alert(1)</script>", "not a real .pdf"),
        ("fake.png", b"%PDF-1.4 nope", "not a real .png"),
        ("fake.docx", b"PK\x03\x04 not really a zip", "not a real .docx"),
        ("wrong.xlsx", _office("docx"), "not a real .xlsx"),
        ("binary.txt", b"text\x00with a NUL", "not a real .txt"),
        ("empty.pdf", b"", "empty"),
    ],
)
def test_disallowed_files_are_refused_and_nothing_is_saved(
    coordinator, meeting, settings, name, content, message
):
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as excinfo:
        services.attachment_add(meeting=meeting, upload=upload, actor=Actor.of(coordinator))
    assert message in str(excinfo.value)
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "meetings").exists()


def test_an_oversized_file_is_refused(coordinator, meeting, settings):
    big = PDF + b"0" * attachment_rules.MAX_ATTACHMENT_BYTES
    with pytest.raises(ValidationError) as excinfo:
        services.attachment_add(
            meeting=meeting, upload=pdf_upload(content=big), actor=Actor.of(coordinator)
        )
    assert "too large" in str(excinfo.value)
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "meetings").exists()


def test_a_path_in_the_uploaded_name_is_dropped(coordinator, meeting):
    attachment = services.attachment_add(
        meeting=meeting, upload=pdf_upload(name="../../etc/notes.pdf"), actor=Actor.of(coordinator)
    )
    assert attachment.original_name == "notes.pdf"


def test_deleting_an_attachment_removes_the_file_after_commit(
    coordinator, meeting, django_capture_on_commit_callbacks
):
    attachment = services.attachment_add(
        meeting=meeting, upload=pdf_upload(), actor=Actor.of(coordinator)
    )
    storage, name = attachment.file.storage, attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_delete(attachment=attachment, actor=Actor.of(coordinator))
    assert not storage.exists(name)
    assert not Attachment.objects.exists()


# --- calendar feeds -----------------------------------------------------------------------


def test_a_calendar_token_is_stored_only_as_its_hash(lead):
    token = services.calendar_feed_create(user=lead, actor=Actor.of(lead))
    feed = CalendarFeed.objects.get(user=lead)
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in feed.token_hash
    assert selectors.calendar_feed_owner(token_hash=feed.token_hash) == lead


def test_a_new_token_voids_the_old_one_and_revoking_voids_it_too(lead):
    old = services.calendar_feed_create(user=lead, actor=Actor.of(lead))
    new = services.calendar_feed_create(user=lead, actor=Actor.of(lead))
    assert selectors.calendar_feed_owner(token_hash=token_hash(old)) is None
    assert selectors.calendar_feed_owner(token_hash=token_hash(new)) == lead
    assert services.calendar_feed_revoke(user=lead, actor=Actor.of(lead)) is True
    assert selectors.calendar_feed_owner(token_hash=token_hash(new)) is None
    assert Event.objects.filter(action="calendar_feed.revoke").count() == 1


def test_a_feed_stops_when_its_owner_leaves_the_network(lead, partner):
    token = services.calendar_feed_create(user=lead, actor=Actor.of(lead))
    partner.status = Partner.Status.INACTIVE
    partner.save()
    lead.refresh_from_db()
    assert selectors.calendar_feed_owner(token_hash=token_hash(token)) is None


def _at(year, month, day, hour=9):
    from tests.meetings.conftest import TZ, datetime

    return datetime(year, month, day, hour, tzinfo=TZ)


def test_a_person_item_due_date_needs_no_partner(meeting, coordinator, nobody):
    item = services.action_item_create(
        actor=Actor.of(coordinator), meeting=meeting, description="Write the summary",
        owner_kind="person", owner_user=nobody, due_on=date(2026, 9, 20),
    )  # fmt: skip
    due = selectors.action_items_due(now=_at(2026, 9, 19), within=timedelta(days=1))
    assert list(due) == [item]
