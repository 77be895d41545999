"""How far partners have filled in their rows, for the dashboard and the partner home."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef

from needs_matrix.models import Category, MatrixEntry, Stance
from partnership.models import Partner


@dataclass(frozen=True)
class MatrixCompleteness:
    assessed: int
    active: int

    @property
    def percent(self) -> int:
        return round(100 * self.assessed / self.active) if self.active else 0


def _assessed_entries():
    return MatrixEntry.objects.filter(category__retired_at__isnull=True).exclude(
        stance=Stance.NOT_ASSESSED
    )


def matrix_completeness() -> MatrixCompleteness:
    """Active partners with at least one assessed category ÷ active partners (one query)."""
    assessed = _assessed_entries().filter(partner=OuterRef("pk"))
    totals = Partner.objects.filter(status=Partner.Status.ACTIVE).aggregate(
        active=Count("id"), assessed=Count("id", filter=Exists(assessed))
    )
    return MatrixCompleteness(assessed=totals["assessed"], active=totals["active"])


def assessed_category_counts(*, partner_ids: list[int]) -> dict[int, int]:
    """{partner id: how many current categories its row has assessed} (one query)."""
    return dict(
        _assessed_entries()
        .filter(partner_id__in=partner_ids)
        .values_list("partner_id")
        .annotate(n=Count("id"))
        .order_by()
    )


def current_category_count() -> int:
    return Category.objects.current().count()
