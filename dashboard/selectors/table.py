"""The coordinator dashboard's table of blocks and its exports: rows, filters, last reminders."""

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from django.db.models import QuerySet

from core.models import OutboxMessage, Reminder
from core.services.reminders import last_reminders
from dashboard.filters import BlockFilter
from mou.models import MouVersion, RoleBlock
from mou.selectors import version_blocks


def dashboard_filterset(*, version: MouVersion, filters: Mapping | None, now: datetime):
    """The table's FilterSet, always bound so the default sort applies."""
    queryset = version_blocks(version=version).select_related("version")
    return BlockFilter(
        filters if filters is not None else {}, version=version, now=now, queryset=queryset
    )


def dashboard_rows(*, version: MouVersion, filters: Mapping | None, now: datetime) -> QuerySet:
    """Blocks of the version, filtered, searched and sorted, with partner and last editor."""
    return dashboard_filterset(version=version, filters=filters, now=now).qs


def rows_with_reminders(blocks: Iterable[RoleBlock]) -> list[RoleBlock]:
    """Attach ``last_reminder`` to each block (one query for all of them)."""
    blocks = list(blocks)
    latest = last_reminders(subjects=blocks)
    for block in blocks:
        block.last_reminder = latest.get(block.pk)
    return blocks


def rows_for_export(rows: QuerySet, *, chunk: int = 1000) -> Iterator[RoleBlock]:
    """Every filtered row with its last reminder, a chunk of blocks at a time."""
    batch: list[RoleBlock] = []
    for block in rows.iterator(chunk_size=chunk):
        batch.append(block)
        if len(batch) == chunk:
            yield from rows_with_reminders(batch)
            batch = []
    if batch:
        yield from rows_with_reminders(batch)


DELIVERY_LABELS = {
    OutboxMessage.Status.PENDING: "queued",
    OutboxMessage.Status.SENT: "delivered",
    OutboxMessage.Status.FAILED: "failed, retrying",
    OutboxMessage.Status.GAVE_UP: "failed",
}


def reminder_delivery(reminder: Reminder | None) -> str:
    if reminder is None:
        return ""
    if reminder.message is None:
        return "not sent"
    return DELIVERY_LABELS.get(reminder.message.status, reminder.message.status)
