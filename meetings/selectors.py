"""Reads shaped for the meetings pages, the calendar feed and the reminder engine.

Every function here runs a fixed number of queries whatever the number of meetings,
partners or items.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.calendar import CalendarEntry, calendar_sources
from core.models import User
from core.permissions import is_coordinator, user_may
from core.text import markdown_cooked
from meetings.ical import plain_text
from meetings.models import ActionItem, Attendance, CalendarFeed, Meeting
from partnership.models import Membership, Partner
from partnership.permissions import is_network_member, memberships


@dataclass(frozen=True)
class ActionItemCounts:
    open: int
    overdue: int


def action_item_counts(*, now: datetime) -> ActionItemCounts:
    """Open and overdue items somebody ticks: a partner's share of an all-partner item counts,
    the all-partner parent itself does not (one query). Overdue: due before today in the
    network's time zone."""
    today = timezone.localtime(now, ZoneInfo(settings.TIME_ZONE)).date()
    totals = (
        ActionItem.objects.filter(status=ActionItem.Status.OPEN)
        .exclude(owner_kind=ActionItem.OwnerKind.ALL_PARTNERS)
        .aggregate(open=Count("id"), overdue=Count("id", filter=Q(due_on__lt=today)))
    )
    return ActionItemCounts(open=totals["open"], overdue=totals["overdue"])


Status = ActionItem.Status
OwnerKind = ActionItem.OwnerKind
DUE_ORDER = (F("due_on").asc(nulls_last=True), "id")


# --- meetings -----------------------------------------------------------------------------


def _open_items_count() -> Coalesce:
    counts = (
        ActionItem.objects.filter(meeting=OuterRef("pk"), status=Status.OPEN)
        .exclude(owner_kind=OwnerKind.ALL_PARTNERS)
        .order_by()
        .values("meeting")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counts), Value(0))


def meeting_list(
    *, now: datetime, kind: str = "", workgroup_id: int | None = None
) -> tuple[QuerySet[Meeting], QuerySet[Meeting]]:
    """(upcoming, past): a meeting that has not ended yet is upcoming."""
    meetings = Meeting.objects.select_related("workgroup").annotate(open_items=_open_items_count())
    if kind:
        meetings = meetings.filter(kind=kind)
    if workgroup_id:
        meetings = meetings.filter(workgroup_id=workgroup_id)
    upcoming = meetings.filter(ends_at__gte=now).order_by("starts_at", "id")
    past = meetings.filter(ends_at__lt=now).order_by("-starts_at", "-id")
    return upcoming, past


def meeting_previous(*, meeting: Meeting) -> Meeting | None:
    """The meeting before this one in the same series, else the same workgroup; network
    meetings with neither follow the previous such network meeting."""
    earlier = Meeting.objects.filter(starts_at__lt=meeting.starts_at).exclude(pk=meeting.pk)
    if meeting.series:
        earlier = earlier.filter(series=meeting.series)
    elif meeting.workgroup_id:
        earlier = earlier.filter(workgroup_id=meeting.workgroup_id)
    elif meeting.kind == Meeting.Kind.NETWORK:
        earlier = earlier.filter(kind=Meeting.Kind.NETWORK, workgroup__isnull=True, series="")
    else:
        return None
    return earlier.select_related("workgroup").order_by("-starts_at", "-id").first()


def _with_checklists(items: list[ActionItem], *, user) -> list[ActionItem]:
    """Hang on each item what its template shows: may this person tick it; and for an item
    for all partners, its checklist (one row per partner), progress and who is left."""
    parents = [item for item in items if item.is_all_partners]
    children: dict[int, list[ActionItem]] = defaultdict(list)
    if parents:
        for child in (
            ActionItem.objects.filter(parent__in=parents)
            .select_related("owner_partner", "completed_by")
            .order_by("owner_partner__name", "id")
        ):
            children[child.parent_id].append(child)
    mine = set(memberships(user)) if user.is_authenticated else set()
    for item in items:
        item.can_tick = user_may(user, "action_item.tick", item)
        if not item.is_all_partners:
            continue
        rows = children[item.pk]
        for child in rows:
            child.parent = item
            child.can_tick = user_may(user, "action_item.tick", child)
        counted = [c for c in rows if c.status != Status.CANCELLED]
        item.checklist = rows
        item.total_count = len(counted)
        item.done_count = sum(1 for c in counted if c.status == Status.DONE)
        item.percent = round(100 * item.done_count / item.total_count) if item.total_count else 0
        item.waiting = [c.owner_partner.name for c in counted if c.status == Status.OPEN]
        item.mine = [c for c in rows if c.owner_partner_id in mine]
    return items


def meeting_action_items(*, meeting: Meeting, user, only_open: bool = False) -> list[ActionItem]:
    items = (
        ActionItem.objects.filter(meeting=meeting, parent__isnull=True)
        .select_related("owner_user", "owner_partner", "completed_by")
        .order_by(*DUE_ORDER)
    )
    if only_open:
        items = items.filter(status=Status.OPEN)
    return _with_checklists(list(items), user=user)


@dataclass
class OrganizationAttendance:
    """One organization on a meeting's list: a partner, or a guest's organization as typed."""

    name: str
    partner_id: int | None
    attended: int = 0
    absent: int = 0
    invited: int = 0

    @property
    def people(self) -> int:
        return self.attended + self.absent + self.invited

    @property
    def state(self) -> str:
        """ "present" when someone came, "absent" when everyone listed was absent, else
        "invited" (nobody has been marked yet)."""
        if self.attended:
            return "present"
        return "absent" if self.absent and not self.invited else "invited"


@dataclass(frozen=True)
class AttendanceSummary:
    present: list[OrganizationAttendance]
    absent: list[OrganizationAttendance]
    invited: list[OrganizationAttendance]
    # Active partners with nobody on the list, by name; the count may be larger.
    not_invited: list[str]
    not_invited_count: int
    partners_present: int
    partners_active: int

    @property
    def not_invited_more(self) -> int:
        return self.not_invited_count - len(self.not_invited)


NOT_INVITED_SHOWN = 50


def attendance_summary(
    *, meeting: Meeting, attendances: list[Attendance] | None = None
) -> AttendanceSummary:
    """The list by organization: which partners (and guests' organizations) were there,
    which were absent or not marked yet, which active partners were not invited. Three
    queries at most (the list, unless given; the active partners' count and first names)."""
    if attendances is None:
        attendances = list(meeting.attendances.select_related("user", "partner"))
    groups: dict[tuple, OrganizationAttendance] = {}
    for row in attendances:
        name = row.organization or "No organization"
        key = ("partner", row.partner_id) if row.partner_id else ("text", name.casefold())
        group = groups.setdefault(key, OrganizationAttendance(name=name, partner_id=row.partner_id))
        setattr(group, row.status, getattr(group, row.status) + 1)
    ordered = sorted(groups.values(), key=lambda g: g.name.casefold())
    listed = {g.partner_id for g in ordered if g.partner_id}
    others = Partner.objects.filter(status=Partner.Status.ACTIVE).exclude(pk__in=listed)
    not_invited = list(others.order_by("name").values_list("name", flat=True)[:NOT_INVITED_SHOWN])
    not_invited_count = len(not_invited) if len(not_invited) < NOT_INVITED_SHOWN else others.count()
    by_state = defaultdict(list)
    for group in ordered:
        by_state[group.state].append(group)
    present = by_state["present"]
    return AttendanceSummary(
        present=present,
        absent=by_state["absent"],
        invited=by_state["invited"],
        not_invited=not_invited,
        not_invited_count=not_invited_count,
        partners_present=sum(1 for g in present if g.partner_id),
        partners_active=len(listed) + not_invited_count,
    )


def meeting_detail(*, meeting: Meeting, user) -> dict:
    previous = meeting_previous(meeting=meeting)
    attendances = list(meeting.attendances.select_related("user", "partner"))
    return {
        "meeting": meeting,
        "can_view_notes": user_may(user, "meeting.view_notes", meeting),
        "can_manage": user_may(user, "meeting.manage", meeting),
        "attendances": attendances,
        "attendance_summary": attendance_summary(meeting=meeting, attendances=attendances),
        "attachments": list(meeting.attachments.all()),
        "items": meeting_action_items(meeting=meeting, user=user),
        "previous": previous,
        "previous_items": (
            meeting_action_items(meeting=previous, user=user, only_open=True) if previous else []
        ),
    }


def meeting_notes_items_by_recipient(
    *, meeting: Meeting, users: list[User]
) -> dict[int, list[ActionItem]]:
    """{user id: this meeting's items that person owns, directly or through a partner}."""
    user_ids = [u.pk for u in users]
    partners_of: dict[int, set[int]] = defaultdict(set)
    for user_id, partner_id in Membership.objects.filter(
        user_id__in=user_ids, partner__status=Partner.Status.ACTIVE
    ).values_list("user_id", "partner_id"):
        partners_of[user_id].add(partner_id)
    partner_ids = set().union(*partners_of.values()) if partners_of else set()
    items = (
        ActionItem.objects.filter(meeting=meeting)
        .exclude(owner_kind=OwnerKind.ALL_PARTNERS)
        .exclude(status=Status.CANCELLED)
        .filter(Q(owner_user_id__in=user_ids) | Q(owner_partner_id__in=partner_ids))
        .select_related("owner_user", "owner_partner", "parent")
        .order_by(*DUE_ORDER)
    )
    by_user: dict[int, list[ActionItem]] = defaultdict(list)
    by_partner: dict[int, list[ActionItem]] = defaultdict(list)
    for item in items:
        if item.owner_user_id:
            by_user[item.owner_user_id].append(item)
        else:
            by_partner[item.owner_partner_id].append(item)
    result = {}
    for user_id in user_ids:
        own = list(by_user[user_id])
        for partner_id in sorted(partners_of[user_id]):
            own.extend(by_partner[partner_id])
        result[user_id] = sorted(own, key=lambda i: (i.due_on is None, i.due_on or date.min, i.pk))
    return result


# --- action items ---------------------------------------------------------------------------


def action_item_detail(*, item: ActionItem, user) -> dict:
    item = (
        ActionItem.objects.select_related(
            "meeting", "owner_user", "owner_partner", "completed_by", "parent"
        )
        .filter(pk=item.pk)
        .get()
    )
    _with_checklists([item], user=user)
    return {"item": item, "can_manage": user_may(user, "meeting.manage", item)}


def action_items_for_user(*, user, status: str = Status.OPEN) -> QuerySet[ActionItem]:
    """Items the person owns, or that a partner they belong to owns (any role reads them;
    leads and editors may tick them)."""
    partner_ids = list(memberships(user))
    items = (
        ActionItem.objects.filter(Q(owner_user=user) | Q(owner_partner_id__in=partner_ids))
        .exclude(owner_kind=OwnerKind.ALL_PARTNERS)
        .select_related("meeting", "owner_user", "owner_partner", "completed_by", "parent")
    )
    if status == Status.DONE:
        return items.filter(status=Status.DONE).order_by("-completed_at", "-id")
    if status == Status.OPEN:
        items = items.filter(status=Status.OPEN)
    return items.order_by(*DUE_ORDER)


def action_items_network(*, status: str = Status.OPEN) -> QuerySet[ActionItem]:
    """Coordinators' overview: every top-level item, with all-partner progress counted."""
    items = (
        ActionItem.objects.filter(parent__isnull=True)
        .select_related("meeting", "owner_user", "owner_partner", "completed_by")
        .annotate(
            total_count=Count("children", filter=~Q(children__status=Status.CANCELLED)),
            done_count=Count("children", filter=Q(children__status=Status.DONE)),
        )
    )
    if status in {Status.OPEN, Status.DONE}:
        items = items.filter(status=status)
    return items.order_by(*DUE_ORDER)


def action_items_mark_tickable(items, *, user) -> None:
    for item in items:
        item.can_tick = user_may(user, "action_item.tick", item)


def action_items_due(
    *,
    now: datetime,
    within: timedelta = timedelta(days=14),
    overdue_for: timedelta | None = None,
) -> QuerySet[ActionItem]:
    """For the reminder engine: open items due on or before (today + within), overdue ones
    included (only those overdue for at most ``overdue_for`` when given), today taken in
    the network's time zone. Only items somebody ticks: person items, partner items and
    each partner's child of an all-partner item; never the all-partner parent itself nor
    the item of a partner that is no longer active. Served by the (status, due_on) index.
    The partner's leads and editors come prefetched (``reminder_memberships``), so
    ``action_item_reminder_recipients`` runs no query: a fixed number of queries in all."""
    today = timezone.localdate(now)
    items = ActionItem.objects.filter(
        status=Status.OPEN, due_on__isnull=False, due_on__lte=today + within
    )
    if overdue_for is not None:
        items = items.filter(due_on__gte=today - overdue_for)
    return (
        items.exclude(owner_kind=OwnerKind.ALL_PARTNERS)
        .filter(Q(owner_partner__isnull=True) | Q(owner_partner__status=Partner.Status.ACTIVE))
        .select_related("meeting", "owner_user", "owner_partner", "parent")
        .prefetch_related(
            Prefetch(
                "owner_partner__memberships",
                queryset=Membership.objects.filter(
                    role__in=[Membership.Role.LEAD, Membership.Role.EDITOR],
                    user__is_active=True,
                )
                .select_related("user")
                .order_by("role", "user__full_name"),
                to_attr="reminder_memberships",
            )
        )
        .order_by("due_on", "id")
    )


def action_item_reminder_recipients(
    *, item: ActionItem, editor_opt_in: set[int] = frozenset()
) -> list[tuple[User, str]]:
    """Who is reminded of an item, as (user, role) pairs, by the rule used for MOU blocks:
    - a person's item: that person ("owner"), if still active;
    - a partner's item (including each partner's part of an all-partner item): the
      partner's leads, and its editors who asked for reminders (``editor_opt_in``: their
      user ids); a partner with no lead falls back on all its editors, so nothing due goes
      unannounced.
    No query when the item comes from ``action_items_due``."""
    if item.owner_kind == OwnerKind.PERSON:
        user = item.owner_user
        return [(user, "owner")] if user and user.is_active else []
    if item.owner_kind != OwnerKind.PARTNER:
        return []
    rows = getattr(item.owner_partner, "reminder_memberships", None)
    if rows is None:
        rows = list(
            item.owner_partner.memberships.filter(
                role__in=[Membership.Role.LEAD, Membership.Role.EDITOR], user__is_active=True
            )
            .select_related("user")
            .order_by("role", "user__full_name")
        )
    leads = [m for m in rows if m.role == Membership.Role.LEAD]
    editors = [m for m in rows if m.role == Membership.Role.EDITOR]
    chosen = leads + [m for m in editors if m.user_id in editor_opt_in] if leads else editors
    return [(m.user, m.role) for m in chosen]


# --- search -------------------------------------------------------------------------------


def meetings_search(*, user, query: str, limit: int = 50) -> dict:
    """Meetings by title, agenda, notes and decisions (draft notes only for coordinators),
    and action items by description."""
    query = query.strip()
    if not query:
        return {"meetings": [], "items": [], "more": False}
    may_see_drafts = is_coordinator(user)
    record = Q(notes__icontains=query) | Q(decisions__icontains=query)
    if not may_see_drafts:
        record &= Q(notes_published_at__isnull=False)
    meetings = list(
        Meeting.objects.filter(Q(title__icontains=query) | Q(agenda__icontains=query) | record)
        .select_related("workgroup")
        .order_by("-starts_at", "-id")[: limit + 1]
    )
    needle = query.lower()
    for meeting in meetings:
        fields = ["title", "agenda"]
        if may_see_drafts or meeting.notes_published_at:
            fields += ["notes", "decisions"]
        meeting.matched_in = [f for f in fields if needle in getattr(meeting, f).lower()]
    items = list(
        ActionItem.objects.filter(parent__isnull=True, description__icontains=query)
        .select_related("meeting", "owner_user", "owner_partner")
        .order_by("-created_at", "-id")[: limit + 1]
    )
    return {
        "meetings": meetings[:limit],
        "items": items[:limit],
        "more": len(meetings) > limit or len(items) > limit,
    }


# --- calendar -----------------------------------------------------------------------------


def _uid(kind: str, pk: int) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "portal"
    return f"{kind}-{pk}@{host}"


PARTSTAT = {
    Attendance.Status.INVITED: "NEEDS-ACTION",
    Attendance.Status.ATTENDED: "ACCEPTED",
    Attendance.Status.ABSENT: "DECLINED",
}


def _organizer(meeting: Meeting) -> tuple[str, str]:
    """The coordinator who recorded the meeting, else the portal's own address."""
    person = meeting.created_by
    if person is not None and person.email:
        return (str(person), person.email)
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return (name or settings.NETWORK_NAME, email)


def meeting_calendar_entry(
    meeting: Meeting, *, reader: User, own_line: bool = True
) -> CalendarEntry:
    """A meeting as a calendar shows it: the agenda as plain text (no Markdown), who calls
    it, who is on the list with their answer, and the link to its page. E-mail addresses
    are contact details: a coordinator's calendar lists every attendee, anyone else's only
    the reader themselves (their own answer), and not even that with ``own_line=False``
    (the secret feed address, which whoever holds it reads). Reads ``created_by`` and the
    attendances (with users and partners) as loaded."""
    url = settings.SITE_URL + meeting.get_absolute_url()
    agenda = plain_text(markdown_cooked(obj=meeting, field="agenda")) if meeting.agenda else ""
    parts = []
    if meeting.video_url:
        parts.append(f"Video link: {meeting.video_url}")
    if agenda:
        parts.append(f"Agenda:\n{agenda}")
    parts.append(f"The meeting's page: {url}")
    everyone = is_coordinator(reader)
    attendees = tuple(
        (row.name, row.email, PARTSTAT.get(row.status, "NEEDS-ACTION"))
        for row in meeting.attendances.all()
        if row.email and (everyone or (own_line and row.user_id == reader.pk))
    )
    return CalendarEntry(
        uid=_uid("meeting", meeting.pk),
        summary=meeting.title,
        start=meeting.starts_at,
        end=meeting.ends_at,
        description="\n\n".join(parts),
        location=meeting.place or meeting.video_url,
        url=url,
        modified=meeting.updated_at,
        organizer=_organizer(meeting),
        attendees=attendees,
    )


def action_item_calendar_entry(item: ActionItem) -> CalendarEntry:
    url = settings.SITE_URL + item.get_absolute_url()
    owner = item.owner_display
    return CalendarEntry(
        uid=_uid("action-item", item.pk),
        summary=f"Due: {item.description[:120]}",
        start=item.due_on,
        # An all-day entry ends the next day; an item due on the calendar's last day
        # (stored before dates were bounded) ends with it.
        end=item.due_on + timedelta(days=1) if item.due_on < date.max else item.due_on,
        description=f"Action item for {owner}.\n{item.description}\n\n{url}",
        url=url,
        modified=item.updated_at,
    )


CALENDAR_PAST = timedelta(days=365)
CALENDAR_MAX_EVENTS = 1000


def calendar_entries(*, user: User, now: datetime) -> list[CalendarEntry]:
    """A person's feed: network meetings and meetings they are on the list of (all meetings
    for coordinators) from a year back, their open action items with a due date, and
    whatever registered sources add."""
    meetings = Meeting.objects.filter(ends_at__gte=now - CALENDAR_PAST)
    if not is_coordinator(user):
        invited = Attendance.objects.filter(user=user).values("meeting_id")
        meetings = meetings.filter(Q(kind=Meeting.Kind.NETWORK) | Q(pk__in=invited))
    meetings = meetings.select_related("created_by").prefetch_related(
        Prefetch("attendances", queryset=Attendance.objects.select_related("user", "partner"))
    )
    entries = [
        meeting_calendar_entry(m, reader=user, own_line=False)
        for m in meetings.order_by("starts_at")[:CALENDAR_MAX_EVENTS]
    ]
    items = action_items_for_user(user=user).filter(due_on__isnull=False)
    entries += [action_item_calendar_entry(i) for i in items[:CALENDAR_MAX_EVENTS]]
    for source in calendar_sources():
        entries += source(user=user, now=now)
    return entries


def calendar_feed_owner(*, token_hash: str) -> User | None:
    """The person whose live feed has this token hash, if they are still in the network."""
    feed = (
        CalendarFeed.objects.filter(
            token_hash=token_hash, revoked_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    if feed is None or not is_network_member(feed.user):
        return None
    return feed.user
