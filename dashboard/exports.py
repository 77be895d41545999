"""The dashboard table as CSV and XLSX: exactly the filtered rows (every page), same columns.

Each file says what it holds and how to read it: the CSV on note lines starting with "#"
above the header (as the needs matrix's CSV does), the XLSX on its "About" sheet. CSV times
are ISO 8601 with their UTC offset; XLSX times are date cells in the network's time zone."""

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from django.db.models import QuerySet
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from dashboard.selectors import email_delivery, email_label, rows_for_export
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
    "Last e-mail",
    "Last e-mail sent",
    "Last e-mail delivery",
]
DATETIME_COLUMNS = {3, 5, 9}
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NOTE_MARK = "#"


def _local(value: datetime | None) -> datetime | None:
    """An aware datetime in the network's time zone (the CSV writes its offset; the XLSX
    drops it, as spreadsheets store no zones, and its About sheet names the zone)."""
    if value is None:
        return None
    return timezone.localtime(value, network_zone())


def export_notes(*, title: str, csv: bool) -> list[str]:
    """What a file says about itself: what it holds, when it was taken, how times read and,
    in a CSV, why some cells start with an apostrophe."""
    zone = network_zone()
    exported = timezone.localtime(timezone.now(), zone)
    notes = [title, f"Exported {exported.isoformat(timespec='seconds')}."]
    if csv:
        notes += [
            "Times are ISO 8601 in the network's time zone "
            f"({zone.key}), with their offset from UTC.",
            "A cell whose text starts with =, +, -, @ or a tab begins with an apostrophe ('), "
            "so that a spreadsheet shows it as text and never runs it as a formula; the "
            "apostrophe is not part of the text.",
        ]
    else:
        notes.append(f"Times are in the network's time zone, {zone.key} ({exported:%Z}).")
    return notes


def leader_named(block: RoleBlock) -> str:
    """As the dashboard counts it: a name carried over from the last version that the
    partner has not confirmed in this one is not counted yet."""
    if not block.signing_leader_name:
        return "no"
    if getattr(block, "leader_confirmed", True):
        return "yes"
    return "carried over, not confirmed yet"


def export_values(block: RoleBlock) -> list:
    """One row: text, or an aware network-time datetime for the date columns."""
    last = getattr(block, "last_email", None)
    editor = block.last_edited_by
    leader = ", ".join(p for p in (block.signing_leader_name, block.signing_leader_title) if p)
    return [
        block.partner.name,
        block.partner.get_kind_display(),
        block.get_status_display(),
        _local(block.last_edited_at),
        (editor.full_name or editor.email) if editor else "",
        _local(block.submitted_at),
        leader_named(block),
        leader,
        email_label(last),
        _local(last.created_at) if last else None,
        email_delivery(last),
    ]


def text_safe(value) -> str:
    """As text a spreadsheet will not run: a leading formula sign gets a quote."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _rows(rows: QuerySet) -> Iterator[list]:
    for block in rows_for_export(rows):
        yield export_values(block)


def blocks_csv(rows: QuerySet, *, title: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    for note in export_notes(title=title, csv=True):
        writer.writerow([f"{NOTE_MARK} {text_safe(note)}"])
    writer.writerow(COLUMNS)
    for values in _rows(rows):
        writer.writerow([text_safe(v) for v in values])
    # A byte-order mark so spreadsheets read the file as UTF-8.
    return "\ufeff" + out.getvalue()


def _cell(sheet, value, *, bold: bool = False) -> WriteOnlyCell:
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None)  # a spreadsheet's dates have no zone
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
    title_line, *notes = export_notes(title=title, csv=False)
    about.append([_cell(about, title_line, bold=True)])
    for note in notes:
        about.append([_cell(about, note)])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(*, version_number: int, extension: str) -> str:
    today = timezone.localtime(timezone.now(), network_zone()).date()
    return f"mou-v{version_number}-blocks-{today:%Y-%m-%d}.{extension}"
