"""Every matrix page: who may open it, and what each page does."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.actor import Actor
from needs_matrix.models import Category, CategoryGroup, MatrixEntry
from tests import factories

ROLES = ["anonymous", "nobody", "other_lead", "viewer", "editor", "lead", "coordinator"]


@pytest.fixture
def category(db):
    return factories.CategoryFactory(name="Robotics kits")


def _user(request, role):
    return None if role == "anonymous" else request.getfixturevalue(role)


def _url(name, partner, category):
    if name in {"row_edit", "row_history"}:
        return reverse(f"needs_matrix:{name}", args=[partner.pk])
    if name in {"category_edit", "category_retire", "category_restore"}:
        return reverse(f"needs_matrix:{name}", args=[category.pk])
    if name == "group_edit":
        return reverse("needs_matrix:group_edit", args=[category.group_id])
    return reverse(f"needs_matrix:{name}")


MEMBER = {"other_lead": 200, "viewer": 200, "editor": 200, "lead": 200, "coordinator": 200}
COORDINATOR_ONLY = {
    "other_lead": 403,
    "viewer": 403,
    "editor": 403,
    "lead": 403,
    "coordinator": 200,
}
# (url name, method, expected status for each signed-in role with a role somewhere)
TABLE = [
    ("grid", "get", MEMBER),
    ("summary", "get", MEMBER),
    (
        "row_edit",
        "get",
        {"other_lead": 403, "viewer": 200, "editor": 200, "lead": 200, "coordinator": 200},
    ),
    (
        "row_edit",
        "post",
        {"other_lead": 403, "viewer": 403, "editor": 302, "lead": 302, "coordinator": 302},
    ),
    (
        "row_history",
        "get",
        {"other_lead": 403, "viewer": 200, "editor": 200, "lead": 200, "coordinator": 200},
    ),
    ("category_list", "get", COORDINATOR_ONLY),
    ("category_create", "get", COORDINATOR_ONLY),
    ("category_edit", "get", COORDINATOR_ONLY),
    ("category_retire", "post", {**COORDINATOR_ONLY, "coordinator": 302}),
    ("category_restore", "post", {**COORDINATOR_ONLY, "coordinator": 302}),
    ("group_create", "get", COORDINATOR_ONLY),
    ("group_edit", "get", COORDINATOR_ONLY),
    ("export_csv", "get", COORDINATOR_ONLY),
    ("export_xlsx", "get", COORDINATOR_ONLY),
    ("import", "get", COORDINATOR_ONLY),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "expected"), TABLE, ids=[f"{n}-{m}" for n, m, _ in TABLE]
)
def test_permissions(request, client_for, partner, category, role, name, method, expected):
    user = _user(request, role)
    url = _url(name, partner, category)
    response = getattr(client_for(user), method)(url, {})
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    elif role == "nobody":
        assert response.status_code == 403
    else:
        assert response.status_code == expected[role], (role, name, method)


def test_grid_is_a_real_table_with_headers_text_and_legend(client_for, lead, partner, hand_built):
    factories.MatrixEntryFactory(
        partner=partner, category=hand_built.categories["A"], stance="both", priority="low"
    )
    response = client_for(lead).get(reverse("needs_matrix:grid"), {"group": hand_built.group.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<caption" in html
    assert '<th scope="col" class="cat-head"' in html and '<th scope="row"' in html
    assert '<th scope="colgroup"' in html and '<th scope="rowgroup"' in html
    assert "Need · high" in html and "Contributes" in html and "Both · low" in html
    assert '<span class="visually-hidden">Not assessed</span>' in html
    assert "not assessed (not the same as “no”)" in html  # the legend
    # The lead's own row links to its editor; other partners' rows do not.
    assert reverse("needs_matrix:row_edit", args=[partner.pk]) in html
    assert reverse("needs_matrix:row_edit", args=[hand_built.partners["P1"].pk]) not in html
    # Managing links are the coordinator's.
    assert reverse("needs_matrix:import") not in html


def test_grid_filters_by_kind_and_workgroup(client_for, coordinator, hand_built):
    workgroup = factories.WorkgroupFactory(name="Robotics")
    workgroup.partners.add(hand_built.partners["P4"])
    client = client_for(coordinator)
    html = client.get(reverse("needs_matrix:grid"), {"kind": "college"}).content.decode()
    assert "P3 college" in html and "P1 district" not in html
    html = client.get(reverse("needs_matrix:grid"), {"workgroup": workgroup.pk}).content.decode()
    assert "P4 business" in html and "P3 college" not in html
    # A value that is not understood is named on the page, with 400 and the form again.
    response = client.get(reverse("needs_matrix:grid"), {"workgroup": "x", "kind": "?"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filter values were not understood" in html
    assert "Partner kind: Select a valid choice." in html and "Workgroup: " in html
    assert 'aria-invalid="true"' in html and 'name="kind"' in html


def test_grid_pages_fifty_partners(client_for, coordinator):
    from partnership.models import Partner

    Partner.objects.bulk_create([Partner(name=f"Paged {i:03}", kind="school") for i in range(60)])
    client = client_for(coordinator)
    first = client.get(reverse("needs_matrix:grid"), {"kind": "school"}).content.decode()
    assert "Paged 049" in first and "Paged 050" not in first
    assert "Page 1 of 2" in first and "kind=school&amp;page=2" in first
    second = client.get(
        reverse("needs_matrix:grid"), {"kind": "school", "page": 2}
    ).content.decode()
    assert "Paged 050" in second and "Paged 049" not in second


def test_summary_page_shows_gaps_thin_heat_map_and_matches(client_for, viewer, hand_built):
    response = client_for(viewer).get(
        reverse("needs_matrix:summary"), {"group": hand_built.group.pk}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="gap-count">1<' in html
    assert "Gaps by partner kind" in html and "heat-4" in html
    assert "Suggested matches" in html and "P1 district (high)" in html
    assert "150%" in html and "50%" in html


def _row_post(partner_categories, **values):
    data = {}
    for category in partner_categories:
        data[f"stance_{category.pk}"] = "not_assessed"
    data.update(values)
    return data


def test_lead_saves_own_row(client_for, lead, partner, mentors):
    categories = list(Category.objects.current())
    data = _row_post(
        categories,
        **{
            f"stance_{mentors.pk}": "contribute",
            f"capacity_{mentors.pk}": "Five engineers",
            f"priority_{mentors.pk}": "high",  # ignored: not a need
        },
    )
    client = client_for(lead)
    response = client.post(reverse("needs_matrix:row_edit", args=[partner.pk]), data)
    assert response.status_code == 302
    entry = MatrixEntry.objects.get(partner=partner)
    assert (entry.category, entry.stance, entry.priority, entry.capacity_note) == (
        mentors,
        "contribute",
        "",
        "Five engineers",
    )
    page = client.get(reverse("needs_matrix:row_edit", args=[partner.pk]))
    html = page.content.decode()
    assert "Saved 1 change" in html
    assert "Recent changes" in html and "set <strong>Mentors</strong> to Contributes" in html


def test_row_with_a_need_and_no_priority_is_400_and_saves_nothing(
    client_for, editor, partner, mentors
):
    categories = list(Category.objects.current())
    data = _row_post(categories, **{f"stance_{mentors.pk}": "need"})
    response = client_for(editor).post(reverse("needs_matrix:row_edit", args=[partner.pk]), data)
    assert response.status_code == 400
    assert "Choose a priority for this need." in response.content.decode()
    assert not MatrixEntry.objects.exists()


def test_lead_cannot_edit_another_partners_row(client_for, lead, other_partner, mentors):
    url = reverse("needs_matrix:row_edit", args=[other_partner.pk])
    client = client_for(lead)
    assert client.get(url).status_code == 403
    response = client.post(url, {f"stance_{mentors.pk}": "contribute"})
    assert response.status_code == 403
    assert not MatrixEntry.objects.exists()


def test_viewer_reads_own_row_without_a_form(client_for, viewer, partner, mentors):
    factories.MatrixEntryFactory(partner=partner, category=mentors, stance="need", priority="high")
    response = client_for(viewer).get(reverse("needs_matrix:row_edit", args=[partner.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "You can read this row" in html
    assert "<select" not in html and "Save the row" not in html
    response = client_for(viewer).post(
        reverse("needs_matrix:row_edit", args=[partner.pk]), {f"stance_{mentors.pk}": "contribute"}
    )
    assert response.status_code == 403
    assert MatrixEntry.objects.get().stance == "need"


def test_row_page_shows_retired_entries_and_helpers(
    client_for, lead, coordinator, partner, other_partner, mentors
):
    from needs_matrix.services import category_retire

    kits = factories.CategoryFactory(name="Old kits")
    factories.MatrixEntryFactory(partner=partner, category=mentors, stance="need", priority="high")
    factories.MatrixEntryFactory(partner=other_partner, category=mentors, stance="contribute")
    factories.MatrixEntryFactory(partner=partner, category=kits, stance="contribute")
    category_retire(category=kits, actor=Actor.of(coordinator))
    html = (
        client_for(lead).get(reverse("needs_matrix:row_edit", args=[partner.pk])).content.decode()
    )
    assert "Retired categories" in html and "Old kits: Can contribute" in html
    assert f"stance_{kits.pk}" not in html
    assert "Can contribute this: Chemeketa Community College" in html


def test_row_url_name_for_the_mou_page(partner):
    assert reverse("needs_matrix:row_edit", kwargs={"partner_pk": partner.pk}) == (
        f"/matrix/partners/{partner.pk}/"
    )


def test_missing_partner_is_404(client_for, coordinator):
    assert client_for(coordinator).get("/matrix/partners/999999/").status_code == 404


def test_coordinator_manages_categories(client_for, coordinator, assessment_group):
    client = client_for(coordinator)
    group = assessment_group
    response = client.post(
        reverse("needs_matrix:category_create"),
        {"group": group.pk, "name": "Data dashboards", "order": 5},
    )
    assert response.status_code == 302
    category = Category.objects.get(name="Data dashboards")
    response = client.post(
        reverse("needs_matrix:category_create"),
        {"group": group.pk, "name": "data DASHBOARDS", "order": 6},
    )
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    response = client.post(
        reverse("needs_matrix:category_edit", args=[category.pk]),
        {
            "group": group.pk,
            "name": "Data dashboards for schools",
            "description": "Shared",
            "order": 2,
        },
    )
    assert response.status_code == 302
    category.refresh_from_db()
    assert category.name == "Data dashboards for schools"
    client.post(reverse("needs_matrix:category_retire", args=[category.pk]))
    category.refresh_from_db()
    assert category.is_retired
    listing = client.get(reverse("needs_matrix:category_list")).content.decode()
    assert "Retired" in listing and "Restore" in listing
    response = client.post(reverse("needs_matrix:group_create"), {"name": "Outreach", "order": 9})
    assert response.status_code == 302 and CategoryGroup.objects.filter(name="Outreach").exists()
    assert client.post(reverse("needs_matrix:group_create"), {"name": ""}).status_code == 400


def test_exports_download(client_for, coordinator, hand_built):
    client = client_for(coordinator)
    response = client.get(reverse("needs_matrix:export_csv"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "P1 district,Category A,need,high,," in body
    response = client.get(reverse("needs_matrix:export_xlsx"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["Grid", "Summary", "Notes"]


def test_import_page_lists_errors_with_400_and_imports_nothing(client_for, coordinator, hand_built):
    from django.core.files.uploadedfile import SimpleUploadedFile

    before = MatrixEntry.objects.count()
    content = (
        b"partner,category,stance,priority\n"
        b"P1 district,Category D,need,low\n"
        b"P1 district,No such thing,need,low\n"
    )
    response = client_for(coordinator).post(
        reverse("needs_matrix:import"), {"file": SimpleUploadedFile("m.csv", content)}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was imported" in html
    assert "Row 3: unknown category “No such thing”." in html
    assert MatrixEntry.objects.count() == before


def test_import_page_empty_and_encoding_errors(client_for, coordinator, hand_built):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(coordinator)
    response = client.post(
        reverse("needs_matrix:import"), {"file": SimpleUploadedFile("m.csv", b"")}
    )
    assert response.status_code == 400 and "The file is empty." in response.content.decode()
    response = client.post(
        reverse("needs_matrix:import"),
        {
            "file": SimpleUploadedFile(
                "m.csv", "partner,category,stance\nÉ,C,need\n".encode("utf-16")
            )
        },
    )
    assert response.status_code == 400 and "not UTF-8" in response.content.decode()
    assert client.post(reverse("needs_matrix:import"), {}).status_code == 400


def test_import_page_success(client_for, coordinator, hand_built):
    from django.core.files.uploadedfile import SimpleUploadedFile

    content = b"partner,category,stance,priority\nP1 district,Category D,need,low\n"
    client = client_for(coordinator)
    response = client.post(
        reverse("needs_matrix:import"), {"file": SimpleUploadedFile("m.csv", content)}, follow=True
    )
    assert response.status_code == 200
    assert "Imported 1 rows: 1 new" in response.content.decode()
    assert MatrixEntry.objects.filter(
        partner__name="P1 district", category__name="Category D"
    ).exists()


# --- filters: labelled, exported as shown, refused when not understood ---------------------


def test_summary_filtered_by_kind_says_what_it_counts(client_for, coordinator, hand_built):
    client = client_for(coordinator)
    html = client.get(reverse("needs_matrix:summary")).content.decode()
    assert "Filtered view" not in html
    response = client.get(reverse("needs_matrix:summary"), {"kind": "school_district"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Filtered view." in html and "Partner kind: <strong>School district</strong>" in html
    assert "counts only the partners in this filter" in html
    assert "may be met by a partner outside it" in html
    # The export links carry the filters.
    assert reverse("needs_matrix:export_csv") + "?kind=school_district" in html
    assert reverse("needs_matrix:export_xlsx") + "?kind=school_district" in html


def test_category_group_filter_says_every_partner_counts(client_for, coordinator, hand_built):
    html = (
        client_for(coordinator)
        .get(reverse("needs_matrix:grid"), {"group": hand_built.group.pk})
        .content.decode()
    )
    assert "Category group: <strong>Hand-built group</strong>" in html
    assert "every active partner is counted" in html


def test_summary_with_a_garbage_filter_is_400_and_shows_the_form(client_for, viewer, hand_built):
    response = client_for(viewer).get(
        reverse("needs_matrix:summary"), {"kind": "<script>", "group": "999999"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Some filter values were not understood" in html
    assert "Category group: " in html and "<script>" not in html
    assert '<form method="get"' in html and "Partners in view" in html


@pytest.mark.parametrize("name", ["export_csv", "export_xlsx"])
def test_exports_refuse_filters_they_do_not_understand(client_for, coordinator, hand_built, name):
    response = client_for(coordinator).get(reverse(f"needs_matrix:{name}"), {"workgroup": "x"})
    assert response.status_code == 400
    assert response.content.decode().startswith("These filters cannot be used: Workgroup:")


def test_filtered_csv_holds_what_is_shown_and_names_the_filters(
    client_for, coordinator, hand_built
):
    response = client_for(coordinator).get(
        reverse("needs_matrix:export_csv"), {"kind": "school_district"}
    )
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = [row[0] for row in csv.reader(io.StringIO(text))]
    assert lines[0].startswith("# Needs matrix export taken")
    assert lines[1] == "# Filters: Partner kind: School district."
    assert lines[2].startswith("# Only the partners in these filters")
    assert lines[3].startswith("# A cell whose text starts with =")
    assert text.splitlines()[4] == "partner,category,stance,priority,capacity_note,note"
    partners = set(lines[5:])
    assert partners == {"P1 district", "P2 district"}


def test_filtered_csv_imports_back(client_for, coordinator, hand_built):
    from needs_matrix.services import matrix_import_csv

    response = client_for(coordinator).get(
        reverse("needs_matrix:export_csv"), {"kind": "school_district"}
    )
    data = b"".join(response.streaming_content)
    result = matrix_import_csv(file=data, actor=Actor.of(coordinator))
    assert (result.rows, result.created, result.updated) == (6, 0, 0)


def test_filtered_xlsx_holds_what_is_shown_with_a_notes_sheet(client_for, coordinator, hand_built):
    response = client_for(coordinator).get(
        reverse("needs_matrix:export_xlsx"),
        {"kind": "school_district", "group": hand_built.group.pk},
    )
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    grid = list(book["Grid"].iter_rows(values_only=True))
    assert [row[0] for row in grid[1:]] == ["P1 district", "P2 district"]
    assert list(grid[0][2:]) == [f"Category {x}" for x in "ABCDE"]
    summary = {row[1]: row for row in book["Summary"].iter_rows(min_row=2, values_only=True)}
    # Within the filter nobody contributes A: the file shows the same gap as the page.
    assert summary["Category A"][2:6] == (2, 0, 0, "yes")
    notes = [row[0] for row in book["Notes"].iter_rows(values_only=True)]
    assert "Filters: Partner kind: School district; Category group: Hand-built group." in notes
    assert any("counted within them" in (note or "") for note in notes)


def test_unfiltered_xlsx_notes_say_no_filters(client_for, coordinator, hand_built):
    response = client_for(coordinator).get(reverse("needs_matrix:export_xlsx"))
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    notes = [row[0] for row in book["Notes"].iter_rows(values_only=True)]
    assert "Filters: none (every active partner, every current category)." in notes


# --- a row's history ---------------------------------------------------------------------


def _save(partner, category, user, **values):
    from needs_matrix.services import EntryValues, row_save

    row_save(partner=partner, values={category.pk: EntryValues(**values)}, actor=Actor.of(user))


def test_row_history_shows_who_changed_what_and_when(client_for, lead, coordinator, partner):
    import re
    from datetime import datetime

    kits = factories.CategoryFactory(name="Robotics kits")
    _save(partner, kits, lead, stance="need", priority="high")
    _save(partner, kits, coordinator, stance="contribute", capacity_note="Ten kits")
    client = client_for(lead)
    row_page = client.get(reverse("needs_matrix:row_edit", args=[partner.pk])).content.decode()
    history_url = reverse("needs_matrix:row_history", args=[partner.pk])
    assert history_url in row_page
    grid = client.get(reverse("needs_matrix:grid")).content.decode()
    assert history_url in grid

    response = client.get(history_url)
    assert response.status_code == 200
    html = response.content.decode()
    newest, oldest = (
        html.index(coordinator.full_name),
        html.index(lead.full_name, html.index("<tbody")),
    )
    assert newest < oldest  # newest first
    assert "<del>Need</del>" in html and "<ins>Can contribute</ins>" in html
    assert "<del>High</del>" in html and "<ins>Ten kits</ins>" in html
    # Every <time datetime> is a valid date string, with no microseconds.
    stamps = re.findall(r'<time datetime="([^"]+)"', html)
    assert len(stamps) == 2
    for stamp in stamps:
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", stamp), stamp
        datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%S%z")
    stamps = re.findall(r'<time datetime="([^"]+)"', row_page)
    assert stamps and all(re.fullmatch(r"[\d-]+T[\d:]+[+-]\d{4}", s) for s in stamps)


def test_row_history_is_not_for_other_partners_or_the_grid_link(
    client_for, other_lead, partner, hand_built
):
    client = client_for(other_lead)
    assert client.get(reverse("needs_matrix:row_history", args=[partner.pk])).status_code == 403
    grid = client.get(reverse("needs_matrix:grid")).content.decode()
    assert reverse("needs_matrix:row_history", args=[hand_built.partners["P1"].pk]) not in grid


def test_row_history_query_count_is_pinned(client_for, lead, partner, django_assert_num_queries):
    categories = [factories.CategoryFactory(name=f"History {i}") for i in range(3)]
    client = client_for(lead)
    url = reverse("needs_matrix:row_history", args=[partner.pk])
    _save(partner, categories[0], lead, stance="need", priority="low")
    client.get(url)
    # savepoint and release, session, user, the partner, memberships, count, the page
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
    for i in range(30):
        _save(partner, categories[i % 3], lead, stance="need", priority=("high", "low")[i % 2])
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200
