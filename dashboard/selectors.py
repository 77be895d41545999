"""Reads shaped for the coordinator dashboard and the partner home.

Each function runs a fixed number of queries, whatever the number of partners: counts are
aggregates, the table is paged, and per-row extras (the last reminder) come in one query
for the page.
"""

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import SafeString

from core.models import Event, OutboxMessage, Reminder
from core.services.reminders import last_reminders
from dashboard.chart import ChartPoint, submissions_chart_svg
from dashboard.filters import PENDING, BlockFilter, overdue_q
from meetings.models import ActionItem
from mou.models import FrozenMou, MouVersion, RoleBlock, SignatureRequest
from mou.rules import network_zone
from needs_matrix.models import Category, MatrixEntry, Stance
from partnership.models import Membership, Partner
from partnership.permissions import memberships

RECENT_EVENTS = 15
HOME_ITEMS = 10
VISIBLE_VERSION_STATUSES = (
    MouVersion.Status.OPEN,
    MouVersion.Status.FROZEN,
    MouVersion.Status.EXECUTED,
)


# --- the version ---------------------------------------------------------------------------


def dashboard_versions() -> list[MouVersion]:
    """Every version, newest first, for the picker (one query)."""
    return list(
        MouVersion.objects.only(
            "id", "number", "title", "status", "deadline", "opened_at", "created_at"
        )
    )


def dashboard_version_pick(*, versions: list[MouVersion], wanted: str | None) -> MouVersion | None:
    """The version asked for, else the newest open one, else the newest of all."""
    if wanted and wanted.isdigit():
        for version in versions:
            if version.pk == int(wanted):
                return version
    for version in versions:
        if version.status == MouVersion.Status.OPEN:
            return version
    return versions[0] if versions else None


# --- the summary ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCount:
    value: str
    label: str
    count: int
    percent: float
    css: str


@dataclass
class DashboardSummary:
    version: MouVersion
    total: int
    counts: list[StatusCount]
    by_status: dict[str, int]
    done: int
    done_percent: int
    pending: int
    signing_leader_named: int
    deadline: datetime
    days_left: int
    overdue: int
    chart_svg: SafeString
    chart_changes: list[ChartPoint] = field(default_factory=list)
    chart_summary: str = ""

    @property
    def deadline_passed(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def signing_percent(self) -> int:
        return round(100 * self.signing_leader_named / self.total) if self.total else 0


STATUS_CSS = {
    RoleBlock.Status.NOT_STARTED: "not-started",
    RoleBlock.Status.DRAFT: "draft",
    RoleBlock.Status.SUBMITTED: "submitted",
    RoleBlock.Status.CHANGES_REQUESTED: "changes-requested",
    RoleBlock.Status.ACCEPTED: "accepted",
}


def days_until(*, moment: datetime, now: datetime) -> int:
    """Whole calendar days from today to that moment's day, in the network's time zone."""
    zone = network_zone()
    return (timezone.localtime(moment, zone).date() - timezone.localtime(now, zone).date()).days


def dashboard_summary(*, version: MouVersion, now: datetime) -> DashboardSummary:
    """Counts by status, progress, the deadline and the submissions chart (two queries)."""
    per_status = {value: Count("id", filter=Q(status=value)) for value in RoleBlock.Status.values}
    totals = RoleBlock.objects.filter(version=version).aggregate(
        total=Count("id"),
        signing_leader_named=Count("id", filter=~Q(signing_leader_name="")),
        overdue=Count("id", filter=overdue_q(now=now)),
        **per_status,
    )
    total = totals["total"]
    counts = [
        StatusCount(
            value=value,
            label=label,
            count=totals[value],
            percent=round(100 * totals[value] / total, 2) if total else 0,
            css=STATUS_CSS[value],
        )
        for value, label in RoleBlock.Status.choices
    ]
    done = totals[RoleBlock.Status.SUBMITTED] + totals[RoleBlock.Status.ACCEPTED]
    chart = _submissions_chart(version=version, total=total, now=now)
    return DashboardSummary(
        version=version,
        total=total,
        counts=counts,
        by_status={c.value: c.count for c in counts},
        done=done,
        done_percent=round(100 * done / total) if total else 0,
        pending=sum(totals[s] for s in PENDING),
        signing_leader_named=totals["signing_leader_named"],
        deadline=version.deadline,
        days_left=days_until(moment=version.deadline, now=now),
        overdue=totals["overdue"],
        chart_svg=chart["svg"],
        chart_changes=chart["changes"],
        chart_summary=chart["summary"],
    )


CHART_MAX_DAYS = timedelta(days=3 * 366)


def _day_plus(day: date, delta: timedelta) -> date:
    """Saturating at the calendar's ends, which a stored legacy date can sit at."""
    try:
        return day + delta
    except OverflowError:
        return date.max if delta > timedelta(0) else date.min


def _submissions_chart(*, version: MouVersion, total: int, now: datetime) -> dict:
    """Cumulative submitted blocks per day from the opening to the deadline (one query).

    A block counts from the day of its latest submission while it stands submitted or
    accepted, so the line ends where the "submitted or accepted" count stands."""
    zone = network_zone()
    per_day = dict(
        RoleBlock.objects.filter(
            version=version,
            status__in=(RoleBlock.Status.SUBMITTED, RoleBlock.Status.ACCEPTED),
            submitted_at__isnull=False,
        )
        .annotate(day=TruncDate("submitted_at", tzinfo=zone))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )
    today = timezone.localtime(now, zone).date()
    deadline_day = timezone.localtime(version.deadline, zone).date()
    start = min(
        timezone.localtime(version.opened_at or version.created_at, zone).date(), deadline_day
    )
    end = deadline_day
    if per_day:
        start = min(start, min(per_day))
        end = max(end, max(per_day))
    if version.status == MouVersion.Status.OPEN:
        # Past the deadline the line goes on to today: late submissions still count.
        end = max(end, today)
    # A day per point: a deadline decades away (or a year-9999 one stored before dates
    # were bounded) would make millions. The chart shows at most CHART_MAX_DAYS.
    end = min(end, _day_plus(max(today, start), CHART_MAX_DAYS))
    start = max(start, _day_plus(end, -CHART_MAX_DAYS))
    points = submissions_cumulative(per_day=per_day, start=start, end=end)
    svg = submissions_chart_svg(
        points=points,
        total=total,
        deadline_day=deadline_day,
        today=today,
    )
    shown = [p for p in points if p.day <= today] or points[:1]
    changes = [p for i, p in enumerate(shown) if i == 0 or p.count != shown[i - 1].count]
    latest = shown[-1].count if shown else 0
    summary = (
        f"{latest} of {total} blocks submitted by {shown[-1].day:%B %-d, %Y}."
        if shown
        else f"No blocks submitted yet; {total} expected."
    )
    return {"svg": svg, "changes": changes, "summary": summary}


def submissions_cumulative(
    *, per_day: Mapping[date, int], start: date, end: date
) -> list[ChartPoint]:
    points: list[ChartPoint] = []
    running = sum(n for day, n in per_day.items() if day < start)
    day = start
    while day <= end:
        running += per_day.get(day, 0)
        points.append(ChartPoint(day=day, count=running))
        day += timedelta(days=1)
    return points


# --- the table -----------------------------------------------------------------------------


def dashboard_filterset(*, version: MouVersion, filters: Mapping | None, now: datetime):
    """The table's FilterSet, always bound so the default sort applies."""
    queryset = RoleBlock.objects.filter(version=version).select_related(
        "version", "partner", "last_edited_by"
    )
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


def reminder_stage_label(stage: str) -> str:
    """'before-7' → '7 days before', 'overdue-2' → 'overdue (2)', 'manual-1' → 'by hand'."""
    kind, _, number = stage.partition("-")
    if kind == "before" and number.isdigit():
        days = int(number)
        if days == 0:
            return "on the deadline day"
        return f"{days} day{'s' if days != 1 else ''} before"
    if kind == "overdue" and number.isdigit():
        return f"overdue ({number})"
    if kind == "manual":
        return "sent by hand"
    return stage


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


def block_is_overdue(block: RoleBlock, *, now: datetime) -> bool:
    return block.status in PENDING and block.effective_deadline < now


# --- the side panels -----------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCompleteness:
    assessed: int
    active: int

    @property
    def percent(self) -> int:
        return round(100 * self.assessed / self.active) if self.active else 0


def matrix_completeness() -> MatrixCompleteness:
    """Active partners with at least one assessed category ÷ active partners (one query)."""
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
    block_ids = {e.subject_id for e in events if e.subject_type_id == block_type.pk}
    block_versions = (
        dict(RoleBlock.objects.filter(pk__in=block_ids).values_list("pk", "version_id"))
        if block_ids
        else {}
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


# --- the partner home ----------------------------------------------------------------------


@dataclass
class PartnerCard:
    membership: Membership
    block: RoleBlock | None
    assessed_categories: int
    countdown: str = ""
    overdue: bool = False

    @property
    def partner(self) -> Partner:
        return self.membership.partner

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def status_css(self) -> str:
        return STATUS_CSS.get(self.block.status, "") if self.block else ""

    @property
    def may_write(self) -> bool:
        return self.role in (Membership.Role.LEAD, Membership.Role.EDITOR)


@dataclass
class PartnerHome:
    cards: list[PartnerCard]
    items: list[ActionItem]
    more_items: bool
    categories: int


def countdown(*, deadline: datetime, now: datetime) -> tuple[str, bool]:
    """('3 days, 4 hours left' | '5 hours left' | 'overdue by 2 days', overdue?)."""
    delta = deadline - now
    if delta.total_seconds() >= 0:
        days, hours = delta.days, delta.seconds // 3600
        if days == 0:
            minutes = delta.seconds // 60
            if hours == 0:
                return f"{minutes} minute{'s' if minutes != 1 else ''} left", False
            return f"{hours} hour{'s' if hours != 1 else ''} left", False
        return (
            f"{days} day{'s' if days != 1 else ''}, {hours} hour{'s' if hours != 1 else ''} left",
            False,
        )
    late = now - deadline
    if late.days == 0:
        hours = max(1, late.seconds // 3600)
        return f"overdue by {hours} hour{'s' if hours != 1 else ''}", True
    return f"overdue by {late.days} day{'s' if late.days != 1 else ''}", True


def _signature_annotations() -> dict:
    """The partner's signature request of a frozen or executed version, as subqueries of
    the block query (no extra query): its status, who, when, and the signing deadline."""
    live = SignatureRequest.objects.filter(
        frozen__version_id=OuterRef("version_id"),
        partner_id=OuterRef("partner_id"),
        role=SignatureRequest.Role.PARTNER,
        status__in=SignatureRequest.LIVE,
    ).order_by("-created_at", "-pk")
    return {
        "signature_status": Subquery(live.values("status")[:1]),
        "signature_signer": Subquery(live.values("signer_name")[:1]),
        "signature_signed_name": Subquery(live.values("signed_name")[:1]),
        "signature_at": Subquery(live.values("decided_at")[:1]),
        "signing_deadline": Subquery(
            FrozenMou.objects.filter(version_id=OuterRef("version_id")).values("signing_deadline")[
                :1
            ]
        ),
    }


def partner_home(*, user, now: datetime) -> PartnerHome:
    """For each active partner the person belongs to: the block of the current version (the
    newest open, frozen or executed one), its countdown, and how much of the needs matrix
    row is filled in; then the person's open action items. Five queries at most."""
    partner_ids = list(memberships(user))
    if not partner_ids:
        return PartnerHome(cards=[], items=[], more_items=False, categories=0)
    member_rows = list(
        Membership.objects.filter(user=user, partner_id__in=partner_ids)
        .select_related("partner")
        .order_by("partner__name", "pk")
    )
    blocks: dict[int, RoleBlock] = {}
    for block in (
        RoleBlock.objects.filter(
            partner_id__in=partner_ids, version__status__in=VISIBLE_VERSION_STATUSES
        )
        .select_related("version", "last_edited_by")
        .annotate(**_signature_annotations())
        .order_by("partner_id", "-version__number")
    ):
        blocks.setdefault(block.partner_id, block)
    assessed = dict(
        MatrixEntry.objects.filter(partner_id__in=partner_ids, category__retired_at__isnull=True)
        .exclude(stance=Stance.NOT_ASSESSED)
        .values_list("partner_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    cards = []
    for membership in member_rows:
        block = blocks.get(membership.partner_id)
        card = PartnerCard(
            membership=membership,
            block=block,
            assessed_categories=assessed.get(membership.partner_id, 0),
        )
        if block is not None:
            block.partner = membership.partner
            if block.version.status == MouVersion.Status.OPEN and block.status in PENDING:
                card.countdown, card.overdue = countdown(deadline=block.effective_deadline, now=now)
        cards.append(card)
    from meetings.selectors import action_items_for_user

    items = list(action_items_for_user(user=user)[: HOME_ITEMS + 1])
    return PartnerHome(
        cards=cards,
        items=items[:HOME_ITEMS],
        more_items=len(items) > HOME_ITEMS,
        categories=Category.objects.current().count(),
    )
