"""Every write to the matrix, and the snapshot a frozen MOU keeps.

- entries: ``entry_set``, ``row_save``
- categories: ``category_create``, ``category_update``, ``category_retire``,
  ``category_restore``, ``group_create``, ``group_update``
- importing: ``matrix_import_csv``
"""

from needs_matrix.services.categories import (
    category_create,
    category_restore,
    category_retire,
    category_update,
    group_create,
    group_update,
)
from needs_matrix.services.entries import EntryValues, entry_set, row_save
from needs_matrix.services.importing import (
    ImportProblem,
    ImportResult,
    MatrixImportInvalid,
    matrix_import_csv,
)

__all__ = [
    "EntryValues",
    "ImportProblem",
    "ImportResult",
    "MatrixImportInvalid",
    "category_create",
    "category_restore",
    "category_retire",
    "category_update",
    "entry_set",
    "group_create",
    "group_update",
    "matrix_import_csv",
    "row_save",
]
