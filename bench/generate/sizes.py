"""How big each part of a synthetic network is, for N partners."""

from __future__ import annotations

from dataclasses import dataclass

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


def bulk(model, objs: list, **kwargs) -> list:
    return model.objects.bulk_create(objs, batch_size=BATCH, **kwargs)


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
            CATEGORIES_AT_FULL_SIZE, max(12, round(CATEGORIES_AT_FULL_SIZE * n / DEFAULT_PARTNERS))
        )
        return cls(
            partners=n,
            people=PEOPLE_PER_PARTNER * n,
            categories=categories,
            workgroups=max(2, min(20, n // 250)),
            meetings=max(6, round(MEETINGS_PER_PARTNER * n)),
            action_items=ITEMS_PER_PARTNER * n,
        )
