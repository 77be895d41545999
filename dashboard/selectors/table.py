"""The coordinator dashboard's table of blocks and its exports: rows, filters, last e-mails."""

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime

from django.db.models import BooleanField, ExpressionWrapper, QuerySet

from core.models import OutboxMessage
from core.services.outbox import LastSending, outbox_last_about
from core.services.reminders import stage_label
from dashboard.filters import BlockFilter
from mou.models import MouVersion, RoleBlock
from mou.models.versions import signing_leader_confirmed_q
from mou.selectors import version_blocks


def dashboard_filterset(*, version: MouVersion, filters: Mapping | None, now: datetime):
    """The table's FilterSet, always bound so the default sort applies. Each block is marked
    ``leader_confirmed`` as the summary counts it (``signing_leader_confirmed_q``)."""
    confirmed = ExpressionWrapper(signing_leader_confirmed_q(), output_field=BooleanField())
    queryset = (
        version_blocks(version=version)
        .select_related("version")
        .annotate(leader_confirmed=confirmed)
    )
    return BlockFilter(
        filters if filters is not None else {}, version=version, now=now, queryset=queryset
    )


def dashboard_rows(*, version: MouVersion, filters: Mapping | None, now: datetime) -> QuerySet:
    """Blocks of the version, filtered, searched and sorted, with partner and last editor,
    each marked ``leader_confirmed`` as the summary counts it (named by the partner in this
    version, not only carried over from the last one)."""
    return dashboard_filterset(version=version, filters=filters, now=now).qs


def rows_with_last_email(blocks: Iterable[RoleBlock]) -> list[RoleBlock]:
    """Attach ``last_email`` to each block: the latest e-mail of any kind about it (the
    invitation, a reminder, changes requested, accepted...), in one query for all of them."""
    blocks = list(blocks)
    latest = outbox_last_about(subjects=blocks)
    for block in blocks:
        block.last_email = latest.get(block.pk)
    return blocks


def rows_for_export(rows: QuerySet, *, chunk: int = 1000) -> Iterator[RoleBlock]:
    """Every row of the table's FilterSet (``dashboard_filterset``) with its last e-mail, a
    chunk of blocks at a time."""
    batch: list[RoleBlock] = []
    for block in rows.iterator(chunk_size=chunk):
        batch.append(block)
        if len(batch) == chunk:
            yield from rows_with_last_email(batch)
            batch = []
    if batch:
        yield from rows_with_last_email(batch)


# The outbox's states as the coordinator reads them: sent means the mail server took it.
DELIVERY_LABELS = {
    OutboxMessage.Status.PENDING: "queued",
    OutboxMessage.Status.SENDING: "queued",
    OutboxMessage.Status.SENT: "sent",
    OutboxMessage.Status.FAILED: "failed, retrying",
    OutboxMessage.Status.GAVE_UP: "failed",
}
# What each kind of e-mail about a block is called in the table and the exports.
EMAIL_KIND_LABELS = {
    "mou_opened": "Invitation",
    "reminder:reminder_block": "Reminder",
    "mou_changes_requested": "Changes requested",
    "mou_accepted": "Block accepted",
    "mou_extension": "More time given",
}


def email_label(last: LastSending | None) -> str:
    """ "Invitation", "Reminder, 7 days before", "Reminder by hand", "Changes requested"."""
    if last is None:
        return ""
    label = EMAIL_KIND_LABELS.get(last.kind, last.kind)
    if last.manual:
        return "Reminder by hand"
    if last.stage:
        return f"{label}, {stage_label(last.stage)}"
    return label


def email_delivery(last: LastSending | None) -> str:
    """ "sent", "queued", "failed", or for an e-mail to several people whose deliveries
    differ, the one that needs attention with its count: "failed (1 of 2)"."""
    if last is None:
        return ""
    label = DELIVERY_LABELS.get(last.status, last.status)
    if len(set(last.statuses)) > 1:
        worst = sum(1 for status in last.statuses if status == last.status)
        return f"{label} ({worst} of {len(last.statuses)})"
    return label
