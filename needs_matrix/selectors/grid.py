"""The matrix grid: one page of partners, rows grouped by partner kind, columns grouped by
category group, built here so the template only displays it."""

from dataclasses import dataclass
from itertools import groupby

from django.core.paginator import Page, Paginator

from needs_matrix.models import Category, CategoryGroup, MatrixEntry, Stance
from needs_matrix.selectors.common import (
    KIND_LABELS,
    MatrixFilters,
    categories_list,
    cell_text,
    partners_in_view,
)
from needs_matrix.selectors.coverage import CategorySummary, category_summaries
from partnership.models import Partner

GRID_PAGE_SIZE = 50


@dataclass(frozen=True)
class Cell:
    stance: str
    priority: str = ""

    @property
    def assessed(self) -> bool:
        return self.stance != Stance.NOT_ASSESSED

    @property
    def text(self) -> str:
        return cell_text(self.stance, self.priority)

    @property
    def css(self) -> str:
        return f"cell-{self.stance.replace('_', '-')}"


NOT_ASSESSED_CELL = Cell(stance=Stance.NOT_ASSESSED)


@dataclass
class GridRow:
    partner: Partner
    cells: list[tuple[Category, Cell]]


@dataclass
class GridRowGroup:
    kind: str
    label: str
    rows: list[GridRow]


@dataclass
class ColumnGroup:
    group: CategoryGroup
    span: int


@dataclass
class Grid:
    categories: list[Category]
    column_groups: list[ColumnGroup]
    row_groups: list[GridRowGroup]
    page: Page
    summaries: list[CategorySummary]
    partner_count: int

    @property
    def column_count(self) -> int:
        return len(self.categories) + 1


def column_groups_of(categories: list[Category]) -> list[ColumnGroup]:
    return [
        ColumnGroup(group=group, span=len(list(items)))
        for group, items in groupby(categories, key=lambda c: c.group)
    ]


def matrix_grid(
    *, filters: MatrixFilters, page_number: int | str | None = 1, per_page: int = GRID_PAGE_SIZE
) -> Grid:
    """The grid for one page of partners: rows grouped by partner kind, columns grouped
    by category group, and the per-category summary over every partner in view.

    Queries: categories, partner count, the page of partners, their entries, the summary.
    """
    categories = categories_list(group_id=filters.group_id, include_retired=filters.include_retired)
    partners = partners_in_view(filters=filters)
    paginator = Paginator(partners.only("id", "name", "kind"), per_page)
    page = paginator.get_page(page_number)
    page_partners = list(page.object_list)

    cells: dict[tuple[int, int], Cell] = {}
    if page_partners and categories:
        entries = MatrixEntry.objects.filter(
            partner_id__in=[p.pk for p in page_partners],
            category_id__in=[c.pk for c in categories],
        ).values_list("partner_id", "category_id", "stance", "priority")
        for partner_id, category_id, stance, priority in entries:
            cells[(partner_id, category_id)] = Cell(stance=stance, priority=priority)

    row_groups = []
    for kind, members in groupby(page_partners, key=lambda p: p.kind):
        rows = [
            GridRow(
                partner=p,
                cells=[(c, cells.get((p.pk, c.pk), NOT_ASSESSED_CELL)) for c in categories],
            )
            for p in members
        ]
        row_groups.append(GridRowGroup(kind=kind, label=KIND_LABELS.get(kind, kind), rows=rows))

    return Grid(
        categories=categories,
        column_groups=column_groups_of(categories),
        row_groups=row_groups,
        page=page,
        summaries=category_summaries(partners=partners, categories=categories),
        partner_count=paginator.count,
    )
