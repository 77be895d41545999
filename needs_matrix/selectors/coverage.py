"""A category's summary over the partners in view: who needs it, who contributes it, and
whether the need is covered, thin or a gap.

The arithmetic (over the partners in view):

- needing: partners whose stance is "need" or "both";
- contributing: partners whose stance is "contribute" or "both";
- a partner never meets its own need: a "both" partner's need is covered only by the
  other partners' contributions, and its contribution counts only for other partners'
  needs. So a category where one "both" partner is alone is a gap, not 100 %;
- coverage: the contributors that can help some other partner ÷ needing. It may exceed
  100 % (three contributors for one need). When nobody needs the category, coverage is
  undefined (``None``, shown as "—") and the category is neither a gap nor thin: its
  status is "not needed";
- gap: some partner needs it and no other partner contributes it;
- thin: every partner that needs it has another contributor, and one of them has only one.

A partner with no entry for a category has not assessed it: it counts neither way.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from needs_matrix.models import (
    CONTRIBUTING_STANCES,
    NEEDING_STANCES,
    Category,
    MatrixEntry,
    Priority,
    Stance,
)


@dataclass
class CategorySummary:
    category: Category
    needing: int = 0
    contributing: int = 0
    high_priority: int = 0
    both: int = 0  # partners counted on both sides

    def count(self, *, stance: str, priority: str = "") -> None:
        """Count one partner's stance (for readers that walk the entries themselves)."""
        self.needing += stance in NEEDING_STANCES
        self.contributing += stance in CONTRIBUTING_STANCES
        self.both += stance == Stance.BOTH
        self.high_priority += stance in NEEDING_STANCES and priority == Priority.HIGH

    @property
    def self_only(self) -> bool:
        """The one partner that needs it is also its only possible helper among the
        contributors counted: one "both" partner cannot meet its own need."""
        return self.needing == 1 and self.both == 1

    @property
    def contributing_for_others(self) -> int:
        """Contributors that can help at least one partner other than themselves."""
        if not self.needing:
            return 0
        return self.contributing - (1 if self.self_only else 0)

    @property
    def needing_helped(self) -> int:
        """Partners in need that at least one other partner can help."""
        if not self.contributing:
            return 0
        # Only a "both" partner can be its category's only contributor and need it too.
        if self.contributing == 1 and self.both:
            return self.needing - 1
        return self.needing

    @property
    def fewest_helpers(self) -> int:
        """Other partners contributing, for the needing partner with the fewest."""
        if not self.needing:
            return 0
        return self.contributing - (1 if self.both else 0)

    @property
    def coverage(self) -> float | None:
        if not self.needing:
            return None
        return self.contributing_for_others / self.needing

    @property
    def coverage_percent(self) -> int | None:
        coverage = self.coverage
        return None if coverage is None else round(coverage * 100)

    @property
    def is_gap(self) -> bool:
        return self.needing > 0 and self.fewest_helpers == 0

    @property
    def is_thin(self) -> bool:
        return self.needing > 0 and self.fewest_helpers == 1

    @property
    def status(self) -> str:
        if not self.needing:
            return "not_needed"
        if self.is_gap:
            return "gap"
        if self.is_thin:
            return "thin"
        return "covered"

    @property
    def status_css(self) -> str:
        return "status-" + self.status.replace("_", "-")

    @property
    def status_label(self) -> str:
        return {
            "not_needed": "Not needed",
            "gap": "Gap",
            "thin": "Thin",
            "covered": "Covered",
        }[self.status]


def category_summaries(*, partners: QuerySet, categories: list[Category]) -> list[CategorySummary]:
    """One aggregate query: needing, contributing and high-priority counts per category."""
    summaries = {c.pk: CategorySummary(category=c) for c in categories}
    if not summaries:
        return []
    rows = (
        MatrixEntry.objects.filter(
            partner__in=partners.order_by().values("pk"), category_id__in=list(summaries)
        )
        .values("category_id")
        .annotate(
            needing=Count("id", filter=Q(stance__in=NEEDING_STANCES)),
            contributing=Count("id", filter=Q(stance__in=CONTRIBUTING_STANCES)),
            high=Count("id", filter=Q(stance__in=NEEDING_STANCES, priority=Priority.HIGH)),
            both=Count("id", filter=Q(stance=Stance.BOTH)),
        )
        .order_by()
    )
    for row in rows:
        summary = summaries[row["category_id"]]
        summary.needing = row["needing"]
        summary.contributing = row["contributing"]
        summary.high_priority = row["high"]
        summary.both = row["both"]
    return [summaries[c.pk] for c in categories]
