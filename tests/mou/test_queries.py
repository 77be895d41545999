"""List pages run a constant number of queries, whatever the number of partners."""

import pytest

from core.actor import Actor
from mou import services
from mou.models import RoleBlock
from tests import factories
from tests.mou.conftest import COMPLETE

pytestmark = pytest.mark.django_db


def grow(version, n: int) -> None:
    """Add ``n`` partners with a lead, a started block and a last editor each."""
    for _ in range(n):
        membership = factories.MembershipFactory(role="lead")
        (block,) = services.blocks_ensure_for_partner(
            partner=membership.partner, actor=Actor.system()
        )
        services.block_save_draft(
            block=block, actor=Actor.of(membership.user), data=COMPLETE, expected_revision=0
        )
    assert RoleBlock.objects.filter(version=version).count() >= n


@pytest.mark.parametrize(
    "who,page,pinned",
    [
        ("coordinator", "/mou/", 6),
        ("lead", "/mou/", 8),
        # The version page: its blocks, counts, and the person's latest draft PDF.
        ("coordinator", "/mou/{v}/", 9),
        ("coordinator", "/mou/{v}/?status=draft", 9),
        ("lead", "/mou/{v}/", 8),
        ("lead", "/mou/{v}/document/", 7),
    ],
)
def test_list_pages_have_pinned_query_counts(
    who,
    page,
    pinned,
    version,
    block,
    other_block,
    client_for,
    request,
    django_assert_num_queries,
):
    client = client_for(request.getfixturevalue(who))
    url = page.format(v=version.pk)
    factories.PartnerFactory()  # an active partner added later, without a block
    grow(version, 1)  # three blocks
    with django_assert_num_queries(pinned):
        assert client.get(url).status_code == 200
    grow(version, 17)  # twenty blocks
    for _ in range(3):  # and a few more versions for the version list
        services.version_create(
            actor=Actor.of(factories.UserFactory(is_coordinator=True)),
            title="More",
            shared_text="",
            deadline=version.deadline,
        )
    with django_assert_num_queries(pinned):
        assert client.get(url).status_code == 200


def test_block_history_page_query_count_does_not_grow_with_revisions(
    version, block, lead, client_for, django_assert_num_queries
):
    client = client_for(lead)
    saved = services.block_save_draft(
        block=block, actor=Actor.of(lead), data={"commitments": "1"}, expected_revision=0
    )
    with django_assert_num_queries(9):
        client.get(f"/mou/{version.pk}/blocks/{block.pk}/history/")
    for n in range(2, 12):
        saved = services.block_save_draft(
            block=saved,
            actor=Actor.of(lead),
            data={"commitments": str(n)},
            expected_revision=saved.revision,
        )
    with django_assert_num_queries(9):
        client.get(f"/mou/{version.pk}/blocks/{block.pk}/history/")
