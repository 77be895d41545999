"""The coordinator's categories page."""

from django.db.models import Prefetch

from needs_matrix.models import Category, CategoryGroup


def groups_with_categories(*, include_retired: bool = True) -> list[CategoryGroup]:
    """Every group with its categories prefetched (two queries), for the categories page."""
    categories = Category.objects.order_by("order", "name")
    if not include_retired:
        categories = categories.current()
    return list(CategoryGroup.objects.prefetch_related(Prefetch("categories", queryset=categories)))
