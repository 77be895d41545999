"""The rules about blocks that several pages read, each written once in mou: which blocks
are owed, which are overdue, and whether a block may be reminded."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mou.models import MouVersion, RoleBlock
from mou.reminders import block_remind_refusal
from mou.selectors import version_status_counts
from tests import factories

pytestmark = pytest.mark.django_db

OWED = {RoleBlock.Status.NOT_STARTED, RoleBlock.Status.DRAFT, RoleBlock.Status.CHANGES_REQUESTED}


@pytest.fixture
def deadline():
    return timezone.now().replace(microsecond=0) + timedelta(days=10)


@pytest.fixture
def blocks(deadline) -> dict[str, RoleBlock]:
    """A block in every status, and two owed ones with an extension (after and before)."""
    version = factories.MouVersionFactory(status="open", deadline=deadline)
    made = {
        status: factories.RoleBlockFactory(version=version, status=status)
        for status in RoleBlock.Status.values
    }
    made["extended"] = factories.RoleBlockFactory(
        version=version, status="draft", extension_until=deadline + timedelta(days=5)
    )
    made["shortened"] = factories.RoleBlockFactory(
        version=version, status="draft", extension_until=deadline - timedelta(days=5)
    )
    return made


def keys(blocks, queryset) -> set[str]:
    ids = set(queryset.values_list("pk", flat=True))
    return {key for key, block in blocks.items() if block.pk in ids}


def test_owed_is_not_started_draft_or_changes_requested(blocks):
    assert keys(blocks, RoleBlock.objects.owed()) == OWED | {"extended", "shortened"}
    for block in blocks.values():
        assert block.is_owed == (block.status in OWED)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        (timedelta(days=-1), set()),
        (timedelta(days=1), OWED | {"shortened"}),
        (timedelta(days=6), OWED | {"shortened", "extended"}),
    ],
)
def test_overdue_is_owed_and_past_the_later_of_deadline_and_extension(
    blocks, deadline, after, expected
):
    now = deadline + after
    assert keys(blocks, RoleBlock.objects.overdue(now)) == expected
    in_hand = RoleBlock.objects.select_related("version").filter(
        pk__in=[b.pk for b in blocks.values()]
    )
    assert {key for key, b in blocks.items() if in_hand.get(pk=b.pk).is_overdue(now=now)} == (
        expected
    )


def test_status_counts_say_owed_and_with_a_moment_overdue(
    blocks, deadline, django_assert_num_queries
):
    version = blocks["draft"].version
    with django_assert_num_queries(1):
        counts = version_status_counts(version=version, now=deadline + timedelta(days=1))
    assert counts["total"] == 7 and counts["owed"] == 5 and counts["overdue"] == 4
    assert "overdue" not in version_status_counts(version=version)


def test_only_an_owed_block_of_an_open_version_may_be_reminded(blocks):
    draft = blocks["draft"]
    assert block_remind_refusal(draft) is None
    submitted = blocks["submitted"]
    assert block_remind_refusal(submitted) == (
        f"{submitted.partner}'s block is submitted: there is nothing to remind them of."
    )
    MouVersion.objects.filter(pk=draft.version_id).update(status="frozen")
    draft.version.refresh_from_db()
    assert block_remind_refusal(draft) == (
        f"{draft.version} is frozen: its blocks get no more reminders."
    )
