"""One reminder engine for every kind of deadline.

A *source* (``mou.reminders``, ``meetings.reminders``, ...) says what is due: for each
subject with a deadline (a role block, an action item, a signature request) it works out
the current stage with ``stage_current`` and lists who should hear about it. The engine
claims each (subject, stage, recipient) once in the database and writes the e-mails to the
outbox, which delivers them after the commit, with retries.

A sweep selects a window, never an exact date: a subject's current stage is the latest
stage whose moment has passed, so a sweep that runs late (a worker down for two days)
sends the latest due stage once, not a burst of the stages it missed, and skips nothing
that is still due.
"""

from __future__ import annotations

import functools
import logging
import uuid
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from core.actor import Actor
from core.models import OutboxMessage, Reminder, ReminderPreference, ReminderSchedule, User
from core.services.events import event_record
from core.services.outbox import outbox_send_templated_many
from core.services.signin import link_signs_in, signin_link_make

logger = logging.getLogger(__name__)

DEFAULT_DAYS_BEFORE = (14, 7, 2, 0)
DEFAULT_OVERDUE_EVERY_DAYS = 7
DEFAULT_OVERDUE_MAX = 4
# Stage e-mails go out in the morning of their day, in the network's time zone.
SEND_AT = time(8, 0)
# Two hours before this is still a moment Python can hold.
_EARLIEST_SHIFTABLE = datetime(1, 1, 1, 3, 0, tzinfo=UTC)
MANUAL_LIMIT_PER_DAY = 2
# A subject reminded (by a sweep or by hand) this recently gets another reminder by hand
# only when the coordinator confirms it.
RECENT = timedelta(hours=24)


# --- stages ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ScheduleSpec:
    days_before: tuple[int, ...] = DEFAULT_DAYS_BEFORE
    overdue_every_days: int = DEFAULT_OVERDUE_EVERY_DAYS
    overdue_max: int = DEFAULT_OVERDUE_MAX


@dataclass(frozen=True)
class Stage:
    key: str
    label: str
    due_at: datetime
    days_before: int | None  # None once overdue
    overdue_count: int = 0

    @property
    def is_overdue(self) -> bool:
        return self.days_before is None


# A stored stage key is "<kind>-<number>": days before the deadline, the how-manieth
# overdue reminder, the how-manieth reminder by hand. Built and read only here.
BEFORE, OVERDUE, MANUAL = "before", "overdue", "manual"
MANUAL_LABEL = "a reminder from the coordinator"


def _stage_key(kind: str, number: int) -> str:
    return f"{kind}-{number}"


def stage_key_before(days: int) -> str:
    """The key of the stage ``days`` days before the deadline, for a source that treats one
    stage specially (the MOU copies the signing leader at two days before)."""
    return _stage_key(BEFORE, days)


def stage_label(stage: str) -> str:
    """A stored stage key as the dashboard says it: 'before-7' → '7 days before',
    'overdue-2' → 'overdue (2)', 'manual-1' → 'sent by hand'; any other key as it is."""
    kind, _, number = stage.partition("-")
    if kind == BEFORE and number.isdigit():
        days = int(number)
        if days == 0:
            return "on the deadline day"
        return f"{days} day{'s' if days != 1 else ''} before"
    if kind == OVERDUE and number.isdigit():
        return f"overdue ({number})"
    if kind == MANUAL:
        return "sent by hand"
    return stage


def stage_manual(*, now: datetime) -> Stage:
    """The stage of a reminder by hand for a subject with no scheduled stage due yet."""
    return Stage(key=MANUAL, label=MANUAL_LABEL, due_at=now, days_before=None)


def _morning_of(day, tz) -> datetime:
    return datetime.combine(day, SEND_AT, tzinfo=tz)


def _day_shifted(day: date, days: int) -> date | None:
    """The day so many days later (or earlier), or None past the calendar's ends: a stage
    of a deadline in year 9999 or year 1, stored before dates were bounded, is one no
    sweep will reach, or one as past as the first of them."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return None


def stages_for(*, deadline: datetime, spec: ScheduleSpec) -> list[Stage]:
    return list(_stages(deadline, spec, timezone.get_default_timezone()))


@functools.lru_cache(maxsize=4096)
def _stages(deadline: datetime, spec: ScheduleSpec, tz) -> tuple[Stage, ...]:
    # A sweep asks for thousands of subjects sharing few deadlines (every block of a
    # version, the items due on one day): each set of stages is worked out once.
    local_deadline = timezone.localtime(deadline, tz)
    stages: list[Stage] = []
    for days in sorted(set(spec.days_before), reverse=True):
        day = _day_shifted(local_deadline.date(), -days)
        if day is None:
            continue
        due = _morning_of(day, tz)
        if days == 0:
            # The day itself: in the morning, or earlier when the deadline is that early.
            if deadline > _EARLIEST_SHIFTABLE:
                due = min(due, deadline - timedelta(hours=2))
            label = "today is the deadline"
        else:
            label = f"{days} day{'s' if days != 1 else ''} before the deadline"
        stages.append(
            Stage(key=_stage_key(BEFORE, days), label=label, due_at=due, days_before=days)
        )
    for n in range(1, spec.overdue_max + 1):
        day = _day_shifted(local_deadline.date(), n * spec.overdue_every_days)
        if day is None:
            break
        due = _morning_of(day, tz)
        stages.append(
            Stage(
                key=_stage_key(OVERDUE, n),
                label=f"overdue ({n})",
                due_at=due,
                days_before=None,
                overdue_count=n,
            )
        )
    return tuple(sorted(stages, key=lambda s: s.due_at))


def stage_current(*, deadline: datetime, spec: ScheduleSpec, now: datetime) -> Stage | None:
    """The latest stage whose moment has passed: the window a sweep works in."""
    current = None
    for stage in stages_for(deadline=deadline, spec=spec):
        if stage.due_at <= now:
            current = stage
    return current


def schedules_for(owners: Iterable[models.Model]) -> dict[tuple[int, int], ScheduleSpec]:
    """{(content type id, owner id): spec} for the given owners, in one query."""
    owners = list(owners)
    if not owners:
        return {}
    ct_ids = {ContentType.objects.get_for_model(o).pk for o in owners}
    rows = ReminderSchedule.objects.filter(
        owner_type_id__in=ct_ids, owner_id__in={o.pk for o in owners}
    )
    return {
        (row.owner_type_id, row.owner_id): ScheduleSpec(
            days_before=tuple(row.days_before) or DEFAULT_DAYS_BEFORE,
            overdue_every_days=row.overdue_every_days,
            overdue_max=row.overdue_max,
        )
        for row in rows
    }


def schedule_spec(owner: models.Model, cache: dict | None = None) -> ScheduleSpec:
    key = (ContentType.objects.get_for_model(owner).pk, owner.pk)
    if cache is None:
        cache = schedules_for([owner])
    return cache.get(key, ScheduleSpec())


def schedule_forget(*, owner: models.Model) -> None:
    """Drop an owner's own stages (the owner is being deleted), so no row outlives it."""
    ReminderSchedule.objects.filter(
        owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk
    ).delete()


def schedule_set(
    *,
    owner: models.Model,
    days_before: list[int],
    overdue_every_days: int,
    overdue_max: int,
    actor: Actor,
) -> ReminderSchedule:
    if any(d < 0 or d > 365 for d in days_before) or not days_before:
        raise ValueError("Stages are whole days before the deadline, from 0 to 365.")
    if not 1 <= overdue_every_days <= 60 or not 0 <= overdue_max <= 12:
        raise ValueError("Overdue reminders repeat every 1 to 60 days, at most 12 times.")
    row, _ = ReminderSchedule.objects.update_or_create(
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=owner.pk,
        defaults={
            "days_before": sorted(set(days_before), reverse=True),
            "overdue_every_days": overdue_every_days,
            "overdue_max": overdue_max,
        },
    )
    event_record(
        action="reminders.schedule_changed",
        actor=actor,
        subject=owner,
        summary=f"Reminder stages: {row.days_before} days before; every {overdue_every_days} "
        f"days overdue, at most {overdue_max} times",
    )
    return row


# --- what sources hand the engine -----------------------------------------------------------


@dataclass(frozen=True)
class Recipient:
    email: str
    role: str
    user: User | None = None
    # Users get a personal sign-in link that opens this path; others get a plain link.
    link_path: str | None = None
    # Or an absolute link used as it is (a signing link, which is no sign-in link), or a
    # callable making one, called only when the reminder is really sent.
    link: str | Callable[[], str] | None = None


@dataclass
class Due:
    subject: models.Model
    stage: str
    stage_label: str
    due_at: datetime
    recipients: list[Recipient]
    template: str
    context: dict = field(default_factory=dict)
    link_expires_at: datetime | None = None
    # The subject line, worked out by the source (it carries logic: the stage, the state,
    # the recipient's role); None lets ``emails/<template>_subject.txt`` make it.
    subject_line: str | Callable[[Recipient], str] | None = None


class ReminderSource(ABC):
    """Subclass, set ``name`` and register with ``@reminder_source``."""

    name: str = ""

    @abstractmethod
    def due(self, *, now: datetime) -> Iterable[Due]:
        """Every reminder whose stage window is open now, with its recipients."""

    @abstractmethod
    def due_for(self, *, subject: models.Model, now: datetime) -> Due | None:
        """The reminder a coordinator's "remind now" would send for one subject."""

    def refusal(self, *, subject: models.Model) -> str | None:
        """Why the subject cannot be reminded by hand at all (``reminder_send_now`` raises
        NotRemindable with it), or None. By default every subject may be: ``due_for``
        finding nothing due is then "nobody to remind"."""
        return None

    def due_for_many(self, *, subjects: list[models.Model], now: datetime) -> list[Due | None]:
        """``due_for`` of each subject, in order; sources override it to batch the queries."""
        return [self.due_for(subject=subject, now=now) for subject in subjects]


_SOURCES: dict[str, ReminderSource] = {}


def reminder_source(cls: type[ReminderSource]) -> type[ReminderSource]:
    _SOURCES[cls.name] = cls()
    return cls


def sources() -> dict[str, ReminderSource]:
    return dict(_SOURCES)


def with_delegates(
    recipients: list[Recipient], prefs: dict[int, ReminderPreference]
) -> list[Recipient]:
    """Add each person's delegate (a copy, without the person's own sign-in link)."""
    out = list(recipients)
    seen = {r.email.lower() for r in recipients}
    for r in recipients:
        pref = prefs.get(r.user.pk) if r.user else None
        if pref and pref.delegate_email and pref.delegate_email.lower() not in seen:
            seen.add(pref.delegate_email.lower())
            out.append(
                Recipient(
                    email=pref.delegate_email, role=Reminder.Role.DELEGATE, link_path=r.link_path
                )
            )
    return out


def preferences_for(user_ids: Iterable[int]) -> dict[int, ReminderPreference]:
    return {p.user_id: p for p in ReminderPreference.objects.filter(user_id__in=set(user_ids))}


# Subjects asked about in one query (well under SQLite's limit of bound variables).
TOLD_CHUNK = 5000


def dues_not_yet_told(*, dues: list[Due], kinds: Iterable[str]) -> list[Due]:
    """``dues`` without the recipients an e-mail already told: a stage that comes due
    within a day of an e-mail of one of ``kinds`` about the same subject to the same person
    (the invitation that opened the block), or of a reminder by hand, counts as sent by
    it; a lead invited minutes after the 14-day stage's moment gets no "Reminder:" at the
    next sweep. An e-mail the outbox gave up on does not count. A due nobody is left to
    hear is dropped. One query per subject type (and per 5,000 subjects)."""
    told: dict[tuple, datetime] = {}
    for model in {type(due.subject) for due in dues}:
        mine = [due for due in dues if type(due.subject) is model]
        since = min(due.due_at for due in mine) - RECENT
        ids = sorted({due.subject.pk for due in mine})
        for start in range(0, len(ids), TOLD_CHUNK):
            rows = (
                OutboxMessage.objects.filter(
                    about_type=ContentType.objects.get_for_model(model),
                    about_id__in=ids[start : start + TOLD_CHUNK],
                    created_at__gt=since,
                )
                .filter(models.Q(kind__in=list(kinds)) | models.Q(reminder__manual=True))
                # An e-mail the outbox gave up on told nobody: the stage is still owed.
                .exclude(status=OutboxMessage.Status.GAVE_UP)
                .values_list("about_id", "to_email")
                .annotate(last=models.Max("created_at"))
                .order_by()
            )
            for subject_id, email, last in rows:
                key = (model, subject_id, email.lower())
                told[key] = max(last, told.get(key, last))
    if not told:
        return dues
    kept = []
    for due in dues:
        model = type(due.subject)
        due.recipients = [
            r
            for r in due.recipients
            if not (
                (when := told.get((model, due.subject.pk, r.email.lower())))
                and due.due_at < when + RECENT
            )
        ]
        if due.recipients:
            kept.append(due)
    return kept


# --- the sweep --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SweepLine:
    """One reminder a sweep sent (or, in a preview, would send): who gets what, and why."""

    source: str
    subject: str
    stage_label: str
    recipient_email: str
    role: str
    template: str


@dataclass
class SweepResult:
    considered: int = 0
    claimed: int = 0
    skipped_already_sent: int = 0
    by_source: dict[str, int] = field(default_factory=dict)
    lines: list[SweepLine] = field(default_factory=list)


def _key(ct_id: int, subject_id: int, stage: str, email: str) -> tuple:
    return (ct_id, subject_id, stage, email.lower())


def reminders_sweep(*, now: datetime | None = None, dry_run: bool = False) -> SweepResult:
    """Claim and send every reminder that is due now. With ``dry_run`` nothing is claimed
    or sent: the result lists what a sweep would send at this moment."""
    now = now or timezone.now()
    result = SweepResult()
    for name, source in sources().items():
        dues = list(source.due(now=now))
        if dry_run:
            planned = _unclaimed(dues=dues)
            claimed = len(planned)
            result.lines.extend(
                _line(source=name, due=due, recipient=recipient)
                for due, recipient in planned.values()
            )
        else:
            claimed = _claim_and_send(source=name, dues=dues, now=now, lines=result.lines)
        result.considered += sum(len(d.recipients) for d in dues)
        result.claimed += claimed
        result.by_source[name] = claimed
    result.skipped_already_sent = result.considered - result.claimed
    return result


def _line(*, source: str, due: Due, recipient: Recipient) -> SweepLine:
    return SweepLine(
        source=source,
        subject=str(due.subject),
        stage_label=due.stage_label,
        recipient_email=recipient.email,
        role=recipient.role,
        template=due.template,
    )


def _unclaimed(*, dues: list[Due]) -> dict[tuple, tuple[Due, Recipient]]:
    """{claim key: (due, recipient)} for every recipient of ``dues`` not claimed yet."""
    ct_by_model: dict[type, ContentType] = {}
    planned: dict[tuple, tuple[Due, Recipient]] = {}
    for due in dues:
        model = type(due.subject)
        ct = ct_by_model.setdefault(model, ContentType.objects.get_for_model(model))
        for recipient in due.recipients:
            planned.setdefault(
                _key(ct.pk, due.subject.pk, due.stage, recipient.email), (due, recipient)
            )
    # Leave out what an earlier sweep already claimed (one query per subject type), then
    # claim the rest; a concurrent sweep's rows make ours conflict and be ignored.
    for ct in ct_by_model.values():
        ids = [k[1] for k in planned if k[0] == ct.pk]
        stages = {k[2] for k in planned if k[0] == ct.pk}
        for chunk_start in range(0, len(ids), 5000):
            existing = Reminder.objects.filter(
                subject_type=ct,
                subject_id__in=ids[chunk_start : chunk_start + 5000],
                stage__in=stages,
            ).values_list("subject_type_id", "subject_id", "stage", "recipient_email")
            for row in existing:
                planned.pop(_key(*row), None)
    return planned


def _claim_and_send(
    *,
    source: str,
    dues: list[Due],
    now: datetime,
    manual_by: User | None = None,
    lines: list[SweepLine] | None = None,
) -> int:
    if not dues:
        return 0
    planned = _unclaimed(dues=dues)
    if not planned:
        return 0
    sweep = uuid.uuid4()
    with transaction.atomic():
        Reminder.objects.bulk_create(
            [
                Reminder(
                    source=source,
                    subject_type_id=key[0],
                    subject_id=key[1],
                    stage=key[2],
                    recipient_email=key[3],
                    recipient=recipient.user,
                    role=recipient.role,
                    due_at=due.due_at,
                    claimed_at=now,
                    sweep=sweep,
                    manual=manual_by is not None,
                    sent_by=manual_by,
                )
                for key, (due, recipient) in planned.items()
            ],
            ignore_conflicts=True,
            batch_size=1000,
        )
        mine = list(Reminder.objects.filter(sweep=sweep))
        outgoing = []
        for reminder in mine:
            due, recipient = planned[
                _key(
                    reminder.subject_type_id,
                    reminder.subject_id,
                    reminder.stage,
                    reminder.recipient_email,
                )
            ]
            outgoing.append(_outgoing(due=due, recipient=recipient, manual=manual_by is not None))
            if lines is not None:
                lines.append(_line(source=source, due=due, recipient=recipient))
        # A sweep can send thousands: the outbox stores them with multi-row INSERTs.
        for reminder, message in zip(mine, outbox_send_templated_many(outgoing), strict=True):
            reminder.message = message
        Reminder.objects.bulk_update(mine, ["message"], batch_size=1000)
    return len(mine)


def _outgoing(*, due: Due, recipient: Recipient, manual: bool) -> dict:
    """The e-mail of one claimed reminder, as ``outbox_send_templated``'s arguments."""
    link = recipient.link() if callable(recipient.link) else recipient.link
    if link is None and recipient.link_path:
        if recipient.user is not None:
            link = signin_link_make(
                user=recipient.user, next_path=recipient.link_path, expires_at=due.link_expires_at
            )
        else:
            link = settings.SITE_URL + recipient.link_path
    subject = due.subject_line(recipient) if callable(due.subject_line) else due.subject_line
    return {
        "to": recipient.user or recipient.email,
        "template": due.template,
        "about": due.subject,
        "subject": subject,
        "context": {
            **due.context,
            "stage": due.stage,
            "stage_label": due.stage_label,
            "role": recipient.role,
            "link": link,
            # Coordinators and staff get the page's plain address (they sign in with their
            # password): the e-mail must not call it a personal sign-in link.
            "personal_link": link_signs_in(recipient.user),
            "manual": manual,
            "recipient_email": recipient.email,
        },
        "kind": f"reminder:{due.template}",
    }


class ManualLimitReached(Exception):
    pass


class NotRemindable(Exception):
    """The source's rule says the subject gets no reminder (the message says why)."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(reason)


class RecentlyReminded(Exception):
    """The subject was reminded less than a day ago: another needs the coordinator's yes."""

    def __init__(self, last_at: datetime):
        self.last_at = last_at
        super().__init__("A reminder was already sent in the last 24 hours.")


def reminded_recently(*, subjects: list[models.Model], now: datetime) -> dict[int, datetime]:
    """{subject id: its latest reminder's time} for the subjects (one type) reminded in the
    last 24 hours, by a sweep or by hand, in one query."""
    if not subjects:
        return {}
    ct = ContentType.objects.get_for_model(type(subjects[0]))
    rows = (
        Reminder.objects.filter(
            subject_type=ct,
            subject_id__in=[s.pk for s in subjects],
            claimed_at__gte=now - RECENT,
        )
        .values("subject_id")
        .annotate(last=models.Max("claimed_at"))
    )
    return {row["subject_id"]: row["last"] for row in rows}


def _manual_counts(*, subjects: list[models.Model], now: datetime) -> tuple[dict, dict]:
    """({subject id: manual reminders ever}, {subject id: manual reminders today})."""
    ct = ContentType.objects.get_for_model(type(subjects[0]))
    rows = (
        Reminder.objects.filter(
            subject_type=ct, subject_id__in=[s.pk for s in subjects], manual=True
        )
        .values("subject_id")
        .annotate(
            total=models.Count("stage", distinct=True),
            today=models.Count(
                "stage", distinct=True, filter=models.Q(claimed_at__gte=now - RECENT)
            ),
        )
    )
    total = {row["subject_id"]: row["total"] for row in rows}
    today = {row["subject_id"]: row["today"] for row in rows}
    return total, today


def _as_manual(due: Due, *, number: int) -> Due:
    due.stage = _stage_key(MANUAL, number)
    due.stage_label = MANUAL_LABEL
    return due


def reminder_send_now(
    *,
    source: str,
    subject: models.Model,
    actor: Actor,
    now: datetime | None = None,
    confirmed: bool = False,
) -> int:
    """A coordinator's "remind now": the subject's current reminder, sent at once. Once a
    day freely; a second time within 24 hours of any reminder only when ``confirmed``; and
    never more than MANUAL_LIMIT_PER_DAY times a day by hand. Raises NotRemindable when the
    source's rule refuses the subject, before anything else is checked; returns 0 when
    there is nobody to remind."""
    now = now or timezone.now()
    reason = sources()[source].refusal(subject=subject)
    if reason is not None:
        raise NotRemindable(reason)
    total, today = _manual_counts(subjects=[subject], now=now)
    if today.get(subject.pk, 0) >= MANUAL_LIMIT_PER_DAY:
        raise ManualLimitReached(
            f"{MANUAL_LIMIT_PER_DAY} reminders were already sent by hand in the last 24 hours."
        )
    if not confirmed:
        recent = reminded_recently(subjects=[subject], now=now)
        if subject.pk in recent:
            raise RecentlyReminded(recent[subject.pk])
    due = sources()[source].due_for(subject=subject, now=now)
    if due is None or not due.recipients:
        return 0
    _as_manual(due, number=total.get(subject.pk, 0) + 1)
    claimed = _claim_and_send(source=source, dues=[due], now=now, manual_by=actor.user)
    event_record(
        action="reminders.sent_by_hand",
        actor=actor,
        subject=subject,
        summary=f"Reminder sent by hand to {claimed} "
        f"{'recipient' if claimed == 1 else 'recipients'}",
    )
    return claimed


@dataclass
class BulkReminders:
    """What "remind all pending" sends (or would send): reminders per subject, split by
    whether the subject was reminded in the last 24 hours."""

    fresh: list[Due] = field(default_factory=list)
    recent: list[Due] = field(default_factory=list)
    # Reminded by hand MANUAL_LIMIT_PER_DAY times today: skipped even when confirmed.
    at_limit: list[models.Model] = field(default_factory=list)
    # Nobody to remind (no lead, nor an editor who asked for reminders).
    nobody: list[models.Model] = field(default_factory=list)
    sent: int = 0
    included_recent: bool = False

    @staticmethod
    def people(dues: list[Due]) -> int:
        return len({r.email.lower() for due in dues for r in due.recipients})


def reminders_plan_now(
    *, source: str, subjects: list[models.Model], now: datetime | None = None
) -> BulkReminders:
    """The reminders "remind all pending" would send now, in a constant number of queries."""
    now = now or timezone.now()
    plan = BulkReminders()
    if not subjects:
        return plan
    recent = reminded_recently(subjects=subjects, now=now)
    total, today = _manual_counts(subjects=subjects, now=now)
    dues = sources()[source].due_for_many(subjects=subjects, now=now)
    for subject, due in zip(subjects, dues, strict=True):
        if due is None or not due.recipients:
            plan.nobody.append(subject)
        elif today.get(subject.pk, 0) >= MANUAL_LIMIT_PER_DAY:
            plan.at_limit.append(subject)
        else:
            _as_manual(due, number=total.get(subject.pk, 0) + 1)
            (plan.recent if subject.pk in recent else plan.fresh).append(due)
    return plan


def reminders_send_now_many(
    *,
    source: str,
    subjects: list[models.Model],
    actor: Actor,
    include_recent: bool,
    about: models.Model | None = None,
    now: datetime | None = None,
) -> BulkReminders:
    """A coordinator's "remind all pending": each subject's reminder at once, leaving out
    those reminded in the last 24 hours unless ``include_recent``. One event records it."""
    now = now or timezone.now()
    plan = reminders_plan_now(source=source, subjects=subjects, now=now)
    dues = plan.fresh + (plan.recent if include_recent else [])
    plan.included_recent = include_recent
    plan.sent = _claim_and_send(source=source, dues=dues, now=now, manual_by=actor.user)
    skipped = 0 if include_recent else len(plan.recent)
    if dues:
        event_record(
            action="reminders.sent_to_all",
            actor=actor,
            subject=about or actor.user,
            summary=f"Reminders sent by hand: {plan.sent} e-mails for {len(dues)} "
            f"{'subject' if len(dues) == 1 else 'subjects'}; {skipped} reminded in the last "
            "24 hours left out",
        )
    return plan
