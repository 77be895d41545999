"""The demo loader and the snapshot a frozen MOU keeps."""

import json

from core.actor import Actor
from needs_matrix.demo import DEMO_ROWS, load_demo_matrix
from needs_matrix.models import Category, MatrixEntry
from needs_matrix.selectors import MatrixFilters, matrix_snapshot, matrix_summary
from needs_matrix.services import category_retire
from tests import factories


def test_demo_rows_use_seeded_categories(db):
    names = set(Category.objects.values_list("name", flat=True))
    used = {row[0] for rows in DEMO_ROWS.values() for row in rows}
    assert used <= names, used - names


def test_load_demo_matrix_is_idempotent_and_skips_missing_partners(db):
    factories.PartnerFactory(name="Salem-Keizer School District")
    factories.PartnerFactory(name="Mid-Valley Education Fund", kind="funder")
    created = load_demo_matrix()
    expected = len(DEMO_ROWS["Salem-Keizer School District"]) + len(
        DEMO_ROWS["Mid-Valley Education Fund"]
    )
    assert created == expected == MatrixEntry.objects.count()
    # A person changes a row; loading again keeps it and adds nothing.
    entry = MatrixEntry.objects.get(category__name="Mentors")
    entry.stance, entry.priority = "contribute", ""
    entry.save()
    assert load_demo_matrix() == 0
    assert MatrixEntry.objects.get(pk=entry.pk).stance == "contribute"


def test_demo_network_has_gaps_thin_and_matches(db):
    kinds = {"Chemeketa Community College": "college", "Mid-Valley Education Fund": "funder"}
    for name in DEMO_ROWS:
        factories.PartnerFactory(name=name, kind=kinds.get(name, "school_district"))
    load_demo_matrix()
    data = matrix_summary(filters=MatrixFilters())
    by_name = {s.category.name: s for s in data.summaries}
    assert by_name["Science metrics"].is_gap
    assert by_name["Long-term funding"].is_thin
    assert by_name["Mentors"].status == "covered"
    assert data.matches and data.heat_map.rows


def test_snapshot_structure(hand_built):
    snapshot = matrix_snapshot()
    json.dumps(snapshot)  # serializable as it is
    assert snapshot["schema"] == 1
    ours = [c for c in snapshot["categories"] if c["group"] == "Hand-built group"]
    assert [c["name"] for c in ours] == [f"Category {x}" for x in "ABCDE"]
    group = next(g for g in snapshot["groups"] if g["name"] == "Hand-built group")
    assert group["span"] == 5 and len(group["categories"]) == 5
    partners = {p["name"]: p for p in snapshot["partners"]}
    assert "P6 gone" not in partners  # inactive
    p1 = partners["P1 district"]
    assert p1["kind_label"] == "School district"
    assert len(p1["cells"]) == len(snapshot["categories"])
    cells = {c["category_id"]: c for c in p1["cells"]}
    assert cells[hand_built.categories["A"].pk]["text"] == "Need · high"
    assert cells[hand_built.categories["D"].pk] == {
        "category_id": hand_built.categories["D"].pk,
        "stance": "not_assessed",
        "priority": "",
        "text": "—",
    }
    assert {e["category"] for e in p1["entries"]} == {
        "Category A",
        "Category B",
        "Category C",
        "Category E",
    }
    summary = {s["category"]: s for s in snapshot["summary"]}
    assert (summary["Category A"]["coverage_percent"], summary["Category A"]["thin"]) == (50, True)
    assert summary["Category C"]["gap"] is True
    assert summary["Category D"]["coverage_percent"] is None
    assert snapshot["totals"]["partners"] == 5


def test_snapshot_for_chosen_partners_and_without_retired_categories(hand_built, coordinator):
    category_retire(category=hand_built.categories["A"], actor=Actor.of(coordinator))
    chosen = [hand_built.partners["P1"].pk, hand_built.partners["P6"].pk]
    snapshot = matrix_snapshot(partner_ids=chosen)
    assert [p["name"] for p in snapshot["partners"]] == ["P1 district", "P6 gone"]
    assert "Category A" not in {c["name"] for c in snapshot["categories"]}
    summary = {s["category"]: s for s in snapshot["summary"]}
    # Over P1 and P6 only: D is needed by P6 and nobody contributes it.
    assert summary["Category D"]["gap"] is True
    assert summary["Category C"]["needing"] == 1


def test_snapshot_query_count_is_constant(hand_built, django_assert_num_queries):
    with django_assert_num_queries(3):
        matrix_snapshot()
    for i in range(30):
        factories.MatrixEntryFactory(
            partner=factories.PartnerFactory(name=f"More {i}"),
            category=hand_built.categories["C"],
            stance="contribute",
        )
    with django_assert_num_queries(3):
        snapshot = matrix_snapshot()
    assert next(s for s in snapshot["summary"] if s["category"] == "Category C")["gap"] is False
