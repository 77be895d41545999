"""Meetings, action items, and what earlier days left behind (reminders, e-mail, events)
in the synthetic network."""

from __future__ import annotations

from datetime import timedelta

from bench.generate.sizes import COORDINATORS, bulk
from bench.generate.text import PLACES, WORDS


class MeetingParts:
    """Mixed into the builder: uses its ``rng``, ``text``, ``now``, people and partners."""

    def meetings(self) -> None:
        from meetings.models import Attendance, Meeting

        meetings = []
        n = self.sizes.meetings
        for i in range(n):
            # Spread over two years back and two months ahead; one in ten is upcoming.
            upcoming = i % 10 == 0
            days = self.rng.randint(1, 60) if upcoming else -self.rng.randint(1, 730)
            starts = (self.now + timedelta(days=days)).replace(minute=0, second=0, microsecond=0)
            kind = ("network", "workgroup", "workgroup", "breakout", "workgroup")[i % 5]
            workgroup = self.workgroup_list[i % len(self.workgroup_list)]
            past = not upcoming
            meetings.append(
                Meeting(
                    title=f"{kind.title()} meeting {i + 1}: {self.rng.choice(WORDS)}",
                    kind=kind,
                    workgroup=workgroup if kind == "workgroup" else None,
                    series=workgroup.name if kind == "workgroup" else "",
                    starts_at=starts,
                    ends_at=starts + timedelta(hours=2),
                    place=f"{self.rng.choice(PLACES)} room {i % 30}",
                    agenda=self.text.block_text(),
                    notes=self.text.paragraph(4) if past else "",
                    decisions=self.text.sentence() if past else "",
                    notes_published_at=starts + timedelta(days=1) if past and i % 3 else None,
                    notes_published_by=self.coordinators[0] if past and i % 3 else None,
                    created_by=self.coordinators[i % COORDINATORS],
                    created_at=starts - timedelta(days=14),
                )
            )
        self.meeting_list = bulk(Meeting, meetings)
        self.past_meetings = [m for m in self.meeting_list if m.starts_at < self.now]
        attendance = []
        for i, meeting in enumerate(self.meeting_list):
            for k in range(5):
                partner = self.partner_list[(i * 5 + k) % len(self.partner_list)]
                attendance.append(
                    Attendance(
                        meeting=meeting,
                        user=self.lead_of[partner.pk],
                        partner=partner,
                        status="attended" if meeting.starts_at < self.now and k % 4 else "invited",
                    )
                )
        bulk(Attendance, attendance, ignore_conflicts=True)
        self.count("meetings", len(self.meeting_list))
        self.count("attendance", len(attendance))

    def action_items(self) -> None:
        from meetings.models import ActionItem

        recent = max(self.past_meetings, key=lambda m: m.starts_at)
        parent = ActionItem.objects.create(
            meeting=recent,
            description="Every partner: confirm your contact for the spring convening.",
            owner_kind="all_partners",
            due_on=self.today + timedelta(days=10),
            created_by=self.coordinators[0],
        )
        items = [
            ActionItem(
                meeting=recent,
                parent=parent,
                description=parent.description,
                owner_kind="partner",
                owner_partner=partner,
                due_on=parent.due_on,
                status="done" if i % 4 == 0 else "open",
                completed_at=self.now if i % 4 == 0 else None,
                completed_by=self.lead_of[partner.pk] if i % 4 == 0 else None,
                created_by=self.coordinators[0],
            )
            for i, partner in enumerate(self.active)
        ]
        remaining = self.sizes.action_items - len(items) - 1
        for i in range(remaining):
            meeting = self.past_meetings[i % len(self.past_meetings)]
            due = self.today + timedelta(days=self.rng.randint(-150, 45))
            if due < self.today:
                status = ("done", "done", "open", "cancelled", "done")[i % 5]
            else:
                status = "open" if i % 5 else "done"
            by_person = i % 10 < 3
            partner = self.partner_list[i % len(self.partner_list)]
            owner_user = self.users[(i * 7) % len(self.users)] if by_person else None
            items.append(
                ActionItem(
                    meeting=meeting if i % 8 else None,
                    description=self.text.sentence(10),
                    owner_kind="person" if by_person else "partner",
                    owner_user=owner_user,
                    owner_partner=None if by_person else partner,
                    due_on=due if i % 12 else None,
                    status=status,
                    completed_at=self.now - timedelta(days=i % 30) if status == "done" else None,
                    completed_by=(owner_user or self.lead_of[partner.pk])
                    if status == "done"
                    else None,
                    created_by=self.coordinators[i % COORDINATORS],
                    created_at=meeting.starts_at,
                )
            )
        bulk(ActionItem, items)
        self.count("action_items", len(items) + 1)

    # --- what already happened: reminders, e-mail, events ------------------------------------

    def reminders_and_events(self) -> None:
        import uuid

        from django.contrib.contenttypes.models import ContentType

        from core.models import Event, OutboxMessage, Reminder
        from mou.models import RoleBlock

        pending = [b for b in self.blocks if b.status in RoleBlock.EDITABLE_STATUSES]
        messages = bulk(
            OutboxMessage,
            [
                OutboxMessage(
                    kind="reminder:reminder_block",
                    to_email=self.lead_of[b.partner_id].email,
                    to_user=self.lead_of[b.partner_id],
                    subject="Your MOU block is due in two weeks",
                    body_text="Reminder",
                    status="sent",
                    attempts=1,
                    sent_at=self.now - timedelta(days=9),
                    created_at=self.now - timedelta(days=9),
                )
                for b in pending
            ],
        )
        block_type = ContentType.objects.get_for_model(RoleBlock)
        sweep = uuid.uuid4()
        bulk(
            Reminder,
            [
                Reminder(
                    source="mou.block",
                    subject_type=block_type,
                    subject_id=b.pk,
                    stage="before-14",
                    recipient_email=message.to_email,
                    recipient=message.to_user,
                    role="lead",
                    due_at=self.now - timedelta(days=9),
                    claimed_at=self.now - timedelta(days=9),
                    sweep=sweep,
                    message=message,
                )
                for b, message in zip(pending, messages, strict=True)
            ],
        )
        events = []
        for i, block in enumerate(self.blocks):
            if block.status == "not_started":
                continue
            events.append(
                Event(
                    created_at=block.last_edited_at or self.now,
                    actor_id=block.last_edited_by_id,
                    action="mou.block_saved",
                    subject_type=block_type,
                    subject_id=block.pk,
                    summary=f"Block of {block.partner_id} saved",
                    data={"revision": block.revision},
                )
            )
            if i % 3 == 0:
                events.append(
                    Event(
                        created_at=self.now - timedelta(days=1 + i % 60),
                        action="partner.updated",
                        summary=f"Partner {block.partner_id} updated",
                    )
                )
        bulk(Event, events)
        self.count("outbox_messages", len(messages))
        self.count("reminders", len(messages))
        self.count("events", len(events))
