"""The matrix as files: CSV in long form (the import reads it back) and XLSX with the grid,
the summary and notes as sheets.

A file holds what the page shows: the same filters pick the partners and categories, and
the file says which filters were used and when it was taken (CSV: note lines starting
with "#" above the header, which the import skips; XLSX: a "Notes" sheet). The CSV's notes
also say why a cell may begin with an apostrophe (formula neutralisation)."""

import csv
import io
from collections.abc import Iterator, Sequence

from django.utils import timezone
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
from needs_matrix.services.importing import COLUMNS, NOTE_MARK, csv_cell_safe


class _Line:
    """A file-like object that hands back what csv.writer writes."""

    def write(self, value: str) -> str:
        return value


def filters_sentence(applied: Sequence[tuple[str, str]]) -> str:
    if not applied:
        return "Filters: none (every active partner, every current category)."
    return "Filters: " + "; ".join(f"{label}: {value}" for label, value in applied) + "."


CSV_APOSTROPHE_NOTE = (
    "A cell whose text starts with =, +, -, @ or a tab begins with an apostrophe ('), so "
    "that a spreadsheet shows it as text and never runs it as a formula; the import takes "
    "the apostrophe away again."
)


def export_notes(
    *, applied: Sequence[tuple[str, str]], filters: MatrixFilters, csv: bool = False
) -> list[str]:
    """What a file says about itself: when it was taken (ISO 8601 with its offset) and what
    it holds; in a CSV, why some cells begin with an apostrophe."""
    taken = timezone.localtime().isoformat(timespec="seconds")
    notes = [f"Needs matrix export taken {taken}.", filters_sentence(applied)]
    if filters.kind or filters.workgroup_id:
        notes.append(
            "Only the partners in these filters are included, and the summary's needs, "
            "contributions, coverage, gaps and thin categories are counted within them: a "
            "need may be met by a partner outside the filters."
        )
    if csv:
        notes.append(CSV_APOSTROPHE_NOTE)
    return notes


def matrix_csv_lines(
    *, filters: MatrixFilters | None = None, applied: Sequence[tuple[str, str]] = ()
) -> Iterator[str]:
    """The long-form CSV, line by line (UTF-8 with a byte-order mark for spreadsheets).
    The file starts with note lines: when it was taken, the filters, the apostrophes."""
    filters = filters or MatrixFilters()
    writer = csv.writer(_Line())
    notes = "".join(
        writer.writerow([f"{NOTE_MARK} {csv_cell_safe(note)}"])
        for note in export_notes(applied=applied, filters=filters, csv=True)
    )
    yield "\ufeff" + notes + writer.writerow(COLUMNS)
    for entry in entries_for_export(filters=filters).iterator(chunk_size=2000):
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


def matrix_xlsx_bytes(
    *, filters: MatrixFilters | None = None, applied: Sequence[tuple[str, str]] = ()
) -> bytes:
    """A workbook with sheets "Grid" (partners × categories), "Summary" and "Notes" (the
    filters used), for the partners and categories the filters select."""
    filters = filters or MatrixFilters()
    categories = categories_list(group_id=filters.group_id, include_retired=filters.include_retired)
    partners_qs = partners_in_view(filters=filters)
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

    notes = book.create_sheet("Notes")
    notes.append([_text_cell(notes, "Notes", bold=True)])
    for line in export_notes(applied=applied, filters=filters):
        notes.append([_text_cell(notes, line)])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
