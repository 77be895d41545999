"""Meetings: recording them, their notes published and e-mailed to the attendance list."""

import html
from datetime import datetime

import nh3
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from core.services.db import instance_lock_apply
from core.services.events import event_record
from core.services.outbox import outbox_send_templated
from core.services.signin import signin_link_make
from core.text import clean_text, markdown_cook, markdown_cooked
from meetings.exceptions import MeetingConflict
from meetings.models import Meeting
from meetings.selectors import meeting_notes_items_by_recipient
from partnership.models import Workgroup

MEETING_FIELDS = (
    "title", "kind", "workgroup", "series", "starts_at", "ends_at", "place", "video_url",
    "agenda", "notes", "decisions",
)  # fmt: skip
_TEXT_FIELDS = {"title", "series", "place", "video_url", "agenda", "notes", "decisions"}


def _meeting_values(values: dict) -> dict:
    cleaned = {}
    for name, value in values.items():
        if name not in MEETING_FIELDS:
            raise TypeError(f"Unknown meeting field {name!r}")
        cleaned[name] = clean_text(value or "").strip() if name in _TEXT_FIELDS else value
    return cleaned


def _meeting_assign(meeting: Meeting, values: dict) -> list[str]:
    changed = []
    for name, value in _meeting_values(values).items():
        if getattr(meeting, name) != value:
            setattr(meeting, name, value)
            changed.append(name)
    return changed


def meeting_create(
    *,
    actor: Actor,
    title: str,
    kind: str,
    starts_at: datetime,
    ends_at: datetime,
    workgroup: Workgroup | None = None,
    series: str = "",
    place: str = "",
    video_url: str = "",
    agenda: str = "",
    notes: str = "",
    decisions: str = "",
) -> Meeting:
    meeting = Meeting(created_by=actor.user)
    _meeting_assign(
        meeting,
        {
            "title": title, "kind": kind, "workgroup": workgroup, "series": series,
            "starts_at": starts_at, "ends_at": ends_at, "place": place,
            "video_url": video_url, "agenda": agenda, "notes": notes, "decisions": decisions,
        },
    )  # fmt: skip
    markdown_cook(obj=meeting)
    meeting.full_clean()
    meeting.save()
    event_record(
        action="meeting.create",
        actor=actor,
        subject=meeting,
        summary=f"Meeting recorded: {meeting.title}",
    )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, actor: Actor, values: dict) -> Meeting:
    # The edit form has already set its values on ``meeting``; write only the fields that
    # differ from the stored row, so notes published or sent meanwhile stay published.
    changed = instance_lock_apply(meeting, _meeting_values(values), against_stored=True)
    if not changed:
        return meeting
    cooked = markdown_cook(obj=meeting, fields=changed)
    meeting.full_clean()
    meeting.save(update_fields=[*changed, *cooked, "updated_at"])
    event_record(
        action="meeting.update",
        actor=actor,
        subject=meeting,
        summary=f"Meeting changed: {meeting.title}",
        data={"fields": changed},
    )
    return meeting


def meeting_notes_publish(*, meeting: Meeting, actor: Actor) -> Meeting:
    if meeting.notes_published_at is not None:
        raise MeetingConflict("The notes are already published.")
    if not (meeting.notes.strip() or meeting.decisions.strip()):
        raise MeetingConflict("Write the notes or the decisions before publishing them.")
    meeting.notes_published_at = timezone.now()
    meeting.notes_published_by = actor.user
    meeting.full_clean()
    meeting.save(update_fields=["notes_published_at", "notes_published_by", "updated_at"])
    event_record(
        action="meeting.notes_publish",
        actor=actor,
        subject=meeting,
        summary=f"Notes published: {meeting.title}",
    )
    return meeting


def _markdown_plain(text: str) -> str:
    """Markdown kept readable for the text part of an e-mail, with any HTML removed."""
    return html.unescape(nh3.clean(text or "", tags=set())).strip()


@transaction.atomic
def meeting_notes_send(*, meeting: Meeting, actor: Actor) -> int:
    """E-mail the published notes to everyone on the attendance list (absent people need
    them most), each with their own action items from this meeting. One message each."""
    if meeting.notes_published_at is None:
        raise MeetingConflict("Publish the notes before sending them.")
    attendances = list(
        meeting.attendances.filter(user__is_active=True).select_related("user", "partner")
    )
    if not attendances:
        raise MeetingConflict("No one is on the attendance list yet.")
    recipients = [a.user for a in attendances]
    items_by_user = meeting_notes_items_by_recipient(meeting=meeting, users=recipients)
    path = meeting.get_absolute_url()
    shared = {
        "meeting": meeting,
        "notes_html": markdown_cooked(obj=meeting, field="notes") if meeting.notes else "",
        "decisions_html": (
            markdown_cooked(obj=meeting, field="decisions") if meeting.decisions else ""
        ),
        "notes_text": _markdown_plain(meeting.notes),
        "decisions_text": _markdown_plain(meeting.decisions),
    }
    for attendance in attendances:
        person = attendance.user
        outbox_send_templated(
            to=person,
            template="meeting_notes",
            kind="meeting_notes",
            context={
                **shared,
                "attendance": attendance,
                "items": items_by_user[person.pk],
                "link": signin_link_make(user=person, next_path=path),
                "my_items_link": signin_link_make(
                    user=person, next_path=reverse("meetings:my_items")
                ),
            },
        )
    meeting.notes_sent_at = timezone.now()
    meeting.save(update_fields=["notes_sent_at", "updated_at"])
    event_record(
        action="meeting.notes_send",
        actor=actor,
        subject=meeting,
        summary=f"Notes e-mailed to {len(attendances)} people: {meeting.title}",
        data={"recipients": len(attendances)},
    )
    return len(attendances)
