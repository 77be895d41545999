"""Action items tied to a portal task complete themselves when the partner has done it:
through the hooks the MOU and the matrix run, when the item is made, and when its page is
read."""

from datetime import date

import pytest
from django.urls import reverse

from core.actor import Actor
from core.hooks import _RECEIVERS, PORTAL_TASK_MOMENTS
from core.models import Event
from meetings import demo, hooks, services
from meetings.exceptions import MeetingConflict
from meetings.models import ActionItem
from mou.models import RoleBlock
from needs_matrix.services import entry_set
from tests import factories
from tests.meetings.conftest import child_of
from tests.mou import conftest as mou
from tests.mou.conftest import submitted

# The MOU suite's fixtures: an open version with both partners' blocks, and it frozen.
deadline, draft_version, version = mou.deadline, mou.draft_version, mou.version
block, other_block = mou.block, mou.other_block
signing_deadline, countersigner, frozen = mou.signing_deadline, mou.countersigner, mou.frozen

pytestmark = pytest.mark.django_db


def tied_homework(coordinator, meeting, task_key="mou.block_submit", **kwargs) -> ActionItem:
    return services.action_item_create(
        actor=Actor.of(coordinator),
        meeting=meeting,
        description="Send your MOU block with the name of the leader who would sign",
        owner_kind=ActionItem.OwnerKind.ALL_PARTNERS,
        due_on=date(2031, 10, 15),
        task_key=task_key,
        **kwargs,
    )


def test_meetings_receives_every_portal_task_moment():
    for moment in PORTAL_TASK_MOMENTS:
        assert hooks.action_items_settle_quietly in _RECEIVERS[moment]


def test_a_failure_while_settling_never_undoes_the_submit(
    coordinator, meeting, version, block, lead, monkeypatch, caplog
):
    homework = tied_homework(coordinator, meeting)

    def broken(**kwargs):
        ActionItem.objects.update(description="half done")  # rolled back with its savepoint
        raise RuntimeError("a registered task failed")

    monkeypatch.setattr(hooks, "action_items_settle_for_moment", broken)
    submitted(block, lead)

    block.refresh_from_db()
    assert block.status == RoleBlock.Status.SUBMITTED
    assert not ActionItem.objects.filter(description="half done").exists()
    assert child_of(homework, block.partner).status == "open"
    assert "Settling the action items tied to a portal task failed" in caplog.text


def test_homework_tied_to_the_submit_task_follows_real_submissions(
    coordinator, meeting, version, block, other_block, lead, other_lead
):
    homework = tied_homework(coordinator, meeting)
    assert homework.subject == version  # the open version, by default
    assert homework.children.filter(status="open").count() == 2

    submitted(block, lead)

    mine = child_of(homework, block.partner)
    assert mine.status == "done" and mine.completed_by is None and mine.completed_at
    assert child_of(homework, other_block.partner).status == "open"
    event = Event.objects.get(action="action_item.complete_auto")
    assert event.actor is None and event.subject_id == mine.pk
    assert "Submit the organization's block" in event.summary
    homework.refresh_from_db()
    assert homework.status == "open"

    submitted(other_block, other_lead)
    homework.refresh_from_db()
    assert homework.status == "done"


def test_an_item_made_after_the_task_was_done_is_done_at_once(
    coordinator, meeting, version, block, other_block, lead
):
    submitted(block, lead)
    homework = tied_homework(coordinator, meeting)
    assert child_of(homework, block.partner).status == "done"
    assert child_of(homework, other_block.partner).status == "open"


def test_reading_the_meeting_or_the_item_settles_what_no_hook_announced(
    coordinator, meeting, version, block, other_block, lead, client_for
):
    homework = tied_homework(coordinator, meeting)
    # A block that reached "submitted" without the hook (an import, an admin edit).
    RoleBlock.objects.filter(pk=block.pk).update(status=RoleBlock.Status.SUBMITTED)
    page = client_for(lead).get(meeting.get_absolute_url()).content.decode()
    assert child_of(homework, block.partner).status == "done"
    assert "1 of 2" in page

    RoleBlock.objects.filter(pk=other_block.pk).update(status=RoleBlock.Status.ACCEPTED)
    page = client_for(coordinator).get(homework.get_absolute_url()).content.decode()
    assert child_of(homework, other_block.partner).status == "done"
    assert "2 of 2" in page and "in the portal" in page
    assert "Submit the organization&#x27;s block of the MOU" in page


def test_an_item_done_in_the_portal_has_no_undo_and_refuses_a_reopen(
    coordinator, meeting, version, block, lead, client_for
):
    homework = tied_homework(coordinator, meeting)
    submitted(block, lead)
    mine = child_of(homework, block.partner)
    page = client_for(lead).get(mine.get_absolute_url()).content.decode()
    assert "Undo" not in page and "in the portal" in page
    with pytest.raises(MeetingConflict, match="has done this in the portal"):
        services.action_item_reopen(item=mine, actor=Actor.of(coordinator))
    response = client_for(lead).post(reverse("meetings:item_reopen", args=[mine.pk]))
    assert response.status_code == 409
    # Nor does the edit form set it back to open (it would only complete itself again).
    with pytest.raises(MeetingConflict, match="has done this in the portal"):
        services.action_item_update(
            item=mine, actor=Actor.of(coordinator), description=mine.description,
            due_on=mine.due_on, status="open",
        )  # fmt: skip
    assert child_of(homework, block.partner).status == "done"


def test_the_matrix_row_task_completes_when_the_row_has_an_assessed_category(
    coordinator, meeting, partner, other_partner, lead
):
    homework = tied_homework(coordinator, meeting, task_key="needs_matrix.row_fill")
    category = factories.CategoryFactory()
    entry_set(
        partner=partner, category=category, stance="not_assessed", note="", actor=Actor.of(lead)
    )
    assert child_of(homework, partner).status == "open"  # a note alone is not an answer
    entry_set(
        partner=partner, category=category, stance="need", priority="high", actor=Actor.of(lead)
    )
    assert child_of(homework, partner).status == "done"
    assert child_of(homework, other_partner).status == "open"


def test_the_signing_task_completes_when_the_partners_leader_signs(
    coordinator, meeting, frozen, block
):
    from mou.models import SignatureRequest
    from mou.services import signature_sign

    homework = tied_homework(coordinator, meeting, task_key="mou.sign")
    assert homework.subject == frozen.version
    request = SignatureRequest.objects.get(frozen=frozen, partner=block.partner)
    signature_sign(
        signature=request,
        name="Christy Perry",
        title="Superintendent",
        consent=True,
        actor=Actor.system(),
    )
    assert child_of(homework, block.partner).status == "done"


def test_a_partner_item_follows_its_partner_only(
    coordinator, meeting, version, block, other_block, lead, other_lead
):
    item = services.action_item_create(
        actor=Actor.of(coordinator),
        meeting=meeting,
        description="Submit",
        owner_kind="partner",
        owner_partner=other_block.partner,
        task_key="mou.block_submit",
    )
    submitted(block, lead)
    item.refresh_from_db()
    assert item.status == "open"
    submitted(other_block, other_lead)
    item.refresh_from_db()
    assert item.status == "done"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"task_key": "mou.nothing"}, "does not exist"),
        ({"owner_kind": "person"}, "Only a partner's item"),
    ],
)
def test_a_task_needs_a_known_key_and_partner_owners(
    coordinator, meeting, version, kwargs, message
):
    values = {"owner_kind": "all_partners", "task_key": "mou.block_submit", **kwargs}
    if values["owner_kind"] == "person":
        values["owner_user"] = coordinator
    with pytest.raises(MeetingConflict, match=message):
        services.action_item_create(
            actor=Actor.of(coordinator), meeting=meeting, description="Homework", **values
        )
    assert not ActionItem.objects.exists()


def test_the_form_refuses_a_task_with_nothing_to_tie_it_to(coordinator, meeting, client_for):
    response = client_for(coordinator).post(
        reverse("meetings:item_create", args=[meeting.pk]),
        {
            "description": "Submit your block",
            "owner_kind": "all_partners",
            "task_key": "mou.block_submit",
        },
    )
    assert response.status_code == 400
    assert "There is nothing to tie" in response.content.decode()
    assert not ActionItem.objects.exists()


def test_the_form_ties_an_item_to_a_task(coordinator, meeting, version, block, lead, client_for):
    submitted(block, lead)
    response = client_for(coordinator).post(
        reverse("meetings:item_create", args=[meeting.pk]),
        {
            "description": "Submit your block",
            "owner_kind": "all_partners",
            "task_key": "mou.block_submit",
        },
    )
    assert response.status_code == 302
    item = ActionItem.objects.get(parent__isnull=True)
    assert item.task_key == "mou.block_submit" and item.subject == version
    assert child_of(item, block.partner).status == "done"


def test_the_demo_homework_reads_the_real_submissions(
    coordinator, version, block, other_block, lead, other_lead
):
    submitted(block, lead)
    submitted(other_block, other_lead)
    demo.load_demo_meetings()
    homework = ActionItem.objects.get(
        meeting__title=demo.PARTNERSHIP_MEETING, owner_kind="all_partners"
    )
    assert homework.task_key == "mou.block_submit" and homework.subject == version
    assert homework.children.filter(status="done").count() == 2
    assert homework.status == "done"


def test_settling_a_meeting_runs_a_fixed_number_of_queries(
    coordinator, meeting, version, block, other_block, lead, django_assert_num_queries
):
    for _ in range(3):
        tied_homework(coordinator, meeting)
    with django_assert_num_queries(2):  # the open tied items, the one (task, version) answer
        assert services.meeting_items_settle(meeting=meeting) == 0
