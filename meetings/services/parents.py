"""An all-partner item follows its partners' items."""

from django.utils import timezone

from meetings.models import ActionItem


def parent_sync(*, parent: ActionItem) -> None:
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
