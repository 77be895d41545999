"""The summary page: per-category coverage, the heat map of gaps by partner kind, and
suggested matches between partners that need and partners that contribute."""

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Count, QuerySet

from needs_matrix.models import (
    CONTRIBUTING_STANCES,
    NEEDING_STANCES,
    Category,
    CategoryGroup,
    MatrixEntry,
    Stance,
)
from needs_matrix.selectors.common import (
    PRIORITY_LABELS,
    MatrixFilters,
    categories_list,
    partners_in_view,
    top_partners_per_category,
)
from needs_matrix.selectors.coverage import CategorySummary, category_summaries
from partnership.models import PartnerKind

MATCHES_SHOWN = 5


@dataclass
class HeatRow:
    category: Category
    counts: list[tuple[str, int, int]]  # (kind label, partners needing, heat level 0-4)
    total: int


@dataclass
class HeatMap:
    kinds: list[tuple[str, str]]  # (kind, label) columns that have any gap
    rows: list[HeatRow]


@dataclass
class Match:
    summary: CategorySummary
    needing: list[tuple[str, str]] = field(default_factory=list)  # (partner name, priority)
    contributing: list[str] = field(default_factory=list)

    @property
    def more_needing(self) -> int:
        return self.summary.needing_helped - len(self.needing)

    @property
    def more_contributing(self) -> int:
        return self.summary.contributing_for_others - len(self.contributing)


@dataclass
class MatrixSummary:
    summaries: list[CategorySummary]
    heat_map: HeatMap
    matches: list[Match]
    partner_count: int
    gap_count: int
    thin_count: int
    needed_count: int

    @property
    def by_group(self) -> list[tuple[CategoryGroup, list[CategorySummary]]]:
        return [
            (group, list(items))
            for group, items in groupby(self.summaries, key=lambda s: s.category.group)
        ]


def heat_level(count: int, highest: int) -> int:
    if count <= 0 or highest <= 0:
        return 0
    return max(1, min(4, -(-count * 4 // highest)))


def gap_heat_map(*, partners: QuerySet, summaries: list[CategorySummary]) -> HeatMap:
    """Partners of each kind whose need no other partner contributes (one query).

    In a gap category either nobody contributes (every partner in need counts), or the
    only contributor is a "both" partner (it helps the others; its own need counts)."""
    by_id = {s.category.pk: s for s in summaries}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    # One query whenever there are categories, gaps or not: the page's query count does
    # not depend on the data.
    if by_id:
        rows = (
            MatrixEntry.objects.filter(
                partner__in=partners.order_by().values("pk"),
                category_id__in=list(by_id),
                stance__in=NEEDING_STANCES,
            )
            .values("category_id", "partner__kind", "stance")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            summary = by_id[row["category_id"]]
            if not summary.is_gap:
                continue
            if summary.contributing and row["stance"] != Stance.BOTH:
                continue  # met by the one "both" contributor
            per_kind = counts[row["category_id"]]
            per_kind[row["partner__kind"]] = per_kind.get(row["partner__kind"], 0) + row["n"]
    kinds = [
        (value, label)
        for value, label in PartnerKind.choices
        if any(value in per_kind for per_kind in counts.values())
    ]
    highest = max((n for per_kind in counts.values() for n in per_kind.values()), default=0)
    heat_rows = [
        HeatRow(
            category=s.category,
            counts=[
                (
                    label,
                    counts[s.category.pk].get(value, 0),
                    heat_level(counts[s.category.pk].get(value, 0), highest),
                )
                for value, label in kinds
            ],
            total=s.needing - s.needing_helped,
        )
        for s in summaries
        if s.is_gap
    ]
    return HeatMap(kinds=kinds, rows=heat_rows)


def suggested_matches(
    *, partners: QuerySet, summaries: list[CategorySummary], limit: int = MATCHES_SHOWN
) -> list[Match]:
    """For each category where some partner needs what another partner contributes: who
    needs it (high priority first) and who can contribute it, so the coordinator can
    introduce them. A partner is never matched with itself: a "both" partner is listed as
    needing only when someone else contributes, and as contributing only when someone
    else needs. Two queries; at most ``limit`` names each way, with a count of the rest."""
    matches = {
        s.category.pk: Match(summary=s)
        for s in summaries
        if s.needing_helped and s.contributing_for_others
    }
    ids = list(matches)
    for row in top_partners_per_category(
        partners=partners,
        category_ids=ids,
        stances=NEEDING_STANCES,
        limit=limit,
        by_priority=True,
        both_in=[i for i in ids if matches[i].summary.contributing >= 2],
    ):
        matches[row["category_id"]].needing.append(
            (row["partner__name"], PRIORITY_LABELS.get(row["priority"], ""))
        )
    for row in top_partners_per_category(
        partners=partners,
        category_ids=ids,
        stances=CONTRIBUTING_STANCES,
        limit=limit,
        both_in=[i for i in ids if matches[i].summary.needing >= 2],
    ):
        matches[row["category_id"]].contributing.append(row["partner__name"])
    return [matches[i] for i in ids]


def matrix_summary(*, filters: MatrixFilters) -> MatrixSummary:
    """Everything the summary page shows; a fixed number of queries at any size."""
    categories = categories_list(group_id=filters.group_id, include_retired=filters.include_retired)
    partners = partners_in_view(filters=filters)
    summaries = category_summaries(partners=partners, categories=categories)
    return MatrixSummary(
        summaries=summaries,
        heat_map=gap_heat_map(partners=partners, summaries=summaries),
        matches=suggested_matches(partners=partners, summaries=summaries),
        partner_count=partners.count(),
        gap_count=sum(s.is_gap for s in summaries),
        thin_count=sum(s.is_thin for s in summaries),
        needed_count=sum(bool(s.needing) for s in summaries),
    )
