"""The builder of a synthetic network: people, partners, workgroups and the needs matrix
here; the MOU (``bench.generate.mou``) and meetings (``bench.generate.meetings``) in mixins."""

from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta
from itertools import cycle

from bench.generate.meetings import MeetingParts
from bench.generate.mou import MouParts
from bench.generate.sizes import (
    BENCH_PASSWORD,
    COORDINATORS,
    MATRIX_SHARE,
    PEOPLE_PER_PARTNER,
    Sizes,
    bulk,
)
from bench.generate.text import FIRST, KIND_NAMES, LAST, PLACES, WORDS, Text


class Builder(MouParts, MeetingParts):
    def __init__(self, *, sizes: Sizes, seed: int, now: datetime | None):
        from django.contrib.auth.hashers import make_password
        from django.utils import timezone

        self.sizes = sizes
        self.rng = random.Random(seed)
        self.text = Text(self.rng)
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
        self.coordinators = bulk(User, coordinators)
        self.users = bulk(User, people)
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
        bulk(ReminderPreference, prefs)

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
        self.partner_list = bulk(Partner, partners)
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
        bulk(Membership, memberships)
        self.count("partners", len(self.partner_list))
        self.count("memberships", len(memberships))

    def workgroups(self) -> None:
        from partnership.models import Workgroup

        groups = bulk(
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
        bulk(Workgroup.partners.through, partner_links)
        bulk(Workgroup.members.through, member_links)
        self.count("workgroups", len(groups))

    # --- needs matrix ---------------------------------------------------------------------

    def matrix(self) -> None:
        from needs_matrix.models import Category, CategoryGroup, MatrixEntry

        # The migrations seed the network's starting taxonomy; add categories up to the
        # size's count, and retire one, as a real taxonomy has.
        seeded = Category.objects.count()
        extra = max(0, self.sizes.categories - seeded)
        groups = bulk(
            CategoryGroup,
            [
                CategoryGroup(
                    name=f"Group {i + 1}: {self.rng.choice(WORDS).title()}", order=100 + i
                )
                for i in range(max(1, math.ceil(extra / 10)))
            ],
        )
        bulk(
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
        bulk(MatrixEntry, entries)
        self.count("categories", len(categories) + 1)
        self.count("matrix_entries", len(entries))
