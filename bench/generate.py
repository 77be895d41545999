"""A synthetic partnership network of N partners, built with bulk inserts.

At the default 5,000 partners it holds what DESIGN.md "Scale" promises to stay fast at:
100 categories, 20,000 people, an open MOU version with blocks in every status, a frozen
version, 2,000 meetings and 50,000 action items. Smaller networks are scaled in
proportion (with small floors, so even 10 partners have every shape: each block status,
needs and contributions, upcoming and past meetings, open, done and overdue items).

    python -m bench.generate --partners 5000   # into the database DATABASE_URL names

The data is deterministic for a given N and seed. The generator writes into an empty,
migrated database; it refuses one that already has partners.
"""

from __future__ import annotations

import argparse
import math
import os
import random
import sys
import time
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from itertools import cycle

DEFAULT_PARTNERS = 5000
BATCH = 1000

# Per partner, at any size (5,000 partners: 20,000 people, 2,000 meetings, 50,000 items).
PEOPLE_PER_PARTNER = 4
MEETINGS_PER_PARTNER = 0.4
ITEMS_PER_PARTNER = 10
CATEGORIES_AT_FULL_SIZE = 100
MATRIX_SHARE = 0.25  # each partner takes a stance on a quarter of the categories
COORDINATORS = 3
BENCH_PASSWORD = "bench-password"  # coordinators only; the bench signs in with sessions


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


BLOCK_STATUS_CYCLE = (
    # Open version: every status, pending ones most common (as a week before the deadline).
    "not_started",
    "draft",
    "draft",
    "submitted",
    "changes_requested",
    "accepted",
    "draft",
    "not_started",
    "submitted",
    "accepted",
)

WORDS = _words(
    "students teachers district science math engineering technology mentors internships "
    "classrooms practice curriculum standards network partners schools college career "
    "pathways robotics coding labs summer programs families community industry workforce "
    "assessment equity rural urban counselors pipeline projects apprenticeships data "
    "professional development time space equipment funding outreach events volunteers"
)
FIRST = _words(
    "Ana Ben Carla Dev Elena Farid Grace Hana Ivan Jade Kofi Lena Mateo Nia Omar Priya "
    "Quinn Rosa Sam Tara Umar Vera Wes Xiu Yara Zane"
)
LAST = _words(
    "Alvarez Brooks Chen Diaz Evans Fischer Garcia Huang Ito Johnson Kim Lopez Moreno "
    "Nguyen Okafor Patel Quiroga Rossi Singh Tanaka Ueda Vargas Walker Xu Young Zimmer"
)
PLACES = _words(
    "Cedar Maple Riverside Oak Valley Summit Harbor Pine Lakeside Mesa Canyon Meadow "
    "Granite Willow Sierra Coastal Prairie Ridge Birch Orchard"
)
KIND_NAMES = {
    "school_district": "Unified School District",
    "school": "High School",
    "college": "Community College",
    "nonprofit": "STEM Alliance",
    "business": "Engineering Inc.",
    "government": "County Office",
    "informal": "Science Museum",
    "funder": "Foundation",
    "association": "Teachers Association",
    "other": "Partners Group",
}


@dataclass
class Sizes:
    partners: int
    people: int
    categories: int
    workgroups: int
    meetings: int
    action_items: int

    @classmethod
    def for_partners(cls, n: int) -> Sizes:
        if n < 1:
            raise ValueError("A network needs at least one partner.")
        categories = min(
            CATEGORIES_AT_FULL_SIZE, max(12, round(CATEGORIES_AT_FULL_SIZE * n / 5000))
        )
        return cls(
            partners=n,
            people=PEOPLE_PER_PARTNER * n,
            categories=categories,
            workgroups=max(2, min(20, n // 250)),
            meetings=max(6, round(MEETINGS_PER_PARTNER * n)),
            action_items=ITEMS_PER_PARTNER * n,
        )


@dataclass
class Generated:
    sizes: Sizes
    seconds: float
    rows: dict[str, int]


class _Text:
    """Deterministic filler text in Markdown."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def sentence(self, words: int = 12) -> str:
        picked = [self.rng.choice(WORDS) for _ in range(words)]
        return " ".join(picked).capitalize() + "."

    def paragraph(self, sentences: int = 4) -> str:
        return " ".join(self.sentence(self.rng.randint(8, 16)) for _ in range(sentences))

    def block_text(self) -> str:
        bullets = "\n".join(f"- {self.sentence(9)}" for _ in range(self.rng.randint(2, 4)))
        return f"{self.paragraph(3)}\n\n{bullets}\n"


def _bulk(model, objs: list, **kwargs) -> list:
    return model.objects.bulk_create(objs, batch_size=BATCH, **kwargs)


def network_generate(
    *, partners: int = DEFAULT_PARTNERS, seed: int = 1, now: datetime | None = None
) -> Generated:
    """Fill an empty, migrated database with a network of ``partners`` partners."""
    from django.db import transaction

    from partnership.models import Partner

    if Partner.objects.exists():
        raise RuntimeError("The database already has partners: generate into an empty one.")
    started = time.perf_counter()
    sizes = Sizes.for_partners(partners)
    with transaction.atomic():
        builder = _Builder(sizes=sizes, seed=seed, now=now)
        builder.build()
    statistics_refresh()
    return Generated(sizes=sizes, seconds=time.perf_counter() - started, rows=builder.rows)


def statistics_refresh() -> None:
    """On PostgreSQL, refresh the planner's statistics, as autovacuum does soon after a
    bulk load in production (without it the planner takes 5,000 partners for a handful).
    SQLite gathers no statistics unless told to, and a portal on SQLite is never told."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class _Builder:
    def __init__(self, *, sizes: Sizes, seed: int, now: datetime | None):
        from django.contrib.auth.hashers import make_password
        from django.utils import timezone

        self.sizes = sizes
        self.rng = random.Random(seed)
        self.text = _Text(self.rng)
        self.now = now or timezone.now()
        self.today: date = timezone.localdate(self.now)
        self.unusable = make_password(None)
        self.rows: dict[str, int] = {}

    def count(self, name: str, n: int) -> None:
        self.rows[name] = self.rows.get(name, 0) + n

    def build(self) -> None:
        self.people()
        self.partners()
        self.workgroups()
        self.matrix()
        self.mou()
        self.frozen_record()
        self.meetings()
        self.action_items()
        self.reminders_and_events()

    # --- people and partners ------------------------------------------------------------

    def people(self) -> None:
        from django.contrib.auth.hashers import make_password

        from core.models import ReminderPreference, User

        coordinator_password = make_password(BENCH_PASSWORD)
        coordinators = [
            User(
                email=f"coordinator{i}@bench.example.org",
                full_name=f"Coordinator {LAST[i]}",
                title="Network coordinator",
                is_coordinator=True,
                is_staff=True,
                password=coordinator_password,
            )
            for i in range(COORDINATORS)
        ]
        people = [
            User(
                email=f"person{i:06d}@bench.example.org",
                full_name=f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]} {i}",
                title=self.rng.choice(("Director", "Teacher", "Principal", "Manager", "Dean")),
                phone=f"555-{i % 10000:04d}",
                password=self.unusable,
            )
            for i in range(self.sizes.people)
        ]
        self.coordinators = _bulk(User, coordinators)
        self.users = _bulk(User, people)
        self.count("people", len(self.users) + len(self.coordinators))
        # Some editors ask for reminders; some people have a delegate.
        prefs = []
        for i, user in enumerate(self.users):
            if i % 20 == 1:
                prefs.append(ReminderPreference(user=user, editor_opt_in=True))
            elif i % 50 == 0:
                prefs.append(
                    ReminderPreference(user=user, delegate_email=f"delegate{i}@bench.example.org")
                )
        _bulk(ReminderPreference, prefs)

    def partners(self) -> None:
        from partnership.models import Membership, Partner, PartnerKind

        kinds = cycle(PartnerKind.values)
        partners = []
        for i in range(self.sizes.partners):
            kind = next(kinds)
            status = "active"
            if i % 50 == 17:
                status = "prospective"
            elif i % 50 == 33:
                status = "inactive"
            place = PLACES[i % len(PLACES)]
            partners.append(
                Partner(
                    name=f"{place} {KIND_NAMES[kind]} {i:05d}",
                    kind=kind,
                    status=status,
                    region=f"Region {i % 12 + 1}",
                    website=f"https://partner{i}.example.org",
                    description=self.text.paragraph(2),
                    created_at=self.now - timedelta(days=400 - i % 300),
                )
            )
        self.partner_list = _bulk(Partner, partners)
        self.active = [p for p in self.partner_list if p.status == "active"]
        memberships = []
        self.lead_of: dict[int, object] = {}
        for i, partner in enumerate(self.partner_list):
            base = PEOPLE_PER_PARTNER * i
            lead, editor, viewer, extra = self.users[base : base + 4]
            self.lead_of[partner.pk] = lead
            memberships += [
                Membership(user=lead, partner=partner, role="lead"),
                Membership(user=editor, partner=partner, role="editor"),
                Membership(user=viewer, partner=partner, role="viewer"),
                Membership(user=extra, partner=partner, role="editor" if i % 2 else "viewer"),
            ]
        _bulk(Membership, memberships)
        self.count("partners", len(self.partner_list))
        self.count("memberships", len(memberships))

    def workgroups(self) -> None:
        from partnership.models import Workgroup

        groups = _bulk(
            Workgroup,
            [
                Workgroup(name=f"Workgroup {i + 1}: {w.title()}", description=self.text.sentence())
                for i, w in enumerate(self.rng.sample(WORDS, self.sizes.workgroups))
            ],
        )
        self.workgroup_list = groups
        partner_links, member_links = [], []
        for i, partner in enumerate(self.partner_list):
            group = groups[i % len(groups)]
            partner_links.append(
                Workgroup.partners.through(workgroup_id=group.pk, partner_id=partner.pk)
            )
            lead = self.lead_of[partner.pk]
            member_links.append(Workgroup.members.through(workgroup_id=group.pk, user_id=lead.pk))
        _bulk(Workgroup.partners.through, partner_links)
        _bulk(Workgroup.members.through, member_links)
        self.count("workgroups", len(groups))

    # --- needs matrix ---------------------------------------------------------------------

    def matrix(self) -> None:
        from needs_matrix.models import Category, CategoryGroup, MatrixEntry

        # The migrations seed the network's starting taxonomy; add categories up to the
        # size's count, and retire one, as a real taxonomy has.
        seeded = Category.objects.count()
        extra = max(0, self.sizes.categories - seeded)
        groups = _bulk(
            CategoryGroup,
            [
                CategoryGroup(
                    name=f"Group {i + 1}: {self.rng.choice(WORDS).title()}", order=100 + i
                )
                for i in range(max(1, math.ceil(extra / 10)))
            ],
        )
        _bulk(
            Category,
            [
                Category(
                    group=groups[i % len(groups)],
                    name=f"Category {i + 1:03d} {WORDS[i % len(WORDS)]}",
                    description=self.text.sentence(),
                    order=i,
                )
                for i in range(extra)
            ],
        )
        categories = list(Category.objects.order_by("pk"))
        Category.objects.filter(pk=categories[-1].pk).update(retired_at=self.now)
        categories = categories[:-1]
        self.categories = categories
        per_partner = max(3, round(MATRIX_SHARE * len(categories)))
        stances = cycle(("need", "contribute", "both", "need", "contribute", "not_assessed"))
        priorities = cycle(("high", "medium", "low"))
        entries = []
        for i, partner in enumerate(self.partner_list):
            start = (i * 7) % len(categories)
            for k in range(per_partner):
                category = categories[(start + k * 3) % len(categories)]
                stance = next(stances)
                needs = stance in ("need", "both")
                contributes = stance in ("contribute", "both")
                entries.append(
                    MatrixEntry(
                        partner=partner,
                        category=category,
                        stance=stance,
                        priority=next(priorities) if needs else "",
                        capacity_note=self.text.sentence(6) if contributes else "",
                        note=self.text.sentence(8) if k % 4 == 0 else "",
                        updated_by=self.lead_of[partner.pk],
                        updated_at=self.now - timedelta(days=(i + k) % 90),
                    )
                )
        _bulk(MatrixEntry, entries)
        self.count("categories", len(categories) + 1)
        self.count("matrix_entries", len(entries))

    # --- the MOU ----------------------------------------------------------------------------

    def mou(self) -> None:
        from simple_history.utils import bulk_create_with_history

        from mou.models import BlockReview, BlockSeen, MouVersion, RoleBlock
        from mou.services import version_create

        shared = "\n\n".join(
            f"## {title}\n\n{self.text.paragraph(5)}\n\n{self.text.paragraph(4)}"
            for title in ("Purpose", "Principles", "Shared commitments", "Terms", "Governance")
        )
        frozen = version_create(
            user=None,
            title="Network agreement 2025",
            shared_text=shared,
            deadline=self.now - timedelta(days=200),
        )
        # The deadline is six days away: the "a week before" stage came due in the last
        # day or two for every pending block, so a sweep has a network's worth of e-mail.
        MouVersion.objects.filter(pk=frozen.pk).update(
            status=MouVersion.Status.FROZEN, opened_at=self.now - timedelta(days=260)
        )
        frozen.refresh_from_db()
        opened = version_create(
            user=None,
            title="Network agreement 2026",
            shared_text=shared,
            deadline=self.now + timedelta(days=6),
            previous=frozen,
        )
        MouVersion.objects.filter(pk=opened.pk).update(
            status=MouVersion.Status.OPEN, opened_at=self.now - timedelta(days=30)
        )
        self.frozen_version = MouVersion.objects.get(pk=frozen.pk)
        self.open_version = MouVersion.objects.get(pk=opened.pk)

        old_blocks = []
        for partner in self.active:
            lead = self.lead_of[partner.pk]
            old_blocks.append(
                RoleBlock(
                    version=self.frozen_version,
                    partner=partner,
                    status="accepted",
                    revision=3,
                    last_edited_by=lead,
                    last_edited_at=self.now - timedelta(days=210),
                    submitted_at=self.now - timedelta(days=205),
                    submitted_by=lead,
                    reviewed_at=self.now - timedelta(days=201),
                    **self._content(partner, lead),
                )
            )
        old_blocks = _bulk(RoleBlock, old_blocks)
        previous = {b.partner_id: b for b in old_blocks}

        statuses = cycle(BLOCK_STATUS_CYCLE)
        blocks = []
        for i, partner in enumerate(self.active):
            lead = self.lead_of[partner.pk]
            status = next(statuses)
            carried = previous[partner.pk]
            started = status != "not_started"
            done = status in ("submitted", "accepted", "changes_requested")
            content = self._content(partner, lead) if started else {}
            if not started:
                content = {name: getattr(carried, name) for name in RoleBlock.CONTENT_FIELDS}
            blocks.append(
                RoleBlock(
                    version=self.open_version,
                    partner=partner,
                    status=status,
                    carried_over_from=carried,
                    revision=(i % 7) + (1 if started else 0),
                    last_edited_by=lead if started else None,
                    last_edited_at=self.now - timedelta(hours=i % 500) if started else None,
                    submitted_at=self.now - timedelta(days=i % 20) if done else None,
                    submitted_by=lead if done else None,
                    reviewed_at=self.now - timedelta(days=i % 5)
                    if status in ("accepted", "changes_requested")
                    else None,
                    review_comment=self.text.sentence(14) if status == "changes_requested" else "",
                    extension_until=self.now + timedelta(days=12) if i % 40 == 3 else None,
                    created_at=self.now - timedelta(days=30),
                    **content,
                )
            )
        bulk_create_with_history(
            blocks, RoleBlock, batch_size=BATCH, default_change_reason="bench generator"
        )
        self.blocks = list(
            RoleBlock.objects.filter(version=self.open_version).order_by("partner__name")
        )
        coordinator = self.coordinators[0]
        reviews, seen = [], []
        for block in self.blocks:
            if block.status in ("changes_requested", "accepted"):
                reviews.append(
                    BlockReview(
                        block=block,
                        kind=block.status,
                        comment=block.review_comment or "Thank you: accepted.",
                        author=coordinator,
                        created_at=block.reviewed_at,
                        block_revision=block.revision,
                    )
                )
            if block.status != "not_started" and block.pk % 3 == 0:
                seen.append(
                    BlockSeen(user=coordinator, block=block, revision=max(0, block.revision - 1))
                )
        _bulk(BlockReview, reviews)
        _bulk(BlockSeen, seen)
        self.count("blocks", len(old_blocks) + len(self.blocks))
        self.count("block_reviews", len(reviews))

    def frozen_record(self) -> None:
        """The frozen version's signed record, made as the freeze makes it (its content
        built by the signing service), with every signature in: the state in which the
        executed PDF is rendered."""
        from django.contrib.contenttypes.models import ContentType

        from core.models import Event
        from mou.models import FrozenMou, RoleBlock, SignatureRequest
        from mou.services.signing import (
            Countersigner,
            canonical_json,
            content_hash,
            frozen_content,
            signature_consent_text,
        )

        coordinator = self.coordinators[0]
        frozen_at = self.now - timedelta(days=199)
        blocks = list(
            RoleBlock.objects.filter(version=self.frozen_version)
            .select_related("partner")
            .order_by("partner__name", "pk")
        )
        countersigner = Countersigner(
            name=coordinator.full_name, title=coordinator.title, email=coordinator.email
        )
        content = frozen_content(
            version=self.frozen_version,
            included=blocks,
            left_out=[],
            countersigner=countersigner,
            signing_deadline=frozen_at + timedelta(days=30),
            user=coordinator,
            now=frozen_at,
        )
        canonical = canonical_json(content)
        frozen = FrozenMou.objects.create(
            version=self.frozen_version,
            canonical=canonical,
            content_sha256=content_hash(canonical),
            signing_deadline=frozen_at + timedelta(days=30),
            frozen_at=frozen_at,
            frozen_by=coordinator,
        )
        requests = [
            SignatureRequest(
                frozen=frozen,
                role=SignatureRequest.Role.PARTNER,
                partner=block.partner,
                organization=block.partner.name,
                signer_name=block.signing_leader_name,
                signer_title=block.signing_leader_title,
                signer_email=block.signing_leader_email,
                created_at=frozen_at,
            )
            for block in blocks
        ]
        requests.append(
            SignatureRequest(
                frozen=frozen,
                role=SignatureRequest.Role.COUNTERSIGNER,
                organization="Backbone organization",
                signer_name=countersigner.name,
                signer_title=countersigner.title,
                signer_email=countersigner.email,
                created_at=frozen_at,
            )
        )
        for i, request in enumerate(requests):
            request.status = SignatureRequest.Status.SIGNED
            request.sent_at = frozen_at
            request.decided_at = frozen_at + timedelta(days=1 + i % 20, minutes=i)
            request.signed_name = request.signer_name
            request.signed_title = request.signer_title or "Director"
            request.consent_text = signature_consent_text(signature=request)
            request.signed_ip = f"192.0.2.{i % 250 + 1}"
            request.signed_user_agent = "Mozilla/5.0 (bench)"
        requests = _bulk(SignatureRequest, requests)
        signature_type = ContentType.objects.get_for_model(SignatureRequest)
        events = []
        for request in requests:
            for action, at in (
                ("mou.signature_sent", request.sent_at),
                ("mou.signature_signed", request.decided_at),
            ):
                events.append(
                    Event(
                        created_at=at,
                        action=action,
                        subject_type=signature_type,
                        subject_id=request.pk,
                        summary=f"{action.split('_')[-1].title()}: {request.organization}"[:300],
                        ip_address=request.signed_ip if action.endswith("signed") else None,
                        user_agent=request.signed_user_agent if action.endswith("signed") else "",
                    )
                )
        _bulk(Event, events)
        self.count("signature_requests", len(requests))

    def _content(self, partner, lead) -> dict:
        return {
            "role_in_partnership": self.text.block_text(),
            "commitments": self.text.block_text(),
            "asks_of_network": self.text.paragraph(2),
            "contact_name": lead.full_name,
            "contact_email": lead.email,
            "contact_phone": lead.phone,
            "signing_leader_name": f"Leader of {partner.name}"[:200],
            "signing_leader_title": "Superintendent"
            if partner.kind == "school_district"
            else "CEO",
            "signing_leader_email": f"leader{partner.pk}@bench.example.org",
        }

    # --- meetings and action items ---------------------------------------------------------

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
        self.meeting_list = _bulk(Meeting, meetings)
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
        _bulk(Attendance, attendance, ignore_conflicts=True)
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
        _bulk(ActionItem, items)
        self.count("action_items", len(items) + 1)

    # --- what already happened: reminders, e-mail, events ------------------------------------

    def reminders_and_events(self) -> None:
        import uuid

        from django.contrib.contenttypes.models import ContentType

        from core.models import Event, OutboxMessage, Reminder
        from mou.models import RoleBlock

        pending = [b for b in self.blocks if b.status in RoleBlock.EDITABLE_STATUSES]
        messages = _bulk(
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
        _bulk(
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
        _bulk(Event, events)
        self.count("outbox_messages", len(messages))
        self.count("reminders", len(messages))
        self.count("events", len(events))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=DEFAULT_PARTNERS)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    result = network_generate(partners=args.partners, seed=args.seed)
    print(f"{args.partners} partners in {result.seconds:.1f} s: {asdict(result.sizes)}")
    print(", ".join(f"{k} {v}" for k, v in result.rows.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
