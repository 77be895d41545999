"""The matrix as files: CSV in long form (the import reads it back) and XLSX with the grid
and the summary as sheets."""

import csv
import io
from collections.abc import Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from needs_matrix.models import MatrixEntry
from needs_matrix.selectors import (
    KIND_LABELS,
    MatrixFilters,
    categories_list,
    category_summaries,
    cell_text,
    entries_for_export,
    partners_in_view,
)
from needs_matrix.services.importing import COLUMNS, csv_cell_safe


class _Line:
    """A file-like object that hands back what csv.writer writes."""

    def write(self, value: str) -> str:
        return value


def matrix_csv_lines() -> Iterator[str]:
    """The long-form CSV, line by line (UTF-8 with a byte-order mark for spreadsheets)."""
    writer = csv.writer(_Line())
    yield "\ufeff" + writer.writerow(COLUMNS)
    for entry in entries_for_export().iterator(chunk_size=2000):
        yield writer.writerow(
            [
                csv_cell_safe(entry.partner.name),
                csv_cell_safe(entry.category.name),
                entry.stance,
                entry.priority,
                csv_cell_safe(entry.capacity_note),
                csv_cell_safe(entry.note),
            ]
        )


def _text_cell(sheet, value: str, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # typed text stays text, never a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def matrix_xlsx_bytes() -> bytes:
    """A workbook with sheets "Grid" (partners × categories) and "Summary"."""
    categories = categories_list()
    partners_qs = partners_in_view(filters=MatrixFilters())
    partners = list(partners_qs.only("id", "name", "kind"))
    cells: dict[int, dict[int, str]] = {p.pk: {} for p in partners}
    if categories and partners:
        for partner_id, category_id, stance, priority in (
            MatrixEntry.objects.filter(
                partner__in=partners_qs.order_by().values("pk"),
                category_id__in=[c.pk for c in categories],
            )
            .values_list("partner_id", "category_id", "stance", "priority")
            .iterator(chunk_size=5000)
        ):
            cells[partner_id][category_id] = cell_text(stance, priority)

    book = Workbook(write_only=True)
    grid = book.create_sheet("Grid")
    grid.freeze_panes = "C2"
    grid.append(
        [_text_cell(grid, "Partner", bold=True), _text_cell(grid, "Kind", bold=True)]
        + [_text_cell(grid, c.name, bold=True) for c in categories]
    )
    for partner in partners:
        own = cells[partner.pk]
        grid.append(
            [_text_cell(grid, partner.name), str(KIND_LABELS.get(partner.kind, partner.kind))]
            + [own.get(c.pk, "—") for c in categories]
        )

    summary = book.create_sheet("Summary")
    summary.freeze_panes = "C2"
    headers = [
        "Group",
        "Category",
        "Partners needing",
        "Partners contributing",
        "Coverage (%)",
        "Gap",
        "Thin",
        "Status",
    ]
    summary.append([_text_cell(summary, h, bold=True) for h in headers])
    for s in category_summaries(partners=partners_qs, categories=categories):
        summary.append(
            [
                _text_cell(summary, s.category.group.name),
                _text_cell(summary, s.category.name),
                s.needing,
                s.contributing,
                s.coverage_percent,
                "yes" if s.is_gap else "no",
                "yes" if s.is_thin else "no",
                s.status_label,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
