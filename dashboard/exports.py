"""The dashboard table as CSV and XLSX: exactly the filtered rows (every page), same columns."""

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from core.services.reminders import stage_label
from dashboard.selectors import reminder_delivery, rows_for_export
from mou.models import RoleBlock
from mou.rules import network_zone

COLUMNS = [
    "Partner",
    "Kind",
    "Status",
    "Last edited",
    "Edited by",
    "Submitted at",
    "Signing leader named",
    "Signing leader",
    "Last reminder",
    "Last reminder sent",
    "Last reminder delivery",
]
DATETIME_COLUMNS = {3, 5, 9}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _local(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return timezone.localtime(value, network_zone()).replace(tzinfo=None)


def export_values(block: RoleBlock) -> list:
    """One row: text, or a naive network-time datetime for the date columns."""
    reminder = getattr(block, "last_reminder", None)
    editor = block.last_edited_by
    leader = ", ".join(p for p in (block.signing_leader_name, block.signing_leader_title) if p)
    return [
        block.partner.name,
        block.partner.get_kind_display(),
        block.get_status_display(),
        _local(block.last_edited_at),
        (editor.full_name or editor.email) if editor else "",
        _local(block.submitted_at),
        "yes" if block.signing_leader_name else "no",
        leader,
        stage_label(reminder.stage) if reminder else "",
        _local(reminder.claimed_at) if reminder else None,
        reminder_delivery(reminder),
    ]


def text_safe(value) -> str:
    """As text a spreadsheet will not run: a leading formula sign gets a quote."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _rows(rows: QuerySet) -> Iterator[list]:
    for block in rows_for_export(rows):
        yield export_values(block)


def blocks_csv(rows: QuerySet) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for values in _rows(rows):
        writer.writerow([text_safe(v) for v in values])
    # A byte-order mark so spreadsheets read the file as UTF-8.
    return "\ufeff" + out.getvalue()


def _cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, datetime):
        cell.number_format = "yyyy-mm-dd hh:mm"
    elif isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # typed text stays text, never a formula
    if bold:
        cell.font = Font(bold=True)
    return cell


def blocks_xlsx(rows: QuerySet, *, title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Blocks")
    sheet.freeze_panes = "B2"
    for index, width in enumerate((36, 24, 18, 17, 24, 17, 10, 36, 20, 17, 16)):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.append([_cell(sheet, name, bold=True) for name in COLUMNS])
    for values in _rows(rows):
        sheet.append([_cell(sheet, v) for v in values])
    about = book.create_sheet("About")
    about.append([_cell(about, title, bold=True)])
    exported = timezone.localtime(timezone.now(), network_zone())
    about.append([_cell(about, f"Exported {exported:%Y-%m-%d %H:%M %Z}")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(*, version_number: int, extension: str) -> str:
    today = timezone.localtime(timezone.now(), network_zone()).date()
    return f"mou-v{version_number}-blocks-{today:%Y-%m-%d}.{extension}"
