"""Action items: created at a meeting or on their own, ticked done by their owners; an item
for all active partners has one child item per partner and follows them."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from core.actor import Actor
from core.models import User
from core.portal_tasks import portal_task
from core.services.db import instance_lock_apply
from core.services.events import event_record
from core.text import clean_text
from meetings.exceptions import MeetingConflict
from meetings.models import ActionItem, Meeting
from meetings.services.parents import parent_sync
from meetings.services.portal_tasks import (
    action_item_settle,
    portal_task_check,
    portal_task_done,
)
from partnership.models import Partner


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
    actor: Actor,
    description: str,
    owner_kind: str,
    owner_user: User | None = None,
    owner_partner: Partner | None = None,
    due_on: date | None = None,
    meeting: Meeting | None = None,
    subject=None,
    subject_label: str = "",
    subject_url: str = "",
    task_key: str = "",
) -> ActionItem:
    """Create an item; an item for all active partners gets one child item per partner.
    An item tied to a portal task (``task_key``, about ``subject``: by default what the task
    is about now, such as the open MOU version) completes itself for each partner that has
    done it, already or later."""
    if task_key and subject is None and (task := portal_task(task_key)) is not None:
        subject = task.current_subject()
    portal_task_check(task_key=task_key, subject=subject, owner_kind=owner_kind)
    item = ActionItem(
        meeting=meeting,
        description=clean_text(description).strip(),
        owner_kind=owner_kind,
        owner_user=owner_user if owner_kind == ActionItem.OwnerKind.PERSON else None,
        owner_partner=owner_partner if owner_kind == ActionItem.OwnerKind.PARTNER else None,
        due_on=due_on,
        created_by=actor.user,
        task_key=task_key,
        **_subject_fields(subject, subject_label, subject_url),
    )
    item.full_clean()
    item.save()
    added = action_item_expand(item=item) if item.is_all_partners else 0
    action_item_settle(item=item)
    event_record(
        action="action_item.create",
        actor=actor,
        subject=item,
        summary=f"Action item for {item.owner_display}: {item.description[:120]}",
        data={
            "owner_kind": owner_kind,
            "children": added,
            "meeting": item.meeting_id,
            "task": task_key,
        },
    )
    item.refresh_from_db()
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
            task_key=item.task_key,
            subject_type_id=item.subject_type_id if item.task_key else None,
            subject_id=item.subject_id if item.task_key else None,
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
        parent_sync(parent=item)
        if item.task_key:  # a partner that joined after doing the task
            action_item_settle(item=item)
    return len(children)


@transaction.atomic
def action_item_update(
    *,
    item: ActionItem,
    actor: Actor,
    description: str,
    due_on: date | None,
    status: str,
    owner_kind: str | None = None,
    owner_user: User | None = None,
    owner_partner: Partner | None = None,
    subject_label: str = "",
    subject_url: str = "",
) -> ActionItem:
    """Coordinator edits. The owner of an all-partner item or of a partner's child item does
    not change (its children and its parent depend on it); status may be open or cancelled
    here, "done" is recorded by action_item_complete."""
    if status not in {ActionItem.Status.OPEN, ActionItem.Status.CANCELLED} and (
        status != item.status
    ):
        raise MeetingConflict("Mark an item done with the Done button.")
    reopening = status == ActionItem.Status.OPEN and item.status == ActionItem.Status.DONE
    if reopening and portal_task_done(item=item):
        raise MeetingConflict(
            f"{item.owner_partner} has done this in the portal, so the item stays done."
        )
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
            parent_sync(parent=item)
        elif item.status == ActionItem.Status.OPEN:
            action_item_expand(item=item)
    elif parent is not None and status_changed:
        parent_sync(parent=parent)
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
    )
    return item


def _tick_lock(item: ActionItem) -> tuple[ActionItem | None, ActionItem]:
    """Lock an item (and its all-partners parent) for a tick or an untick, refusing the
    items nobody ticks by hand."""
    parent = _lock_parent(item)
    item = ActionItem.objects.select_for_update().get(pk=item.pk)
    if item.is_all_partners:
        raise MeetingConflict("Each partner ticks its own item; this one follows them.")
    if item.status == ActionItem.Status.CANCELLED:
        raise MeetingConflict("This item was cancelled.")
    return parent, item


@transaction.atomic
def action_item_complete(*, item: ActionItem, actor: Actor) -> ActionItem:
    """Tick an item done, recording who and when. Ticking a done item again changes nothing."""
    parent, item = _tick_lock(item)
    if item.status == ActionItem.Status.DONE:
        return item
    item.status = ActionItem.Status.DONE
    item.completed_by = actor.user
    item.completed_at = timezone.now()
    item.full_clean()
    item.save(update_fields=["status", "completed_by", "completed_at", "updated_at"])
    if parent is not None:
        parent_sync(parent=parent)
    event_record(
        action="action_item.complete",
        actor=actor,
        subject=item,
        summary=f"Done by {actor.user} for {item.owner_display}: {item.description[:120]}",
        data={"parent": item.parent_id},
    )
    return item


@transaction.atomic
def action_item_reopen(*, item: ActionItem, actor: Actor) -> ActionItem:
    """Undo a tick. Reopening an open item changes nothing."""
    parent, item = _tick_lock(item)
    if item.status == ActionItem.Status.OPEN:
        return item
    if portal_task_done(item=item):
        raise MeetingConflict(
            f"{item.owner_partner} has done this in the portal, so the item stays done."
        )
    previous = {"by": item.completed_by_id, "at": item.completed_at.isoformat()}
    item.status = ActionItem.Status.OPEN
    item.completed_by = None
    item.completed_at = None
    item.full_clean()
    item.save(update_fields=["status", "completed_by", "completed_at", "updated_at"])
    if parent is not None:
        parent_sync(parent=parent)
    event_record(
        action="action_item.reopen",
        actor=actor,
        subject=item,
        summary=f"Reopened by {actor.user} for {item.owner_display}: {item.description[:120]}",
        data={"parent": item.parent_id, "was_done": previous},
    )
    return item


def _lock_parent(item: ActionItem) -> ActionItem | None:
    # Lock the parent first: two partners ticking the last two items at once must not both
    # see the other's item still open and leave the parent open for ever.
    if item.parent_id is None:
        return None
    return ActionItem.objects.select_for_update().get(pk=item.parent_id)
