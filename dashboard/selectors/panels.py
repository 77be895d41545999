"""The coordinator dashboard's side panels: the needs matrix, action items, recent events."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from core.models import Event
from meetings.models import ActionItem
from mou.models import RoleBlock
from mou.rules import network_zone
from mou.selectors import block_version_ids
from needs_matrix.models import MatrixEntry, Stance
from partnership.models import Partner

RECENT_EVENTS = 15


@dataclass(frozen=True)
class MatrixCompleteness:
    assessed: int
    active: int

    @property
    def percent(self) -> int:
        return round(100 * self.assessed / self.active) if self.active else 0


def matrix_completeness() -> MatrixCompleteness:
    """Active partners with at least one assessed category ÷ active partners (one query)."""
    # Still read here: needs_matrix.selectors has no such count yet (see the report).
    assessed = MatrixEntry.objects.filter(
        partner=OuterRef("pk"), category__retired_at__isnull=True
    ).exclude(stance=Stance.NOT_ASSESSED)
    totals = Partner.objects.filter(status=Partner.Status.ACTIVE).aggregate(
        active=Count("id"), assessed=Count("id", filter=Exists(assessed))
    )
    return MatrixCompleteness(assessed=totals["assessed"], active=totals["active"])


@dataclass(frozen=True)
class ActionItemCounts:
    open: int
    overdue: int


def action_item_counts(*, now: datetime) -> ActionItemCounts:
    """Open and overdue items somebody ticks: a partner's share of an all-partner item counts,
    the all-partner parent itself does not (one query)."""
    # Still read here: meetings.selectors has no such count yet (see the report).
    today = timezone.localtime(now, network_zone()).date()
    totals = (
        ActionItem.objects.filter(status=ActionItem.Status.OPEN)
        .exclude(owner_kind=ActionItem.OwnerKind.ALL_PARTNERS)
        .aggregate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    )
    return ActionItemCounts(open=totals["open"], overdue=totals["overdue"])


# Where an event's subject is shown, for the subjects whose page needs only their id.
SUBJECT_PAGES = {
    ("partnership", "partner"): "partnership:partner_detail",
    ("partnership", "workgroup"): "partnership:workgroup_detail",
    ("core", "user"): "partnership:person_detail",
    ("mou", "mouversion"): "mou:version_detail",
    ("meetings", "meeting"): "meetings:detail",
    ("meetings", "actionitem"): "meetings:item_detail",
}


def recent_events(*, limit: int = RECENT_EVENTS) -> list[Event]:
    """The latest events with their actor, each with ``link`` to its subject's page
    (two queries: the events, and the version of any role block among them)."""
    events = list(Event.objects.select_related("actor", "subject_type")[:limit])
    block_type = ContentType.objects.get_for_model(RoleBlock)
    block_versions = block_version_ids(
        block_ids={e.subject_id for e in events if e.subject_type_id == block_type.pk}
    )
    for event in events:
        event.link = _event_link(event, block_type.pk, block_versions)
    return events


def _event_link(event: Event, block_type_id: int, block_versions: dict[int, int]) -> str:
    if event.subject_type_id is None or event.subject_id is None:
        return ""
    if event.subject_type_id == block_type_id:
        version_id = block_versions.get(event.subject_id)
        if version_id is None:
            return ""
        return reverse("mou:block", kwargs={"version_pk": version_id, "pk": event.subject_id})
    name = SUBJECT_PAGES.get((event.subject_type.app_label, event.subject_type.model))
    if name is None:
        return ""
    try:
        return reverse(name, args=[event.subject_id])
    except NoReverseMatch:
        return ""
