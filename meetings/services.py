"""Every write about meetings, attendance, attachments, action items and calendar feeds."""

import hashlib
import html
import secrets
from datetime import date, datetime

import nh3
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from core.models import User
from core.services.db import instance_lock_apply, unique_race_settle
from core.services.events import event_record
from core.services.outbox import outbox_send_templated
from core.services.signin import signin_link_make
from core.text import clean_text, markdown_cook, markdown_cooked
from meetings.attachments import attachment_check
from meetings.models import ActionItem, Attachment, Attendance, CalendarFeed, Meeting
from meetings.selectors import meeting_notes_items_by_recipient
from partnership.models import Membership, Partner, Workgroup


class MeetingConflict(Exception):
    """The action does not fit the current state (views answer 409 with the message)."""


# --- meetings -----------------------------------------------------------------------------

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
    actor: User,
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
    request: HttpRequest | None = None,
) -> Meeting:
    meeting = Meeting(created_by=actor)
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
        request=request,
    )
    return meeting


@transaction.atomic
def meeting_update(
    *, meeting: Meeting, actor: User, values: dict, request: HttpRequest | None = None
) -> Meeting:
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
        request=request,
    )
    return meeting


def meeting_notes_publish(
    *, meeting: Meeting, actor: User, request: HttpRequest | None = None
) -> Meeting:
    if meeting.notes_published_at is not None:
        raise MeetingConflict("The notes are already published.")
    if not (meeting.notes.strip() or meeting.decisions.strip()):
        raise MeetingConflict("Write the notes or the decisions before publishing them.")
    meeting.notes_published_at = timezone.now()
    meeting.notes_published_by = actor
    meeting.full_clean()
    meeting.save(update_fields=["notes_published_at", "notes_published_by", "updated_at"])
    event_record(
        action="meeting.notes_publish",
        actor=actor,
        subject=meeting,
        summary=f"Notes published: {meeting.title}",
        request=request,
    )
    return meeting


def _markdown_plain(text: str) -> str:
    """Markdown kept readable for the text part of an e-mail, with any HTML removed."""
    return html.unescape(nh3.clean(text or "", tags=set())).strip()


@transaction.atomic
def meeting_notes_send(*, meeting: Meeting, actor: User, request: HttpRequest | None = None) -> int:
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
        request=request,
    )
    return len(attendances)


# --- attendance ---------------------------------------------------------------------------

ATTENDANCE_UNIQUE = ("attendance_unique",)


def _default_partner_for(user: User) -> Partner | None:
    memberships = list(
        Membership.objects.filter(user=user, partner__status=Partner.Status.ACTIVE)
        .select_related("partner")
        .order_by("partner__name")[:2]
    )
    return memberships[0].partner if len(memberships) == 1 else None


def attendance_add(
    *,
    meeting: Meeting,
    user: User,
    actor: User,
    partner: Partner | None = None,
    status: str = Attendance.Status.INVITED,
    request: HttpRequest | None = None,
) -> Attendance:
    def already_listed() -> None:
        if meeting.attendances.filter(user=user).exists():
            raise MeetingConflict(f"{user} is already on the list.")

    already_listed()
    attendance = Attendance(
        meeting=meeting,
        user=user,
        partner=partner if partner is not None else _default_partner_for(user),
        status=status,
    )
    attendance.full_clean()
    # Added from two pages at once: the one that loses the insert gets the same answer.
    unique_race_settle(
        attendance.save, model=Attendance, constraints=ATTENDANCE_UNIQUE, check=already_listed
    )
    event_record(
        action="meeting.attendance_add",
        actor=actor,
        subject=meeting,
        summary=f"{user} added to {meeting.title}",
        data={"user": user.pk, "partner": attendance.partner_id, "status": status},
        request=request,
    )
    return attendance


@transaction.atomic
def attendance_invite_partner(
    *, meeting: Meeting, partner: Partner, actor: User, request: HttpRequest | None = None
) -> int:
    """Invite every active person of a partner who is not on the list yet."""

    def insert() -> list[Attendance]:
        already = set(meeting.attendances.values_list("user_id", flat=True))
        people = (
            User.objects.filter(memberships__partner=partner, is_active=True)
            .exclude(pk__in=already)
            .distinct()
        )
        rows = [
            Attendance(
                meeting=meeting, user=person, partner=partner, status=Attendance.Status.INVITED
            )
            for person in people
        ]
        # Rows are built from a partner's own people and checked for duplicates just above.
        return Attendance.objects.bulk_create(rows)

    # Someone added at the same moment from another page: run again without them.
    rows = unique_race_settle(insert, model=Attendance, constraints=ATTENDANCE_UNIQUE, retries=1)
    event_record(
        action="meeting.attendance_invite_partner",
        actor=actor,
        subject=meeting,
        summary=f"{len(rows)} people of {partner} invited to {meeting.title}",
        data={"partner": partner.pk, "added": len(rows)},
        request=request,
    )
    return len(rows)


def attendance_set_statuses(
    *,
    meeting: Meeting,
    statuses: dict[int, str],
    actor: User,
    request: HttpRequest | None = None,
) -> int:
    valid = set(Attendance.Status.values)
    if not set(statuses.values()) <= valid:
        raise ValueError("Unknown attendance status")
    changed = []
    for attendance in meeting.attendances.filter(pk__in=list(statuses)):
        new = statuses[attendance.pk]
        if attendance.status != new:
            attendance.status = new
            changed.append(attendance)
    Attendance.objects.bulk_update(changed, ["status"])
    if changed:
        event_record(
            action="meeting.attendance_update",
            actor=actor,
            subject=meeting,
            summary=f"Attendance updated for {len(changed)} people: {meeting.title}",
            data={"changed": {str(a.user_id): a.status for a in changed}},
            request=request,
        )
    return len(changed)


def attendance_remove(
    *, attendance: Attendance, actor: User, request: HttpRequest | None = None
) -> None:
    meeting = attendance.meeting
    user_id = attendance.user_id
    attendance.delete()
    event_record(
        action="meeting.attendance_remove",
        actor=actor,
        subject=meeting,
        summary=f"A person was removed from the list of {meeting.title}",
        data={"user": user_id},
        request=request,
    )


# --- attachments --------------------------------------------------------------------------


def attachment_add(
    *,
    meeting: Meeting,
    upload: UploadedFile,
    actor: User,
    request: HttpRequest | None = None,
) -> Attachment:
    name, content_type = attachment_check(upload)
    attachment = Attachment(
        meeting=meeting,
        original_name=clean_text(name),
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor,
    )
    attachment.file.save(name, upload, save=False)
    # Files are not transactional: if the row cannot be recorded, remove the stored file.
    try:
        attachment.full_clean()
        attachment.save()
        event_record(
            action="meeting.attachment_add",
            actor=actor,
            subject=meeting,
            summary=f"{attachment.original_name} attached to {meeting.title}",
            data={"attachment": attachment.pk, "size": attachment.size},
            request=request,
        )
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_delete(
    *, attachment: Attachment, actor: User, request: HttpRequest | None = None
) -> None:
    meeting, name, stored = attachment.meeting, attachment.original_name, attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    # Remove the stored file only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(stored))
    event_record(
        action="meeting.attachment_delete",
        actor=actor,
        subject=meeting,
        summary=f"{name} removed from {meeting.title}",
        request=request,
    )


# --- action items -------------------------------------------------------------------------


def _subject_fields(subject, label: str, url: str) -> dict:
    fields = {"subject_label": clean_text(label or "").strip(), "subject_url": (url or "").strip()}
    if subject is not None:
        fields["subject_type"] = ContentType.objects.get_for_model(subject)
        fields["subject_id"] = subject.pk
        if not fields["subject_label"]:
            fields["subject_label"] = str(subject)[:200]
        if not fields["subject_url"] and hasattr(subject, "get_absolute_url"):
            fields["subject_url"] = subject.get_absolute_url()
    return fields


@transaction.atomic
def action_item_create(
    *,
    actor: User | None,
    description: str,
    owner_kind: str,
    owner_user: User | None = None,
    owner_partner: Partner | None = None,
    due_on: date | None = None,
    meeting: Meeting | None = None,
    subject=None,
    subject_label: str = "",
    subject_url: str = "",
    request: HttpRequest | None = None,
) -> ActionItem:
    """Create an item; an item for all active partners gets one child item per partner."""
    item = ActionItem(
        meeting=meeting,
        description=clean_text(description).strip(),
        owner_kind=owner_kind,
        owner_user=owner_user if owner_kind == ActionItem.OwnerKind.PERSON else None,
        owner_partner=owner_partner if owner_kind == ActionItem.OwnerKind.PARTNER else None,
        due_on=due_on,
        created_by=actor,
        **_subject_fields(subject, subject_label, subject_url),
    )
    item.full_clean()
    item.save()
    added = action_item_expand(item=item) if item.is_all_partners else 0
    event_record(
        action="action_item.create",
        actor=actor,
        subject=item,
        summary=f"Action item for {item.owner_display}: {item.description[:120]}",
        data={"owner_kind": owner_kind, "children": added, "meeting": item.meeting_id},
        request=request,
    )
    return item


@transaction.atomic
def action_item_expand(*, item: ActionItem) -> int:
    """Give every active partner that has none yet its own child item. Idempotent."""
    if not item.is_all_partners:
        raise ValueError("Only an item for all active partners expands.")
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    have = set(item.children.values_list("owner_partner_id", flat=True))
    status = (
        ActionItem.Status.CANCELLED
        if item.status == ActionItem.Status.CANCELLED
        else ActionItem.Status.OPEN
    )
    children = [
        ActionItem(
            meeting_id=item.meeting_id,
            parent=item,
            description=item.description,
            owner_kind=ActionItem.OwnerKind.PARTNER,
            owner_partner_id=partner_id,
            due_on=item.due_on,
            status=status,
            created_by_id=item.created_by_id,
        )
        for partner_id in Partner.objects.filter(status=Partner.Status.ACTIVE)
        .exclude(pk__in=have)
        .order_by("name")
        .values_list("pk", flat=True)
    ]
    # The children copy a parent that passed full_clean; checking each of thousands of rows
    # one by one would cost a query per row, and the unique constraint still guards them.
    ActionItem.objects.bulk_create(children)
    if children:
        _parent_sync(parent=item)
    return len(children)


def _parent_sync(*, parent: ActionItem) -> None:
    """An all-partner item is done when no partner's item is open and at least one is done;
    it is open again as soon as one is reopened. A cancelled parent stays cancelled."""
    if parent.status == ActionItem.Status.CANCELLED:
        return
    statuses = set(parent.children.values_list("status", flat=True))
    if ActionItem.Status.OPEN in statuses or ActionItem.Status.DONE not in statuses:
        new_status, completed_at = ActionItem.Status.OPEN, None
    else:
        new_status = ActionItem.Status.DONE
        completed_at = parent.completed_at or timezone.now()
    if parent.status != new_status or parent.completed_at != completed_at:
        parent.status, parent.completed_at = new_status, completed_at
        parent.completed_by = None
        parent.save(update_fields=["status", "completed_at", "completed_by", "updated_at"])


@transaction.atomic
def action_item_update(
    *,
    item: ActionItem,
    actor: User,
    description: str,
    due_on: date | None,
    status: str,
    owner_kind: str | None = None,
    owner_user: User | None = None,
    owner_partner: Partner | None = None,
    subject_label: str = "",
    subject_url: str = "",
    request: HttpRequest | None = None,
) -> ActionItem:
    """Coordinator edits. The owner of an all-partner item or of a partner's child item does
    not change (its children and its parent depend on it); status may be open or cancelled
    here, "done" is recorded by action_item_complete."""
    if status not in {ActionItem.Status.OPEN, ActionItem.Status.CANCELLED} and (
        status != item.status
    ):
        raise MeetingConflict("Mark an item done with the Done button.")
    # Lock the parent before the child, in the same order as ticking does.
    parent = _lock_parent(item)
    wanted = {
        "description": clean_text(description).strip(),
        "due_on": due_on,
        "subject_label": clean_text(subject_label or "").strip(),
        "subject_url": (subject_url or "").strip(),
        "status": status,
    }
    structural = item.is_all_partners or item.parent_id is not None
    if owner_kind and not structural and owner_kind != ActionItem.OwnerKind.ALL_PARTNERS:
        wanted["owner_kind"] = owner_kind
        wanted["owner_user"] = owner_user if owner_kind == ActionItem.OwnerKind.PERSON else None
        wanted["owner_partner"] = (
            owner_partner if owner_kind == ActionItem.OwnerKind.PARTNER else None
        )
    before = {
        "description": item.description,
        "due_on": item.due_on,
        "status": item.status,
        "owner": item.owner_display,
    }
    # Re-read under the lock and apply only what the coordinator changed on the form: a
    # partner's tick that landed since the page loaded the item stays ticked.
    changed = instance_lock_apply(item, wanted)
    status_changed = "status" in changed
    if status_changed and status == ActionItem.Status.OPEN:
        item.completed_at, item.completed_by = None, None
        changed += ["completed_at", "completed_by"]
    if changed:
        item.full_clean()
        item.save(update_fields=[*changed, "updated_at"])
    if item.is_all_partners:
        item.children.update(description=item.description, due_on=item.due_on)
        if status_changed and status == ActionItem.Status.CANCELLED:
            item.children.filter(status=ActionItem.Status.OPEN).update(
                status=ActionItem.Status.CANCELLED, updated_at=timezone.now()
            )
        elif status_changed and status == ActionItem.Status.OPEN:
            item.children.filter(status=ActionItem.Status.CANCELLED).update(
                status=ActionItem.Status.OPEN, updated_at=timezone.now()
            )
            action_item_expand(item=item)
            _parent_sync(parent=item)
        elif item.status == ActionItem.Status.OPEN:
            action_item_expand(item=item)
    elif parent is not None and status_changed:
        _parent_sync(parent=parent)
    after = {
        "description": item.description,
        "due_on": item.due_on,
        "status": item.status,
        "owner": item.owner_display,
    }
    changes = {k: [str(before[k]), str(after[k])] for k in before if before[k] != after[k]}
    event_record(
        action="action_item.update",
        actor=actor,
        subject=item,
        summary=f"Action item changed: {item.description[:120]}",
        data={"changes": changes},
        request=request,
    )
    return item


@transaction.atomic
def action_item_complete(
    *, item: ActionItem, actor: User, request: HttpRequest | None = None
) -> ActionItem:
    """Tick an item done, recording who and when. Ticking a done item again changes nothing."""
    parent = _lock_parent(item)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.is_all_partners:
        raise MeetingConflict("Each partner ticks its own item; this one follows them.")
    if item.status == ActionItem.Status.CANCELLED:
        raise MeetingConflict("This item was cancelled.")
    if item.status == ActionItem.Status.DONE:
        return item
    item.status = ActionItem.Status.DONE
    item.completed_by = actor
    item.completed_at = timezone.now()
    item.full_clean()
    item.save(update_fields=["status", "completed_by", "completed_at", "updated_at"])
    if parent is not None:
        _parent_sync(parent=parent)
    event_record(
        action="action_item.complete",
        actor=actor,
        subject=item,
        summary=f"Done by {actor} for {item.owner_display}: {item.description[:120]}",
        data={"parent": item.parent_id},
        request=request,
    )
    return item


@transaction.atomic
def action_item_reopen(
    *, item: ActionItem, actor: User, request: HttpRequest | None = None
) -> ActionItem:
    """Undo a tick. Reopening an open item changes nothing."""
    parent = _lock_parent(item)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.is_all_partners:
        raise MeetingConflict("Each partner ticks its own item; this one follows them.")
    if item.status == ActionItem.Status.CANCELLED:
        raise MeetingConflict("This item was cancelled.")
    if item.status == ActionItem.Status.OPEN:
        return item
    previous = {"by": item.completed_by_id, "at": item.completed_at.isoformat()}
    item.status = ActionItem.Status.OPEN
    item.completed_by = None
    item.completed_at = None
    item.full_clean()
    item.save(update_fields=["status", "completed_by", "completed_at", "updated_at"])
    if parent is not None:
        _parent_sync(parent=parent)
    event_record(
        action="action_item.reopen",
        actor=actor,
        subject=item,
        summary=f"Reopened by {actor} for {item.owner_display}: {item.description[:120]}",
        data={"parent": item.parent_id, "was_done": previous},
        request=request,
    )
    return item


def _lock_parent(item: ActionItem) -> ActionItem | None:
    # Lock the parent first: two partners ticking the last two items at once must not both
    # see the other's item still open and leave the parent open for ever.
    if item.parent_id is None:
        return None
    return ActionItem.objects.select_for_update().get(pk=item.parent_id)


# --- calendar feeds -----------------------------------------------------------------------


def calendar_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def calendar_feed_create(*, user: User, request: HttpRequest | None = None) -> str:
    """Make (or remake) the person's secret feed address; any earlier address stops working.
    Returns the token, which is stored only as its hash."""
    token = secrets.token_urlsafe(32)

    def write() -> CalendarFeed:
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        feed = feed or CalendarFeed(user=user)
        feed.token_hash = calendar_token_hash(token)
        feed.created_at = timezone.now()
        feed.revoked_at = None
        feed.full_clean()
        feed.save()
        return feed

    replaced = CalendarFeed.objects.filter(user=user).exists()
    # Two clicks at once: the one that loses the insert replaces the other's address.
    with transaction.atomic():
        feed = unique_race_settle(write, model=CalendarFeed, constraints=("user",), retries=1)
    event_record(
        action="calendar_feed.create",
        actor=user,
        subject=feed,
        summary="Calendar address replaced" if replaced else "Calendar address made",
        request=request,
    )
    return token


def calendar_feed_revoke(*, user: User, request: HttpRequest | None = None) -> bool:
    updated = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        event_record(
            action="calendar_feed.revoke",
            actor=user,
            subject=user.calendar_feed,
            summary="Calendar address revoked",
            request=request,
        )
    return bool(updated)
