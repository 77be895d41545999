"""Journey 6: a lead offers what another partner needs; the coordinator sees the gap close."""

import re

from playwright.sync_api import expect

from needs_matrix.models import Category, CategoryGroup, MatrixEntry
from tests import factories


def _category(name: str, group_name: str) -> Category:
    # Built here: a live-server test must not rely on rows a data migration left behind.
    group, _ = CategoryGroup.objects.get_or_create(name=group_name, defaults={"order": 3})
    category, _ = Category.objects.get_or_create(name=name, defaults={"group": group})
    return category


def test_lead_contribution_closes_a_gap_on_the_coordinators_summary(
    page, browser, live_server, signin, axe
):
    mentors = _category("Mentors", "Mentoring and STEM experiences")
    kits = _category("Equipment and materials", "Funding and resources")
    business = factories.PartnerFactory(
        name="Willamette Valley Manufacturing Partners", kind="business"
    )
    district = factories.PartnerFactory(name="Woodburn School District")
    factories.MatrixEntryFactory(partner=district, category=mentors, stance="need", priority="high")
    factories.MatrixEntryFactory(partner=district, category=kits, stance="contribute")
    lead = factories.MembershipFactory(partner=business, role="lead").user
    coordinator = factories.UserFactory(is_coordinator=True, full_name="Lita Coordinator")

    # The coordinator, in a browser of her own, sees the gap.
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    coordinator_page = context.new_page()
    signin(coordinator_page, coordinator, "/matrix/summary/")
    mentors_row = coordinator_page.locator('tr[data-category="Mentors"]')
    expect(mentors_row.get_by_text("Gap", exact=True)).to_be_visible()
    expect(coordinator_page.locator("#gap-count")).to_have_text("1")
    heat_map = coordinator_page.get_by_role("region", name="Gaps by partner kind")
    expect(heat_map.get_by_role("rowheader", name="Mentors")).to_be_visible()
    axe(coordinator_page)

    # The lead opens the company's row (as from the e-mailed link) and offers mentors.
    signin(page, lead, f"/matrix/partners/{business.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(business.name)
    axe(page)
    priority = page.get_by_label("Priority of the need for Mentors")
    expect(priority).to_be_disabled()  # not a need yet
    page.get_by_label("Stance on Mentors").select_option("contribute")
    page.get_by_label("What you can contribute to Mentors").fill("Engineers for FIRST teams")
    page.get_by_label("Stance on Equipment and materials").select_option("need")
    expect(page.get_by_label("Priority of the need for Equipment and materials")).to_be_enabled()
    page.get_by_label("Priority of the need for Equipment and materials").select_option("low")
    page.get_by_role("button", name="Save the row").click()
    expect(page.get_by_text("Saved 2 changes")).to_be_visible()
    expect(page.get_by_text(re.compile(r"set Mentors to Contributes"))).to_be_visible()
    assert MatrixEntry.objects.get(partner=business, category=mentors).capacity_note == (
        "Engineers for FIRST teams"
    )

    # The grid shows the company's row in words, not only colour.
    page.goto(live_server.url + "/matrix/")
    row = page.get_by_role("row", name=re.compile("Willamette Valley Manufacturing"))
    expect(row.get_by_role("cell", name="Contributes")).to_be_visible()
    expect(row.get_by_role("cell", name="Need · low")).to_be_visible()
    axe(page)

    # The coordinator reloads: the gap is gone, Mentors now rests on one contributor.
    coordinator_page.reload()
    expect(mentors_row.get_by_text("Thin", exact=True)).to_be_visible()
    expect(coordinator_page.locator("#gap-count")).to_have_text("0")
    expect(heat_map).to_contain_text("No gaps")
    matches = coordinator_page.get_by_role("region", name="Suggested matches")
    expect(matches).to_contain_text("Needed by: Woodburn School District (high)")
    expect(matches).to_contain_text("Can contribute: Willamette Valley Manufacturing Partners")
    context.close()


def test_grid_on_a_phone_scrolls_sideways_with_the_partner_column_in_place(
    page, live_server, signin, axe
):
    group = CategoryGroup.objects.create(name="Phone test group", order=999)  # the last columns
    categories = [
        Category.objects.get_or_create(name=f"Phone category {i}", defaults={"group": group})[0]
        for i in range(8)
    ]
    partner = factories.PartnerFactory(name="Silver Falls School District")
    factories.MatrixEntryFactory(
        partner=partner, category=categories[7], stance="need", priority="medium"
    )
    viewer = factories.MembershipFactory(partner=partner, role="viewer").user
    page.set_viewport_size({"width": 390, "height": 844})
    signin(page, viewer, "/matrix/")
    region = page.get_by_role("region", name=re.compile("Needs and contributions"))
    expect(region).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page itself must not scroll sideways"
    region.scroll_into_view_if_needed()
    region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    partner_header = page.get_by_role("rowheader", name="Silver Falls School District")
    box = partner_header.bounding_box()
    assert box is not None and box["x"] < 40, box  # sticky first column stays on screen
    expect(page.get_by_role("cell", name="Need · medium")).to_be_in_viewport()
    axe(page)
