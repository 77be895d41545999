"""CSV export → import round trip, import errors by row, XLSX sheets."""

import csv
import io
import re

import pytest
import time_machine
from openpyxl import load_workbook

from core.actor import Actor
from core.models import Event
from needs_matrix.exports import matrix_csv_lines, matrix_xlsx_bytes
from needs_matrix.models import MatrixEntry
from needs_matrix.services import MatrixImportInvalid, category_retire, matrix_import_csv
from tests import factories

HEADER = "partner,category,stance,priority,capacity_note,note\n"


def export_csv() -> bytes:
    return "".join(matrix_csv_lines()).encode("utf-8")


def stored() -> set[tuple]:
    return set(
        MatrixEntry.objects.values_list(
            "partner__name", "category__name", "stance", "priority", "capacity_note", "note"
        )
    )


def test_export_is_long_form_utf8_with_bom(hand_built):
    data = export_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    cells = [row[0] for row in csv.reader(io.StringIO(data.decode("utf-8-sig")))]
    notes = [cell for cell in cells if cell.startswith("#")]
    lines = data.decode("utf-8-sig").splitlines()[len(notes) :]
    assert re.match(
        r"# Needs matrix export taken \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d\.", notes[0]
    )
    assert any("begins with an apostrophe (')" in note for note in notes)
    assert lines[0] == "partner,category,stance,priority,capacity_note,note"
    assert "P1 district,Category A,need,high,," in lines
    assert "P3 college,Category D,contribute,,," in lines
    # The inactive partner is not in the network's matrix.
    assert not any(line.startswith("P6 gone") for line in lines)
    assert len(lines) == 1 + 12


@time_machine.travel("2026-10-01 09:00 -0700", tick=False)
def test_csv_round_trip_gives_the_same_entries(hand_built, coordinator):
    entry = MatrixEntry.objects.get(partner__name="P4 business", category__name="Category B")
    entry.capacity_note = '=HYPERLINK("x") and "quotes", commas'
    entry.note = "Line one\nLine two — ünïcode"
    entry.save()
    before = stored() - {e for e in stored() if e[0] == "P6 gone"}
    data = export_csv()
    MatrixEntry.objects.all().delete()
    result = matrix_import_csv(file=data, actor=Actor.of(coordinator))
    assert (result.created, result.updated, result.unchanged) == (12, 0, 0)
    assert stored() == before
    assert export_csv() == data
    # A second import of the same file changes nothing.
    result = matrix_import_csv(file=data, actor=Actor.of(coordinator))
    assert (result.created, result.updated, result.unchanged) == (0, 0, 12)


def test_export_neutralises_formulas(hand_built):
    entry = MatrixEntry.objects.get(partner__name="P4 business", category__name="Category B")
    entry.capacity_note = "=1+1"
    entry.save()
    assert "'=1+1" in export_csv().decode("utf-8-sig")


def test_import_updates_with_history_and_event(hand_built, coordinator):
    data = (
        HEADER + "P1 district,Category C,contribute,,Two mentors,\n"
        "p2 DISTRICT,category d,Needs,High,,urgent\n"
    ).encode()
    result = matrix_import_csv(file=data, actor=Actor.of(coordinator))
    assert (result.created, result.updated) == (1, 1)
    entry = MatrixEntry.objects.get(partner__name="P1 district", category__name="Category C")
    assert (entry.stance, entry.priority, entry.capacity_note) == ("contribute", "", "Two mentors")
    assert entry.history.first().history_user == coordinator
    assert entry.history.count() == 2
    new = MatrixEntry.objects.get(partner__name="P2 district", category__name="Category D")
    assert (new.stance, new.priority, new.note, new.updated_by) == (
        "need",
        "high",
        "urgent",
        coordinator,
    )
    assert Event.objects.filter(action="matrix.imported").count() == 1


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            HEADER + "P1 district,Category A,need,high,,\nP1 district,Category Z,need,high,,\n",
            "Row 3: unknown category “Category Z”.",
        ),
        (HEADER + "P1 district,Category C,maybe,,,\n", "Row 2: bad stance “maybe”"),
        (HEADER + "P1 district,Category C,need,urgent,,\n", "Row 2: bad priority “urgent”"),
        (HEADER + "P1 district,Category C,need,,,\n", "Row 2: priority: Choose a priority"),
        (
            HEADER + "P1 district,Category D,need,low,,\nP2 district,Category D,need,low,,\n"
            "P1 district,Category D,contribute,,,\n",
            "Row 4: duplicate of row 2 (same partner and category).",
        ),
        (HEADER + "Nobody Inc,Category C,need,low,,\n", "Row 2: unknown partner “Nobody Inc”."),
        (
            HEADER + "P1 district,Category C,contribute,high,,\n",
            "Row 2: priority: A priority applies only to needs.",
        ),
        (
            HEADER + "P1 district,Category C,need,low,,,extra\n",
            "Row 2: this row has more cells than the header.",
        ),
        (
            "partner,category,priority\nP1 district,Category C,low\n",
            "Row 1: missing column: stance.",
        ),
        (
            "partner,category,stance,colour\nP1 district,Category C,need,red\n",
            "Row 1: unknown column: colour.",
        ),
        ("", "The file is empty."),
        ("\ufeff\n\n", "The file is empty."),
        (HEADER, "The file has a header but no rows."),
    ],
)
def test_import_errors_name_the_row_and_change_nothing(hand_built, coordinator, content, expected):
    before = stored()
    history = MatrixEntry.history.count()
    with pytest.raises(MatrixImportInvalid) as info:
        matrix_import_csv(file=content.encode("utf-8"), actor=Actor.of(coordinator))
    messages = [str(p) for p in info.value.problems]
    assert any(m.startswith(expected) for m in messages), messages
    assert stored() == before
    assert MatrixEntry.history.count() == history
    assert not Event.objects.filter(action="matrix.imported").exists()


def test_valid_rows_are_not_imported_when_one_row_fails(hand_built, coordinator):
    before = stored()
    content = (
        HEADER + "P1 district,Category D,need,low,,\n"  # valid on its own
        "P2 district,Category D,need,low,,\n"  # valid on its own
        "P3 college,Category D,nope,,,\n"
    )
    with pytest.raises(MatrixImportInvalid) as info:
        matrix_import_csv(file=content.encode(), actor=Actor.of(coordinator))
    assert [p.row for p in info.value.problems] == [4]
    assert stored() == before


def test_every_problem_is_listed(hand_built, coordinator):
    content = (
        HEADER + "P1 district,Nope,need,low,,\n"
        "Nobody,Category D,need,low,,\n"
        "P3 college,Category D,nope,,,\n"
    )
    with pytest.raises(MatrixImportInvalid) as info:
        matrix_import_csv(file=content.encode(), actor=Actor.of(coordinator))
    assert [p.row for p in info.value.problems] == [2, 3, 4]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "latin-1", "cp1252"])
def test_wrong_encoding_is_refused(hand_built, coordinator, encoding):
    factories.PartnerFactory(name="École Française")
    content = HEADER + "École Française,Category C,need,low,,Ça va\n"
    before = stored()
    with pytest.raises(MatrixImportInvalid) as info:
        matrix_import_csv(file=content.encode(encoding), actor=Actor.of(coordinator))
    assert "not UTF-8" in str(info.value.problems[0])
    assert stored() == before


def test_utf8_with_and_without_bom_are_read(hand_built, coordinator):
    factories.PartnerFactory(name="École Française")
    for i, prefix in enumerate([b"", b"\xef\xbb\xbf"]):
        content = HEADER + f"École Française,Category {'CD'[i]},need,low,,Ça va\n"
        matrix_import_csv(file=prefix + content.encode("utf-8"), actor=Actor.of(coordinator))
    assert MatrixEntry.objects.filter(partner__name="École Française", note="Ça va").count() == 2


def test_retired_category_is_refused_by_import(hand_built, coordinator):
    category_retire(category=hand_built.categories["C"], actor=Actor.of(coordinator))
    with pytest.raises(MatrixImportInvalid) as info:
        matrix_import_csv(
            file=(HEADER + "P1 district,Category C,need,low,,\n").encode(),
            actor=Actor.of(coordinator),
        )
    assert str(info.value.problems[0]) == "Row 2: the category “Category C” is retired."


def test_import_accepts_an_uploaded_file_object(hand_built, coordinator):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "m.csv", (HEADER + "P4 business,Category A,both,low,Kits,\n").encode()
    )
    matrix_import_csv(file=upload, actor=Actor.of(coordinator))
    entry = MatrixEntry.objects.get(partner__name="P4 business", category__name="Category A")
    assert (entry.stance, entry.priority, entry.capacity_note) == ("both", "low", "Kits")


def test_xlsx_has_grid_and_summary_sheets(hand_built):
    book = load_workbook(io.BytesIO(matrix_xlsx_bytes()), read_only=True)
    assert book.sheetnames == ["Grid", "Summary", "Notes"]
    grid = [list(r) for r in book["Grid"].iter_rows(values_only=True)]
    header = grid[0]
    assert header[:2] == ("Partner", "Kind") or header[:2] == ["Partner", "Kind"]
    columns = {name: i for i, name in enumerate(header)}
    rows = {r[0]: r for r in grid[1:]}
    assert set(rows) >= {"P1 district", "P2 district", "P3 college", "P4 business", "P5 museum"}
    assert "P6 gone" not in rows
    assert rows["P1 district"][1] == "School district"
    assert rows["P1 district"][columns["Category A"]] == "Need · high"
    assert rows["P5 museum"][columns["Category B"]] == "Both · high"
    assert rows["P3 college"][columns["Category D"]] == "Contributes"
    assert rows["P4 business"][columns["Category A"]] == "—"

    summary = [list(r) for r in book["Summary"].iter_rows(values_only=True)]
    assert summary[0][:5] == [
        "Group",
        "Category",
        "Partners needing",
        "Partners contributing",
        "Coverage (%)",
    ]
    by_name = {r[1]: r for r in summary[1:]}
    assert by_name["Category A"][2:] == [2, 1, 50, "no", "yes", "Thin"]
    assert by_name["Category B"][2:] == [2, 3, 150, "no", "no", "Covered"]
    assert by_name["Category C"][2:] == [3, 0, 0, "yes", "no", "Gap"]
    assert by_name["Category D"][2:] == [0, 1, None, "no", "no", "Not needed"]


def test_xlsx_keeps_formula_like_names_as_text(hand_built):
    factories.PartnerFactory(name="=cmd|' /C calc'!A0")
    book = load_workbook(io.BytesIO(matrix_xlsx_bytes()))
    names = [row[0].value for row in book["Grid"].iter_rows(min_row=2)]
    cell = next(row[0] for row in book["Grid"].iter_rows(min_row=2) if row[0].value.startswith("="))
    assert cell.data_type == "s"
    assert "=cmd|' /C calc'!A0" in names


def test_import_problems_are_counted_with_proper_plurals(coordinator):
    from needs_matrix.services.importing import ImportProblem

    content = "partner,colour,size\nP1 district,red,big\n"
    with pytest.raises(MatrixImportInvalid) as info:
        matrix_import_csv(file=content.encode("utf-8"), actor=Actor.of(coordinator))
    messages = [str(p) for p in info.value.problems]
    assert any(m.startswith("Row 1: unknown columns: colour, size.") for m in messages)
    assert any(m.startswith("Row 1: missing columns: category, stance.") for m in messages)
    assert not any("(s)" in m for m in messages)
    assert str(MatrixImportInvalid([ImportProblem(None, "x")])) == "1 problem in the file"
    assert str(info.value) == "2 problems in the file"
