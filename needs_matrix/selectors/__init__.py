"""Reads shaped for the matrix pages. Every function runs a fixed number of queries,
whatever the number of partners: the grid pages partners, the summary aggregates.

- common: ``MatrixFilters``, ``categories_list``, ``partners_in_view``, ``own_partners``,
  ``cell_text`` (what every page shares)
- coverage: ``CategorySummary``, ``category_summaries`` (the arithmetic of a category's
  summary, documented there)
- grid: ``matrix_grid``; summary: ``matrix_summary``; a partner's row: ``partner_row``;
  its history: ``row_history_records``, ``row_history_items``; the categories page:
  ``groups_with_categories``; the export files: ``entries_for_export``; the matrix as
  plain data a frozen MOU keeps: ``matrix_snapshot``; how far rows are filled in:
  ``matrix_completeness``, ``assessed_category_counts``
"""

from needs_matrix.selectors.categories import groups_with_categories
from needs_matrix.selectors.common import (
    KIND_LABELS,
    PRIORITY_LABELS,
    MatrixFilters,
    categories_list,
    cell_text,
    kind_rank,
    own_partners,
    partners_in_view,
)
from needs_matrix.selectors.coverage import CategorySummary, category_summaries
from needs_matrix.selectors.exports import entries_for_export
from needs_matrix.selectors.grid import (
    GRID_PAGE_SIZE,
    NOT_ASSESSED_CELL,
    Cell,
    ColumnGroup,
    Grid,
    GridRow,
    GridRowGroup,
    column_groups_of,
    matrix_grid,
)
from needs_matrix.selectors.history import (
    HISTORY_FIELDS,
    ROW_HISTORY_PER_PAGE,
    FieldChange,
    RowHistoryItem,
    row_history_items,
    row_history_records,
)
from needs_matrix.selectors.progress import (
    MatrixCompleteness,
    assessed_category_counts,
    current_category_count,
    matrix_completeness,
)
from needs_matrix.selectors.row import PartnerRow, RowChange, partner_row
from needs_matrix.selectors.snapshot import SNAPSHOT_SCHEMA, matrix_snapshot
from needs_matrix.selectors.summary import (
    MATCHES_SHOWN,
    HeatMap,
    HeatRow,
    Match,
    MatrixSummary,
    gap_heat_map,
    heat_level,
    matrix_summary,
    suggested_matches,
)

__all__ = [
    "MatrixCompleteness",
    "assessed_category_counts",
    "current_category_count",
    "matrix_completeness",
    "SNAPSHOT_SCHEMA",
    "matrix_snapshot",
    "GRID_PAGE_SIZE",
    "HISTORY_FIELDS",
    "KIND_LABELS",
    "MATCHES_SHOWN",
    "NOT_ASSESSED_CELL",
    "PRIORITY_LABELS",
    "ROW_HISTORY_PER_PAGE",
    "CategorySummary",
    "Cell",
    "ColumnGroup",
    "FieldChange",
    "Grid",
    "GridRow",
    "GridRowGroup",
    "HeatMap",
    "HeatRow",
    "Match",
    "MatrixFilters",
    "MatrixSummary",
    "PartnerRow",
    "RowChange",
    "RowHistoryItem",
    "categories_list",
    "category_summaries",
    "cell_text",
    "column_groups_of",
    "entries_for_export",
    "gap_heat_map",
    "groups_with_categories",
    "heat_level",
    "kind_rank",
    "matrix_grid",
    "matrix_summary",
    "own_partners",
    "partner_row",
    "partners_in_view",
    "row_history_items",
    "row_history_records",
    "suggested_matches",
]
