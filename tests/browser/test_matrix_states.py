"""Every state of the matrix pages a person meets, on a phone and on a desktop: the grid
scrolled by the page with its header in view, filters that are labelled or not
understood, the row editor's errors and a row's history, each checked with axe."""

import re

import pytest
from playwright.sync_api import expect

from needs_matrix.models import Category, CategoryGroup
from tests import factories
from tests.browser.conftest import ARTIFACTS

VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def _shot(page, name: str) -> None:
    # Kept for people to look at (a failing test also keeps one of its own).
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"matrix-{name}.png"), full_page=True)


def _world():
    group, _ = CategoryGroup.objects.get_or_create(name="States group", defaults={"order": 0})
    categories = [
        Category.objects.get_or_create(name=f"State category {i}", defaults={"group": group})[0]
        for i in range(6)
    ]
    partners = [
        factories.PartnerFactory(name=f"State partner {i:02}", kind="school_district")
        for i in range(40)
    ]
    for i, partner in enumerate(partners):
        factories.MatrixEntryFactory(
            partner=partner, category=categories[i % 6], stance="need", priority="high"
        )
    return group, categories, partners


@pytest.mark.parametrize("size", VIEWPORTS)
def test_grid_scrolls_with_the_page_and_keeps_its_header_in_view(
    page, live_server, signin, axe, size
):
    _world()
    coordinator = factories.UserFactory(is_coordinator=True)
    page.set_viewport_size(VIEWPORTS[size])
    signin(page, coordinator, "/matrix/?kind=school_district")
    region = page.get_by_role("region", name=re.compile("Needs and contributions"))
    expect(region).to_be_visible()
    # The box does not scroll up and down: the page does.
    assert region.evaluate("el => el.scrollHeight <= el.clientHeight + 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[size]["width"]
    last = page.get_by_role("rowheader", name=re.compile("State partner 39"))
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    expect(last).to_be_in_viewport()
    page.mouse.wheel(0, -200)  # the footer leaves the screen; the last rows are in view
    page.wait_for_timeout(200)
    header = page.get_by_role("columnheader", name="State category 5")
    box = header.bounding_box()
    assert box is not None and 0 <= box["y"] < 200, box  # the header follows the page
    corner = page.locator("thead th.partner-col")
    expect(corner).to_be_in_viewport()
    corner_box = corner.bounding_box()
    assert corner_box is not None and corner_box["y"] >= -1, corner_box
    _shot(page, f"grid-scrolled-{size}")
    axe(page)

    # Scrolling sideways keeps the partner column in place, under the header.
    region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    page.wait_for_timeout(100)
    row_box = last.bounding_box()
    region_box = region.bounding_box()
    assert row_box["x"] - region_box["x"] < 5, (row_box, region_box)
    last_header = page.locator("thead tr.categories th").last
    expect(last_header).to_be_in_viewport()
    assert 0 <= last_header.bounding_box()["y"] < 200


@pytest.mark.parametrize("size", VIEWPORTS)
def test_filtered_and_not_understood_filters_are_said_on_the_page(
    page, live_server, signin, axe, size
):
    group, _, _ = _world()
    coordinator = factories.UserFactory(is_coordinator=True)
    page.set_viewport_size(VIEWPORTS[size])
    signin(page, coordinator, "/matrix/summary/?kind=school_district")
    note = page.locator("#filter-note")
    expect(note).to_contain_text("Partner kind: School district")
    expect(note).to_contain_text("counts only the partners in this filter")
    _shot(page, f"summary-filtered-{size}")
    axe(page)

    response = page.goto(live_server.url + "/matrix/?kind=nonsense&workgroup=x")
    assert response.status == 400
    problems = page.get_by_role("alert")
    expect(problems).to_contain_text("Some filter values were not understood")
    expect(problems).to_contain_text("Partner kind: Select a valid choice.")
    expect(page.get_by_label("Partner kind")).to_have_attribute("aria-invalid", "true")
    _shot(page, f"grid-bad-filter-{size}")
    axe(page)

    page.goto(live_server.url + "/matrix/summary/?group=999999")
    expect(page.get_by_role("alert")).to_contain_text("Category group:")
    _shot(page, f"summary-bad-filter-{size}")
    axe(page)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_row_editor_errors_and_row_history_pass_axe(page, live_server, signin, axe, size):
    _, categories, partners = _world()
    partner = partners[0]
    lead = factories.MembershipFactory(
        partner=partner, role="lead", user__full_name="Rae Lead"
    ).user
    page.set_viewport_size(VIEWPORTS[size])
    signin(page, lead, f"/matrix/partners/{partner.pk}/")
    # A need with no priority: the page comes back with the error next to the field.
    page.get_by_label("Stance on State category 1").select_option("need")
    page.get_by_label("Stance on State category 0").select_option("contribute")
    page.get_by_label("What you can contribute to State category 0").fill("Two coaches")
    page.get_by_role("button", name="Save the row").click()
    expect(page.get_by_role("alert")).to_contain_text("The row was not saved")
    expect(page.get_by_text("Choose a priority for this need.")).to_be_visible()
    _shot(page, f"row-error-{size}")
    axe(page)

    page.get_by_label("Priority of the need for State category 1").select_option("medium")
    page.get_by_role("button", name="Save the row").click()
    expect(page.get_by_text(re.compile(r"Saved \d+ changes?"))).to_be_visible()
    page.get_by_role("link", name=re.compile("Full history")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("History of State partner 00")
    table = page.get_by_role("table")
    expect(table).to_contain_text("Rae Lead")
    expect(table).to_contain_text("Two coaches")
    stamp = page.locator("time").first.get_attribute("datetime")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}", stamp), stamp
    _shot(page, f"row-history-{size}")
    axe(page)

    # The grid links the row's history too.
    page.goto(live_server.url + "/matrix/")
    page.get_by_role("link", name="History of State partner 00’s row").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("History")
