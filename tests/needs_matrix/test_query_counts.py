"""The grid, the summary and a row page run the same number of queries at 10 partners as
at 5,000 (bulk-created so the test stays quick)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from needs_matrix.models import Category, MatrixEntry
from partnership.models import Partner, PartnerKind
from tests import factories

KINDS = PartnerKind.values
LARGE = 5000

# Pinned: a change here is a deliberate decision, never an accident. Every page has a
# savepoint and its release (ATOMIC_REQUESTS), the session and the user, then:
# - grid: the user's memberships (for "your row"), categories, partner count, the page of
#   partners, their entries, the per-category summary, workgroups and groups (filters);
# - summary: categories, the per-category summary, the heat map, needers and
#   contributors for matches (window functions), partner count, workgroups and groups;
# - row page: the partner, categories, its entries, who contributes what it needs,
#   recent changes.
# A partner's person adds one query: their memberships (permission checks), or on the
# grid their own partners' names.
PINNED = {
    "coordinator": {"grid": 12, "summary": 12, "row_edit": 9},
    "lead": {"grid": 13, "summary": 13, "row_edit": 10},
}


def _categories() -> list[Category]:
    group = factories.CategoryGroupFactory(name="Scale group")
    for i in range(12):
        factories.CategoryFactory(group=group, name=f"Scale category {i:02}")
    return list(Category.objects.current())


def _build(start: int, stop: int, categories: list[Category]) -> None:
    partners = Partner.objects.bulk_create(
        [
            Partner(name=f"Scale partner {i:05}", kind=KINDS[i % len(KINDS)])
            for i in range(start, stop)
        ],
        batch_size=1000,
    )
    n = len(categories)
    entries = []
    for i, partner in enumerate(partners, start=start):
        entries.append(
            MatrixEntry(
                partner=partner,
                category=categories[i % n],
                stance="need",
                priority=("high", "medium", "low")[i % 3],
            )
        )
        entries.append(
            MatrixEntry(partner=partner, category=categories[(i + 1) % n], stance="contribute")
        )
        if i % 2:
            entries.append(
                MatrixEntry(
                    partner=partner, category=categories[(i + 5) % n], stance="both", priority="low"
                )
            )
    MatrixEntry.objects.bulk_create(entries, batch_size=2000)


@pytest.mark.parametrize("role", ["coordinator", "lead"])
def test_query_count_is_the_same_at_10_and_5000_partners(
    request, client_for, django_assert_num_queries, partner, role
):
    user = request.getfixturevalue(role)
    categories = _categories()
    MatrixEntry.objects.create(
        partner=partner, category=categories[0], stance="need", priority="high"
    )
    _build(0, 9, categories)  # with the fixture's partner: 10
    client = client_for(user)
    urls = {
        "grid": reverse("needs_matrix:grid"),
        "summary": reverse("needs_matrix:summary"),
        "row_edit": reverse("needs_matrix:row_edit", args=[partner.pk]),
    }
    small = {}
    for name, url in urls.items():
        client.get(url)  # the first request of a session may touch it
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        small[name] = len(queries)
    assert Partner.objects.count() == 10

    _build(9, LARGE - 1, categories)
    assert Partner.objects.count() == LARGE
    for name, url in urls.items():
        with django_assert_num_queries(small[name]):
            response = client.get(url)
        assert response.status_code == 200

    assert small == PINNED[role]


def test_grid_with_filters_pages_at_5000(client_for, coordinator):
    categories = _categories()
    _build(0, LARGE, categories)
    client = client_for(coordinator)
    response = client.get(reverse("needs_matrix:grid"), {"kind": "college", "page": 3})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Page 3 of 10" in html  # 500 colleges, 50 a page
    assert html.count('<th scope="row" class="partner-col">') == 50 + 4  # + footer rows
