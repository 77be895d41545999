"""Action items tied to a portal task complete themselves when the partner has done it.

The task's own app answers who has done it (``core.portal_tasks``); this module asks, for
the open items in a scope, and ticks those whose partner has, as the system. It runs when
an item is made, when its page or its meeting's page is read, and when the task's app
announces a moment (``core.hooks.PORTAL_TASK_MOMENTS``, received in ``meetings.hooks``):
items made after the task was done are right too.
"""

from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.actor import Actor
from core.models import Event
from core.portal_tasks import portal_task, portal_tasks
from meetings.exceptions import MeetingConflict
from meetings.models import ActionItem
from meetings.services.parents import parent_sync

Status = ActionItem.Status


def portal_task_check(*, task_key: str, subject, owner_kind: str) -> None:
    """Refuse an unknown task, a subject of the wrong kind, or an owner who is not a partner."""
    if not task_key:
        return
    task = portal_task(task_key)
    if task is None:
        raise MeetingConflict("This portal task does not exist.")
    if owner_kind not in {ActionItem.OwnerKind.PARTNER, ActionItem.OwnerKind.ALL_PARTNERS}:
        raise MeetingConflict(
            "Only a partner's item, or one for all active partners, can follow a portal task."
        )
    if task.subject_model and (subject is None or subject._meta.label != task.subject_model):
        raise MeetingConflict(f"There is nothing to tie “{task.label}” to yet.")


def portal_task_done(*, item: ActionItem) -> bool:
    """Has the partner that owns this item done the task it is tied to?"""
    task = portal_task(item.task_key) if item.task_key else None
    if task is None or not item.owner_partner_id:
        return False
    return item.owner_partner_id in task.done_partner_ids(
        subject_id=item.subject_id, partner_ids=[item.owner_partner_id]
    )


def action_items_settle(*, scope: Q) -> int:
    """Complete the open, tied items in ``scope`` whose partner has done the task. Returns how
    many were completed. A fixed number of queries when nothing is due: one for the items,
    one per (task, subject) among them."""
    rows = list(
        ActionItem.objects.filter(scope)
        .filter(status=Status.OPEN, owner_kind=ActionItem.OwnerKind.PARTNER)
        .exclude(task_key="")
        .values_list("pk", "task_key", "subject_id", "owner_partner_id")
    )
    if not rows:
        return 0
    groups: dict[tuple[str, int | None], dict[int, list[int]]] = defaultdict(
        lambda: defaultdict(list)
    )
    for pk, key, subject_id, partner_id in rows:
        groups[(key, subject_id)][partner_id].append(pk)
    due: list[int] = []
    for (key, subject_id), by_partner in groups.items():
        task = portal_task(key)
        if task is None:  # a task its app no longer offers: the item is ticked by hand
            continue
        for partner_id in task.done_partner_ids(subject_id=subject_id, partner_ids=by_partner):
            due += by_partner.get(partner_id, [])
    return _complete(due) if due else 0


@transaction.atomic
def _complete(pks: list[int]) -> int:
    parent_ids = sorted(
        set(
            ActionItem.objects.filter(pk__in=pks, parent__isnull=False).values_list(
                "parent_id", flat=True
            )
        )
    )
    # Parents first, in one order, as ticking by hand locks them.
    parents = list(ActionItem.objects.select_for_update().filter(pk__in=parent_ids).order_by("pk"))
    items = list(
        ActionItem.objects.select_for_update(of=("self",))
        .filter(pk__in=pks, status=Status.OPEN)
        .select_related("owner_partner")
        .order_by("pk")
    )
    if not items:
        return 0
    now = timezone.now()
    for item in items:
        item.status, item.completed_at, item.completed_by = Status.DONE, now, None
    ActionItem.objects.bulk_update(items, ["status", "completed_at", "completed_by"])
    ActionItem.objects.filter(pk__in=[i.pk for i in items]).update(updated_at=now)
    system = Actor.system()
    item_type = ContentType.objects.get_for_model(ActionItem)
    Event.objects.bulk_create(
        [
            Event(
                action="action_item.complete_auto",
                actor=system.user,
                subject_type=item_type,
                subject_id=item.pk,
                summary=(
                    f"Done in the portal for {item.owner_display} "
                    f"({_label(item.task_key)}): {item.description[:120]}"
                )[:300],
                data={"parent": item.parent_id, "task": item.task_key},
                ip_address=system.ip,
                user_agent=system.user_agent,
            )
            for item in items
        ]
    )
    for parent in parents:
        parent_sync(parent=parent)
    return len(items)


def _label(key: str) -> str:
    task = portal_task(key)
    return task.label if task else key


def action_items_settle_for_moment(*, subject, partner, actor: Actor) -> int:
    """The receiver of the ``PORTAL_TASK_MOMENTS`` hooks: this partner may just have done a
    task about ``subject``; its open items tied to such tasks are checked."""
    if partner is None:  # the backbone's countersignature belongs to no partner
        return 0
    if subject is None:
        keys = [t.key for t in portal_tasks() if not t.subject_model]
        about = Q(subject_id__isnull=True)
    else:
        keys = [t.key for t in portal_tasks() if t.subject_model == subject._meta.label]
        about = Q(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)
    if not keys:
        return 0
    return action_items_settle(scope=Q(owner_partner=partner, task_key__in=keys) & about)


def action_item_settle(*, item: ActionItem) -> int:
    """Settle one item: a partner's item, or every partner's part of an all-partner item."""
    return action_items_settle(scope=Q(pk=item.pk) | Q(parent_id=item.pk))


def meeting_items_settle(*, meeting) -> int:
    """Before a meeting's page shows its items' progress."""
    return action_items_settle(scope=Q(meeting=meeting))


def partner_items_settle(*, partner_ids) -> int:
    """Before a person's list of their partners' items."""
    return action_items_settle(scope=Q(owner_partner_id__in=list(partner_ids)))
