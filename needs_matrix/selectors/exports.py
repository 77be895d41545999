"""What the export files hold."""

from django.db.models import QuerySet

from needs_matrix.models import Category, MatrixEntry
from needs_matrix.selectors.common import MatrixFilters, partners_in_view


def entries_for_export(*, filters: MatrixFilters | None = None) -> QuerySet:
    """Every stored entry of the partners and categories the filters select (active
    partners, current categories unless retired ones are asked for), in a stable order."""
    filters = filters or MatrixFilters()
    categories = Category.objects.all() if filters.include_retired else Category.objects.current()
    if filters.group_id:
        categories = categories.filter(group_id=filters.group_id)
    return (
        MatrixEntry.objects.filter(
            partner__in=partners_in_view(filters=filters).order_by().values("pk"),
            category__in=categories.values("pk"),
        )
        .select_related("partner", "category")
        .order_by("partner__name", "category__group__order", "category__order", "category__name")
    )
