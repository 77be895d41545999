"""Bulk loading of matrix entries from the long-form CSV the export writes.

The whole file is validated before anything is written; any problem (wrong encoding, an
empty file, missing or unknown columns, an unknown partner or category, a bad stance or
priority, a duplicate (partner, category) row) is reported by row number and nothing is
imported. A valid file is upserted in one transaction, with history.
"""

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from core.actor import Actor
from core.services.db import unique_race_settle
from core.services.events import event_record
from core.text import clean_text
from needs_matrix.models import Category, MatrixEntry, Priority, Stance
from partnership.models import Partner

COLUMNS = ("partner", "category", "stance", "priority", "capacity_note", "note")
REQUIRED_COLUMNS = ("partner", "category", "stance")
UPDATED_FIELDS = ["stance", "priority", "capacity_note", "note", "updated_by", "updated_at"]
# Spreadsheet programs run cells that start with these as formulas; the export puts an
# apostrophe in front and the import takes it away again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_PROBLEMS_LISTED = 200
NOTE_MARK = "#"
CHUNK = 500


def _stance_words() -> dict[str, str]:
    words = {}
    for value, label in Stance.choices:
        words[_word(value)] = value
        words[_word(label)] = value
    words.update(
        {
            "needs": Stance.NEED,
            "contributes": Stance.CONTRIBUTE,
            "contribution": Stance.CONTRIBUTE,
        }
    )
    return words


def _word(text: str) -> str:
    return "_".join(text.strip().lower().replace("-", " ").split())


STANCE_WORDS = _stance_words()
PRIORITY_WORDS = {_word(v): v for v in Priority.values} | {
    _word(label): v for v, label in Priority.choices
}


def csv_cell_safe(value: str) -> str:
    """Make a text cell inert in spreadsheet programs (formula injection)."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_cell_read(value: str) -> str:
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


@dataclass(frozen=True)
class ImportProblem:
    row: int | None  # the spreadsheet row (the header is row 1); None for the whole file
    message: str

    def __str__(self) -> str:
        return f"Row {self.row}: {self.message}" if self.row else self.message


class MatrixImportInvalid(Exception):
    def __init__(self, problems: list[ImportProblem]):
        super().__init__(
            ngettext("%(n)d problem in the file", "%(n)d problems in the file", len(problems))
            % {"n": len(problems)}
        )
        self.problems = problems


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows: int = 0


@dataclass
class _Row:
    number: int
    partner_name: str
    category_name: str
    entry: MatrixEntry | None = None
    cells: dict = field(default_factory=dict)


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MatrixImportInvalid(
            [
                ImportProblem(
                    None, "The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."
                )
            ]
        ) from None
    if "\x00" in text:
        # UTF-16 text with no byte-order mark decodes as UTF-8 full of NULs.
        raise MatrixImportInvalid(
            [
                ImportProblem(
                    None,
                    "The file is not UTF-8 text (it looks like UTF-16). "
                    "Save it as “CSV UTF-8” and try again.",
                )
            ]
        )
    if not text.strip():
        raise MatrixImportInvalid([ImportProblem(None, "The file is empty.")])
    return text


def _read_rows(text: str) -> tuple[list[_Row], list[ImportProblem]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 1
    try:
        header = next(reader)
        # A filtered export names its filters on "#" lines above the header.
        while header and header[0].startswith(NOTE_MARK):
            header = next(reader)
            number += 1
    except StopIteration:
        raise MatrixImportInvalid([ImportProblem(None, "The file has no header.")]) from None
    except csv.Error as exc:
        raise MatrixImportInvalid(
            [ImportProblem(number, f"the header cannot be read ({exc}).")]
        ) from None
    columns = [_word(name) for name in header]
    problems = []
    unknown = [h for h, c in zip(header, columns, strict=True) if c and c not in COLUMNS]
    if unknown:
        problems.append(
            ImportProblem(
                number,
                ngettext("unknown column: ", "unknown columns: ", len(unknown))
                + ", ".join(unknown)
                + ". The columns are: "
                + ", ".join(COLUMNS)
                + ".",
            )
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        problems.append(
            ImportProblem(
                number,
                ngettext("missing column: ", "missing columns: ", len(missing))
                + ", ".join(missing)
                + ".",
            )
        )
    repeated = sorted({c for c in columns if c and columns.count(c) > 1})
    if repeated:
        problems.append(
            ImportProblem(
                number,
                ngettext("repeated column: ", "repeated columns: ", len(repeated))
                + ", ".join(repeated)
                + ".",
            )
        )
    if problems:
        raise MatrixImportInvalid(problems)

    rows: list[_Row] = []
    try:
        for record in reader:
            number += 1
            if not any(cell.strip() for cell in record):
                continue  # blank lines are harmless
            if len(record) > len(columns):
                problems.append(ImportProblem(number, "this row has more cells than the header."))
                continue
            cells = {
                name: csv_cell_read(clean_text(value)).strip()
                for name, value in zip(columns, record, strict=False)
                if name
            }
            rows.append(
                _Row(
                    number=number,
                    partner_name=cells.get("partner", ""),
                    category_name=cells.get("category", ""),
                    cells=cells,
                )
            )
    except csv.Error as exc:
        problems.append(ImportProblem(number + 1, f"this row cannot be read ({exc})."))
    if not rows and not problems:
        problems.append(ImportProblem(None, "The file has a header but no rows."))
    return rows, problems


class _Names:
    """Find objects by name ignoring case, in Python: SQLite's lower() only folds ASCII."""

    def __init__(self, objects):
        self.exact: dict[str, object] = {}
        self.folded: dict[str, list] = {}
        for obj in objects:
            self.exact[obj.name] = obj
            self.folded.setdefault(obj.name.casefold(), []).append(obj)

    def get(self, name: str):
        if name in self.exact:
            return self.exact[name]
        found = self.folded.get(name.casefold(), [])
        return found[0] if len(found) == 1 else None


def _validate(rows: list[_Row], actor: Actor) -> list[ImportProblem]:
    """Resolve names and build an unsaved entry for each row; list every problem."""
    # Two queries, whatever the file: every partner's and category's name.
    partners = _Names(Partner.objects.only("id", "name"))
    categories = _Names(Category.objects.only("id", "name", "retired_at"))
    problems: list[ImportProblem] = []
    seen: dict[tuple[int, int], int] = {}
    now = timezone.now()
    for row in rows:
        row_problems = []
        partner = partners.get(row.partner_name)
        category = categories.get(row.category_name)
        if not row.partner_name:
            row_problems.append("the partner is missing.")
        elif partner is None:
            row_problems.append(f"unknown partner “{row.partner_name}”.")
        if not row.category_name:
            row_problems.append("the category is missing.")
        elif category is None:
            row_problems.append(f"unknown category “{row.category_name}”.")
        elif category.is_retired:
            row_problems.append(f"the category “{category.name}” is retired.")
        stance_text = row.cells.get("stance", "")
        stance = STANCE_WORDS.get(_word(stance_text))
        if stance is None:
            row_problems.append(
                f"bad stance “{stance_text}” (use need, contribute, both or not_assessed)."
                if stance_text
                else "the stance is missing (need, contribute, both or not_assessed)."
            )
        priority_text = row.cells.get("priority", "")
        priority = PRIORITY_WORDS.get(_word(priority_text), None) if priority_text else ""
        if priority is None:
            row_problems.append(f"bad priority “{priority_text}” (use high, medium or low).")
        if partner is not None and category is not None:
            key = (partner.pk, category.pk)
            if key in seen:
                row_problems.append(f"duplicate of row {seen[key]} (same partner and category).")
            else:
                seen[key] = row.number
        if not row_problems:
            entry = MatrixEntry(
                partner=partner,
                category=category,
                stance=stance,
                priority=priority,
                capacity_note=row.cells.get("capacity_note", ""),
                note=row.cells.get("note", ""),
                updated_by=actor.user,
                updated_at=now,
            )
            try:
                entry.clean_fields(exclude=["partner", "category", "updated_by"])
                entry.clean()
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    label = name.replace("_", " ")
                    row_problems.extend(f"{label}: {m}" for m in messages)
            else:
                row.entry = entry
        problems.extend(ImportProblem(row.number, message) for message in row_problems)
    return problems


def _same(existing: MatrixEntry, new: MatrixEntry) -> bool:
    return all(
        getattr(existing, name) == getattr(new, name)
        for name in ("stance", "priority", "capacity_note", "note")
    )


def matrix_import_csv(*, file, actor: Actor) -> ImportResult:
    """Validate the whole CSV file, then upsert every row in one transaction.

    ``file`` is bytes or a binary file object (an upload). Raises MatrixImportInvalid
    with the problems by row, and writes nothing, when anything is wrong.
    """
    data = file if isinstance(file, bytes) else file.read()
    if isinstance(data, str):
        data = data.encode("utf-8")
    text = _decode(data)
    rows, problems = _read_rows(text)
    problems += _validate(rows, actor)
    if problems:
        problems.sort(key=lambda p: p.row or 0)
        raise MatrixImportInvalid(problems)
    # A partner saving its row while the file is imported may insert an entry the import
    # also inserts; the import then runs again and updates that entry instead.
    return unique_race_settle(
        lambda: _write(rows=rows, actor=actor),
        model=MatrixEntry,
        constraints=("matrix_entry_unique",),
        retries=1,
    )


@transaction.atomic
def _write(*, rows: list[_Row], actor: Actor) -> ImportResult:
    result = ImportResult(rows=len(rows))
    partner_ids = sorted({row.entry.partner_id for row in rows})
    existing: dict[tuple[int, int], MatrixEntry] = {}
    for i in range(0, len(partner_ids), CHUNK):
        for entry in MatrixEntry.objects.select_for_update().filter(
            partner_id__in=partner_ids[i : i + CHUNK]
        ):
            existing[(entry.partner_id, entry.category_id)] = entry
    to_create, to_update = [], []
    for row in rows:
        new = row.entry
        old = existing.get((new.partner_id, new.category_id))
        if old is None:
            to_create.append(new)
        elif _same(old, new):
            result.unchanged += 1
        else:
            for name in UPDATED_FIELDS:
                setattr(old, name, getattr(new, name))
            to_update.append(old)
    history_user = actor.user
    if to_create:
        bulk_create_with_history(
            to_create,
            MatrixEntry,
            batch_size=CHUNK,
            default_user=history_user,
            default_change_reason="CSV import",
        )
    if to_update:
        bulk_update_with_history(
            to_update,
            MatrixEntry,
            fields=UPDATED_FIELDS,
            batch_size=CHUNK,
            default_user=history_user,
            default_change_reason="CSV import",
        )
    result.created, result.updated = len(to_create), len(to_update)
    event_record(
        action="matrix.imported",
        actor=actor,
        summary=(
            f"Matrix CSV import: {result.created} created, {result.updated} updated, "
            f"{result.unchanged} unchanged"
        ),
        data={
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
            "rows": result.rows,
        },
    )
    return result
