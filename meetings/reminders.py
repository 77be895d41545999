"""Deadline reminders for action items, a source of the one reminder engine.

An item's deadline is the end of its due day in the network's time zone. Its stages are
those of its meeting's reminder schedule (core.ReminderSchedule owned by the meeting) or
the engine's defaults: 14, 7 and 2 days before, the day itself, then weekly while overdue.
The engine claims each (item, stage, recipient) once, so a ticked item stops at once and
nothing is sent twice.
"""

from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from core.models import Reminder, ReminderSchedule
from core.services import reminders as engine
from meetings.models import ActionItem, Meeting
from meetings.selectors import action_item_reminder_recipients, action_items_due

END_OF_DAY = time(23, 59, 59)


def item_deadline(item: ActionItem) -> datetime:
    return datetime.combine(item.due_on, END_OF_DAY, tzinfo=timezone.get_default_timezone())


def _window() -> tuple[timedelta, timedelta]:
    """How far ahead and how far back a sweep must look, given every meeting's stages."""
    specs = [engine.ScheduleSpec()] + [
        engine.ScheduleSpec(
            days_before=tuple(row.days_before) or engine.DEFAULT_DAYS_BEFORE,
            overdue_every_days=row.overdue_every_days,
            overdue_max=row.overdue_max,
        )
        for row in ReminderSchedule.objects.filter(
            owner_type=ContentType.objects.get_for_model(Meeting)
        )
    ]
    ahead = max(max(spec.days_before) for spec in specs)
    back = max(spec.overdue_every_days * spec.overdue_max for spec in specs)
    return timedelta(days=ahead + 1), timedelta(days=back + 1)


def _candidate_ids(item: ActionItem) -> list[int]:
    """Everyone who might be reminded of the item, whose preferences therefore matter."""
    if item.owner_kind == ActionItem.OwnerKind.PERSON:
        return [item.owner_user_id]
    rows = getattr(item.owner_partner, "reminder_memberships", None)
    if rows is None:
        return list(
            item.owner_partner.memberships.filter(role__in=["lead", "editor"]).values_list(
                "user_id", flat=True
            )
        )
    return [m.user_id for m in rows]


def _opted_in(prefs: dict) -> set[int]:
    return {user_id for user_id, pref in prefs.items() if pref.editor_opt_in}


def _due(
    item: ActionItem, stage: engine.Stage, prefs: dict, now: datetime, opted_in: set[int]
) -> engine.Due:
    path = item.get_absolute_url()
    recipients = [
        engine.Recipient(
            email=user.email,
            role=Reminder.Role.OWNER if role == "owner" else role,
            user=user,
            link_path=path,
        )
        for user, role in action_item_reminder_recipients(item=item, editor_opt_in=opted_in)
    ]
    days_left = (item.due_on - timezone.localdate(now)).days
    return engine.Due(
        subject=item,
        stage=stage.key,
        stage_label=stage.label,
        due_at=stage.due_at,
        recipients=engine.with_delegates(recipients, prefs),
        template="meeting_item_reminder",
        context={
            "item": item,
            "partner": item.owner_partner,
            "meeting": item.meeting,
            "due_on": item.due_on,
            "days_left": days_left,
            "overdue": days_left < 0,
            "days_overdue": -days_left,
        },
    )


@engine.reminder_source
class ActionItemDeadlines(engine.ReminderSource):
    name = "meetings.action_item"

    def due(self, *, now: datetime):
        ahead, back = _window()
        items = list(action_items_due(now=now, within=ahead, overdue_for=back))
        specs = engine.schedules_for({item.meeting for item in items if item.meeting})
        current = []
        for item in items:
            spec = engine.schedule_spec(item.meeting, specs) if item.meeting else None
            stage = engine.stage_current(
                deadline=item_deadline(item), spec=spec or engine.ScheduleSpec(), now=now
            )
            if stage is not None:
                current.append((item, stage))
        if not current:
            return []
        prefs = engine.preferences_for(
            user_id for item, _ in current for user_id in _candidate_ids(item)
        )
        opted_in = _opted_in(prefs)  # once, not once per item: a sweep has thousands
        return [_due(item, stage, prefs, now, opted_in) for item, stage in current]

    def due_for(self, *, subject: ActionItem, now: datetime):
        if subject.status != ActionItem.Status.OPEN or subject.due_on is None:
            return None
        if subject.is_all_partners:
            return None
        spec = engine.schedule_spec(subject.meeting) if subject.meeting else engine.ScheduleSpec()
        stage = engine.stage_current(
            deadline=item_deadline(subject), spec=spec, now=now
        ) or engine.stage_manual(now=now)
        prefs = engine.preferences_for(_candidate_ids(subject))
        due = _due(subject, stage, prefs, now, _opted_in(prefs))
        due.due_at = now
        return due
