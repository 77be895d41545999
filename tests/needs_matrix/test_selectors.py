"""Coverage, gap and thin arithmetic, the heat map and suggested matches, by hand."""

from core.actor import Actor
from needs_matrix.selectors import (
    MatrixFilters,
    category_summaries,
    matrix_grid,
    matrix_summary,
    partners_in_view,
)


def _summaries(hand_built, **filters):
    data = matrix_summary(filters=MatrixFilters(group_id=hand_built.group.pk, **filters))
    return {s.category.name[-1]: s for s in data.summaries}, data


def test_counts_coverage_gap_and_thin(hand_built):
    s, data = _summaries(hand_built)
    assert [(s[x].needing, s[x].contributing) for x in "ABCDE"] == [
        (2, 1),
        (2, 3),
        (3, 0),
        (0, 1),
        (0, 0),
    ]
    assert s["A"].coverage_percent == 50 and s["A"].is_thin and not s["A"].is_gap
    assert s["B"].coverage_percent == 150 and s["B"].status == "covered"
    assert s["C"].coverage == 0 and s["C"].is_gap and not s["C"].is_thin
    # Nobody needs D (the inactive partner's need does not count): no coverage, no flag,
    # even though exactly one partner contributes it.
    assert s["D"].coverage is None and s["D"].status == "not_needed"
    assert not s["D"].is_gap and not s["D"].is_thin
    # A stored "not assessed" counts neither way.
    assert s["E"].needing == 0 and s["E"].contributing == 0
    assert s["A"].high_priority == 1 and s["C"].high_priority == 2
    assert (data.gap_count, data.thin_count, data.needed_count) == (1, 1, 3)
    assert data.partner_count == 5


def test_filters_narrow_the_partners_counted(hand_built):
    s, data = _summaries(hand_built, kind="school_district")
    assert data.partner_count == 2
    assert (s["A"].needing, s["A"].contributing) == (2, 0)
    assert s["A"].is_gap


def test_workgroup_filter(hand_built):
    from tests.factories import WorkgroupFactory

    workgroup = WorkgroupFactory(name="Assessment")
    workgroup.partners.add(hand_built.partners["P3"], hand_built.partners["P1"])
    s, data = _summaries(hand_built, workgroup_id=workgroup.pk)
    assert data.partner_count == 2
    assert (s["A"].needing, s["A"].contributing) == (1, 1)
    assert (s["C"].needing, s["C"].contributing) == (2, 0)


def test_heat_map_counts_partners_by_kind_for_gaps_only(hand_built):
    _, data = _summaries(hand_built)
    heat = data.heat_map
    assert [label for _, label in heat.kinds] == ["School district", "College or university"]
    assert len(heat.rows) == 1
    row = heat.rows[0]
    assert row.category.name == "Category C"
    assert [(label, n) for label, n, _ in row.counts] == [
        ("School district", 2),
        ("College or university", 1),
    ]
    assert row.total == 3
    assert [level for _, _, level in row.counts] == [4, 2]


def test_suggested_matches_list_needers_by_priority_and_contributors(hand_built):
    _, data = _summaries(hand_built)
    matches = {m.summary.category.name: m for m in data.matches}
    assert set(matches) == {"Category A", "Category B"}  # C has no contributor, D no need
    assert matches["Category A"].needing == [("P1 district", "High"), ("P2 district", "Low")]
    assert matches["Category A"].contributing == ["P3 college"]
    assert matches["Category B"].needing == [("P5 museum", "High"), ("P1 district", "Medium")]
    assert matches["Category B"].contributing == ["P3 college", "P4 business", "P5 museum"]
    assert matches["Category B"].more_contributing == 0


def test_matches_show_at_most_five_names_and_count_the_rest(hand_built):
    from tests.factories import MatrixEntryFactory, PartnerFactory

    for i in range(7):
        MatrixEntryFactory(
            partner=PartnerFactory(name=f"Z helper {i}"),
            category=hand_built.categories["A"],
            stance="contribute",
        )
    _, data = _summaries(hand_built)
    match = next(m for m in data.matches if m.summary.category.name == "Category A")
    assert len(match.contributing) == 5
    assert match.contributing[0] == "P3 college"
    assert match.more_contributing == 3


def test_grid_rows_grouped_by_kind_with_cell_text(hand_built):
    grid = matrix_grid(filters=MatrixFilters(group_id=hand_built.group.pk))
    assert [g.label for g in grid.row_groups] == [
        "School district",
        "College or university",
        "Business or industry",
        "Informal education or museum",
    ]
    first = grid.row_groups[0].rows[0]
    assert first.partner.name == "P1 district"
    assert [cell.text for _, cell in first.cells] == [
        "Need · high",
        "Need · medium",
        "Need · high",
        "—",
        "—",
    ]
    assert [cell.css for _, cell in first.cells][:2] == ["cell-need", "cell-need"]
    museum = grid.row_groups[-1].rows[0]
    assert museum.cells[1][1].text == "Both · high"
    assert [c.span for c in grid.column_groups] == [5]
    assert grid.partner_count == 5


def test_grid_pages_partners(hand_built):
    grid = matrix_grid(
        filters=MatrixFilters(group_id=hand_built.group.pk), per_page=2, page_number=2
    )
    names = [r.partner.name for g in grid.row_groups for r in g.rows]
    assert names == ["P3 college", "P4 business"]
    assert grid.page.paginator.num_pages == 3
    # The footer summary still covers every partner, not just the page.
    assert grid.summaries[0].needing == 2


def test_retired_categories_leave_the_grid_but_can_be_shown(hand_built):
    from needs_matrix.services import category_retire
    from tests.factories import UserFactory

    category_retire(
        category=hand_built.categories["A"], actor=Actor.of(UserFactory(is_coordinator=True))
    )
    grid = matrix_grid(filters=MatrixFilters(group_id=hand_built.group.pk))
    assert "Category A" not in [c.name for c in grid.categories]
    grid = matrix_grid(filters=MatrixFilters(group_id=hand_built.group.pk, include_retired=True))
    assert grid.categories[0].name == "Category A"
    assert grid.row_groups[0].rows[0].cells[0][1].text == "Need · high"


def test_category_summaries_with_no_categories(hand_built):
    assert (
        category_summaries(partners=partners_in_view(filters=MatrixFilters()), categories=[]) == []
    )


# --- a partner never meets its own need ---------------------------------------------------


def _solo_both(hand_built, *, helpers: int = 0, needers: int = 0):
    """Category E gets one "both" partner, ``helpers`` pure contributors and ``needers``
    pure needers (P1's stored "not assessed" still counts neither way)."""
    from tests.factories import MatrixEntryFactory, PartnerFactory

    category = hand_built.categories["E"]
    MatrixEntryFactory(
        partner=PartnerFactory(name="Both alone", kind="nonprofit"),
        category=category,
        stance="both",
        priority="high",
    )
    for i in range(helpers):
        MatrixEntryFactory(
            partner=PartnerFactory(name=f"Helper {i}", kind="business"),
            category=category,
            stance="contribute",
        )
    for i in range(needers):
        MatrixEntryFactory(
            partner=PartnerFactory(name=f"Needer {i}", kind="school_district"),
            category=category,
            stance="need",
            priority="low",
        )
    s, data = _summaries(hand_built)
    matches = {m.summary.category.name: m for m in data.matches}
    return s["E"], data, matches.get("Category E")


def test_a_both_partner_alone_is_a_gap_and_is_not_matched_with_itself(hand_built):
    e, data, match = _solo_both(hand_built)
    assert (e.needing, e.contributing) == (1, 1)
    assert e.coverage_percent == 0 and e.is_gap and e.status == "gap"
    assert match is None
    heat = next(r for r in data.heat_map.rows if r.category.name == "Category E")
    assert [(label, n) for label, n, _ in heat.counts if n] == [("Non-profit", 1)]
    assert heat.total == 1


def test_a_both_partners_need_is_covered_only_by_others(hand_built):
    # One "both" partner and two contributors: 2 others for one need, not 300 %.
    e, _, match = _solo_both(hand_built, helpers=2)
    assert e.coverage_percent == 200 and e.status == "covered"
    assert match.needing == [("Both alone", "High")]
    assert match.contributing == ["Helper 0", "Helper 1"]
    assert "Both alone" not in match.contributing
    assert match.more_contributing == 0


def test_a_both_partner_that_is_the_only_contributor_helps_others_but_is_a_gap_itself(
    hand_built,
):
    e, data, match = _solo_both(hand_built, needers=2)
    assert (e.needing, e.contributing) == (3, 1)
    assert e.coverage_percent == 33  # one contributor for three in need
    assert e.is_gap  # its own need has no other contributor
    assert match.needing == [("Needer 0", "Low"), ("Needer 1", "Low")]
    assert match.contributing == ["Both alone"]
    assert match.more_needing == 0
    heat = next(r for r in data.heat_map.rows if r.category.name == "Category E")
    assert [(label, n) for label, n, _ in heat.counts if n] == [("Non-profit", 1)]


def test_a_both_partner_with_one_other_contributor_is_thin(hand_built):
    e, _, match = _solo_both(hand_built, helpers=1)
    assert e.coverage_percent == 100 and e.is_thin
    assert match.needing == [("Both alone", "High")]
    assert match.contributing == ["Helper 0"]


def test_two_both_partners_cover_each_other(hand_built):
    from tests.factories import MatrixEntryFactory, PartnerFactory

    MatrixEntryFactory(
        partner=PartnerFactory(name="Both two", kind="business"),
        category=hand_built.categories["E"],
        stance="both",
        priority="low",
    )
    e, _, match = _solo_both(hand_built)
    assert e.coverage_percent == 100 and e.is_thin and not e.is_gap
    assert [name for name, _ in match.needing] == ["Both alone", "Both two"]
    assert match.contributing == ["Both alone", "Both two"]


def test_snapshot_counts_a_both_partner_alone_as_a_gap(hand_built):
    from needs_matrix.selectors import matrix_snapshot

    _solo_both(hand_built)
    data = matrix_snapshot()
    e = next(s for s in data["summary"] if s["category"] == "Category E")
    assert (e["coverage_percent"], e["gap"]) == (0, True)
