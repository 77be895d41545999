"""The MOU services: every rule, every status transition allowed and refused."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from core.models import Event, OutboxMessage
from mou import services
from mou.exceptions import EditingClosed, NotAllowed, StaleRevision, TransitionNotAllowed
from mou.models import BlockReview, MouVersion, RoleBlock, RoleTemplate
from partnership.models import Partner
from tests import factories
from tests.mou.conftest import COMPLETE, fill, submitted

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/accounts/link/[^\s\"<]+/")


def events(action: str) -> list[Event]:
    return list(Event.objects.filter(action=action).order_by("id"))


# --- versions and templates -------------------------------------------------------------


def test_version_create_copies_the_default_templates_with_the_school_district_model(
    coordinator, deadline
):
    version = services.version_create(
        actor=Actor.of(coordinator),
        title="MOU 2026–27",
        shared_text="## Purpose",
        deadline=deadline,
    )
    assert version.status == MouVersion.Status.DRAFT
    assert version.number >= 1
    template = RoleTemplate.objects.get(version=version, kind="school_district")
    assert template.title == "School district partner"
    assert "prototypes" in template.model_text
    assert "leader in your organization who would sign" in " ".join(template.guidance.split())
    assert events("mou.version_created")[0].actor == coordinator


def test_version_create_copies_the_previous_versions_templates(coordinator, version, deadline):
    services.role_template_save(
        version=version,
        kind="school_district",
        actor=Actor.of(coordinator),
        data={"title": "District (revised)", "guidance": "New guidance"},
    )
    later = services.version_create(
        actor=Actor.of(coordinator),
        title="Next",
        shared_text="",
        deadline=deadline,
        previous=version,
    )
    assert RoleTemplate.objects.get(version=later, kind="school_district").title == (
        "District (revised)"
    )
    # The defaults are untouched.
    assert RoleTemplate.objects.get(version=None, kind="school_district").title == (
        "School district partner"
    )


def test_only_coordinators_manage_versions(lead, deadline, draft_version):
    with pytest.raises(NotAllowed):
        services.version_create(actor=Actor.of(lead), title="x", shared_text="", deadline=deadline)
    with pytest.raises(NotAllowed):
        services.version_open(version=draft_version, actor=Actor.of(lead))
    with pytest.raises(NotAllowed):
        services.role_template_save(
            version=draft_version, kind="school", actor=Actor.of(lead), data={}
        )


def test_version_update_allowed_while_draft_or_open_and_refused_when_frozen(
    coordinator, version, deadline
):
    services.version_update(
        version=version,
        actor=Actor.of(coordinator),
        title="Renamed",
        shared_text="Terms",
        deadline=deadline + timedelta(days=3),
    )
    version.refresh_from_db()
    assert version.title == "Renamed"
    assert version.deadline == deadline + timedelta(days=3)
    with pytest.raises(ValidationError) as excinfo:
        services.version_update(
            version=version,
            actor=Actor.of(coordinator),
            title="x",
            shared_text="",
            deadline=timezone.now() - timedelta(hours=1),
        )
    assert "deadline" in excinfo.value.message_dict
    MouVersion.objects.filter(pk=version.pk).update(status=MouVersion.Status.FROZEN)
    with pytest.raises(TransitionNotAllowed):
        services.version_update(
            version=version,
            actor=Actor.of(coordinator),
            title="x",
            shared_text="",
            deadline=deadline,
        )


def test_version_update_refuses_a_new_previous_once_open(coordinator, version, deadline):
    other = factories.MouVersionFactory(status=MouVersion.Status.EXECUTED)
    with pytest.raises(ValidationError):
        services.version_update(
            version=version,
            actor=Actor.of(coordinator),
            title=version.title,
            shared_text="",
            deadline=deadline,
            previous=other,
        )


def test_template_edit_refused_on_a_frozen_version(coordinator, version):
    MouVersion.objects.filter(pk=version.pk).update(status=MouVersion.Status.FROZEN)
    version.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):
        services.role_template_save(
            version=version,
            kind="school_district",
            actor=Actor.of(coordinator),
            data={"title": "x"},
        )


# --- opening ---------------------------------------------------------------------------


def test_opening_gives_every_active_partner_a_block_and_emails_each_lead(
    coordinator,
    draft_version,
    partner,
    other_partner,
    lead,
    editor,
    viewer,
    other_lead,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    prospective = factories.PartnerFactory(status=Partner.Status.PROSPECTIVE)
    inactive = factories.PartnerFactory(status=Partner.Status.INACTIVE)
    factories.MembershipFactory(partner=prospective, role="lead")
    with django_capture_on_commit_callbacks(execute=True):
        blocks = services.version_open(version=draft_version, actor=Actor.of(coordinator))
    draft_version.refresh_from_db()
    assert draft_version.status == MouVersion.Status.OPEN
    assert draft_version.opened_by == coordinator
    assert draft_version.opened_at is not None
    assert {b.partner for b in blocks} == {partner, other_partner}
    assert not RoleBlock.objects.filter(partner__in=[prospective, inactive]).exists()
    assert all(b.status == RoleBlock.Status.NOT_STARTED and b.revision == 0 for b in blocks)
    # Only leads hear about it, one message each, delivered after the commit.
    assert sorted(m.to[0] for m in mailoutbox) == sorted([lead.email, other_lead.email])
    messages = OutboxMessage.objects.filter(kind="mou_opened")
    assert messages.count() == 2
    assert all(m.status == OutboxMessage.Status.SENT for m in messages)
    event = events("mou.version_opened")[0]
    assert event.data == {"from": "draft", "to": "open", "blocks": 2}
    # Every block has its creation in its history, by the coordinator.
    block = blocks[0]
    assert block.history.count() == 1
    assert block.history.first().history_user == coordinator


def test_the_opening_email_links_straight_to_the_block_and_signs_the_lead_in(
    coordinator, draft_version, partner, lead, client, deadline
):
    services.version_open(version=draft_version, actor=Actor.of(coordinator))
    block = RoleBlock.objects.get(version=draft_version, partner=partner)
    message = OutboxMessage.objects.get(kind="mou_opened", to_email=lead.email)
    assert partner.name in message.body_text
    # A short subject with the zone's abbreviation, never its long name.
    assert "Oct 15, 11:59 PM P" in message.subject and "America/" not in message.subject
    link = LINK.search(message.body_text).group(0)
    assert link in message.body_html
    response = client.get(link)
    assert response.status_code == 302
    assert response["Location"] == block.get_absolute_url()
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert page.context["user"] == lead


def test_the_opening_link_lasts_until_a_week_after_the_deadline(
    coordinator, draft_version, partner, lead, client, deadline
):
    services.version_open(version=draft_version, actor=Actor.of(coordinator))
    message = OutboxMessage.objects.get(kind="mou_opened", to_email=lead.email)
    link = LINK.search(message.body_text).group(0)
    with time_machine.travel(deadline + timedelta(days=6), tick=False):
        assert client.get(link).status_code == 302
    client.logout()
    with time_machine.travel(deadline + timedelta(days=7, minutes=1), tick=False):
        assert client.get(link).status_code == 410


def test_opening_is_refused_twice_and_after_the_deadline(coordinator, draft_version, deadline):
    with time_machine.travel(deadline + timedelta(minutes=1), tick=False):
        with pytest.raises(ValidationError) as excinfo:
            services.version_open(version=draft_version, actor=Actor.of(coordinator))
        assert "deadline" in excinfo.value.message_dict
    draft_version.refresh_from_db()
    assert draft_version.status == MouVersion.Status.DRAFT
    services.version_open(version=draft_version, actor=Actor.of(coordinator))
    with pytest.raises(TransitionNotAllowed):
        services.version_open(version=draft_version, actor=Actor.of(coordinator))


def test_opening_carries_each_partners_block_over_from_the_previous_version(
    coordinator, version, block, lead, partner, deadline
):
    fill(block, lead)
    newcomer = factories.PartnerFactory(name="Oregon Museum of Science")
    later = services.version_create(
        actor=Actor.of(coordinator),
        title="Next",
        shared_text="",
        deadline=deadline,
        previous=version,
    )
    services.version_open(version=later, actor=Actor.of(coordinator))
    carried = RoleBlock.objects.get(version=later, partner=partner)
    assert carried.carried_over_from == RoleBlock.objects.get(pk=block.pk)
    for name, value in COMPLETE.items():
        assert getattr(carried, name) == value
    assert carried.status == RoleBlock.Status.NOT_STARTED
    fresh = RoleBlock.objects.get(version=later, partner=newcomer)
    assert fresh.carried_over_from is None and not fresh.has_content
    # The version it replaces while still open is superseded.
    version.refresh_from_db()
    assert version.status == MouVersion.Status.SUPERSEDED
    assert events("mou.version_superseded")[0].data["to"] == "superseded"
    message = (
        OutboxMessage.objects.filter(kind="mou_opened", to_email=lead.email).order_by("id").last()
    )
    assert "starts from what" in message.body_text


# --- late joiners -----------------------------------------------------------------------


def test_a_partner_that_joins_while_a_version_is_open_gets_a_block_and_an_email(
    version, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    newcomer = factories.PartnerFactory(name="Willamette University", kind="college")
    newcomer_lead = factories.MembershipFactory(partner=newcomer, role="lead").user
    with django_capture_on_commit_callbacks(execute=True):
        created = services.blocks_ensure_for_partner(partner=newcomer, actor=Actor.of(coordinator))
    assert [b.partner for b in created] == [newcomer]
    assert created[0].version == version
    assert [m.to[0] for m in mailoutbox] == [newcomer_lead.email]
    assert "Welcome to the partnership" in mailoutbox[0].body
    assert created[0].get_absolute_url() in mailoutbox[0].body or "/accounts/link/" in (
        mailoutbox[0].body
    )
    event = events("mou.block_created")[0]
    assert event.data["late_joiner"] is True
    # Calling it again changes nothing and sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.blocks_ensure_for_partner(partner=newcomer, actor=Actor.system()) == []
    assert RoleBlock.objects.filter(partner=newcomer).count() == 1
    assert len(mailoutbox) == 1


def test_blocks_ensure_does_nothing_for_inactive_partners_or_without_an_open_version(
    draft_version,
):
    inactive = factories.PartnerFactory(status=Partner.Status.INACTIVE)
    assert services.blocks_ensure_for_partner(partner=inactive, actor=Actor.system()) == []
    active = factories.PartnerFactory()
    assert (
        services.blocks_ensure_for_partner(partner=active, actor=Actor.system()) == []
    )  # only a draft exists
    assert not RoleBlock.objects.exists()


def test_blocks_ensure_carries_over_for_a_returning_partner(
    coordinator, version, block, lead, deadline
):
    fill(block, lead)
    later = services.version_create(
        actor=Actor.of(coordinator),
        title="Next",
        shared_text="",
        deadline=deadline,
        previous=version,
    )
    Partner.objects.filter(pk=block.partner_id).update(status=Partner.Status.INACTIVE)
    services.version_open(version=later, actor=Actor.of(coordinator))
    assert not RoleBlock.objects.filter(version=later, partner_id=block.partner_id).exists()
    partner = Partner.objects.get(pk=block.partner_id)
    partner.status = Partner.Status.ACTIVE
    partner.save()
    (created,) = services.blocks_ensure_for_partner(partner=partner, actor=Actor.system())
    assert created.version == later
    assert created.carried_over_from_id == block.pk
    assert created.role_in_partnership == COMPLETE["role_in_partnership"]


# --- drafting -----------------------------------------------------------------------------


def test_a_partial_draft_saves_and_starts_the_block(block, lead):
    saved = services.block_save_draft(
        block=block,
        actor=Actor.of(lead),
        data={"role_in_partnership": "We host teacher teams."},
        expected_revision=0,
    )
    assert saved.status == RoleBlock.Status.DRAFT
    assert saved.revision == 1
    assert saved.last_edited_by == lead
    assert saved.role_in_partnership == "We host teacher teams."
    record = saved.history.first()
    assert record.history_user == lead
    assert record.history_change_reason == "draft saved"
    assert record.revision == 1
    (event,) = events("mou.block_started")
    assert event.data["from"] == "not_started" and event.data["to"] == "draft"
    # A second save is an edit, not a new start.
    services.block_save_draft(
        block=saved, actor=Actor.of(lead), data={"commitments": "Release time"}, expected_revision=1
    )
    assert len(events("mou.block_started")) == 1


def test_an_editor_may_draft_and_an_unchanged_save_keeps_the_revision(block, editor):
    saved = fill(block, editor)
    again = services.block_save_draft(
        block=saved, actor=Actor.of(editor), data=COMPLETE, expected_revision=saved.revision
    )
    assert again.revision == saved.revision
    assert saved.history.count() == 2  # created + one save


@pytest.mark.parametrize("who", ["viewer", "other_lead", "coordinator", "nobody"])
def test_only_the_partners_lead_and_editors_may_draft(block, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        services.block_save_draft(
            block=block, actor=Actor.of(user), data={"commitments": "x"}, expected_revision=0
        )
    block.refresh_from_db()
    assert block.commitments == "" and block.revision == 0


def test_a_stale_revision_is_refused_and_nothing_is_overwritten(block, lead, editor):
    fill(block, lead)  # revision 1 now
    with pytest.raises(StaleRevision) as excinfo:
        services.block_save_draft(
            block=block, actor=Actor.of(editor), data={"commitments": "Mine"}, expected_revision=0
        )
    assert excinfo.value.block.revision == 1
    assert excinfo.value.submitted == {"commitments": "Mine"}
    block.refresh_from_db()
    assert block.commitments == COMPLETE["commitments"]
    with pytest.raises(StaleRevision):
        services.block_submit(block=block, actor=Actor.of(editor), expected_revision=0)


def test_invalid_email_and_overlong_text_are_refused_whole(block, lead):
    with pytest.raises(ValidationError) as excinfo:
        services.block_save_draft(
            block=block,
            actor=Actor.of(lead),
            data={"signing_leader_email": "not an address", "commitments": "kept?"},
            expected_revision=0,
        )
    assert "signing_leader_email" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        services.block_save_draft(
            block=block,
            actor=Actor.of(lead),
            data={"role_in_partnership": "x" * 50_000},
            expected_revision=0,
        )
    assert "at most 20000 characters" in excinfo.value.message_dict["role_in_partnership"][0]
    block.refresh_from_db()
    assert block.commitments == "" and block.revision == 0 and block.history.count() == 1


def test_control_characters_are_stripped_and_markup_is_stored_as_typed(block, lead):
    saved = services.block_save_draft(
        block=block,
        actor=Actor.of(lead),
        data={
            "role_in_partnership": "A\x00B\x07C <script>alert(1)</script>",
            "contact_name": "  Dana  ",
        },
        expected_revision=0,
    )
    assert saved.role_in_partnership == "ABC <script>alert(1)</script>"
    assert saved.contact_name == "Dana"


# --- deadline and extension (frozen clock) ------------------------------------------------


def test_editing_closes_at_the_deadline(block, lead, deadline):
    with time_machine.travel(deadline, tick=False):
        saved = services.block_save_draft(
            block=block,
            actor=Actor.of(lead),
            data={"commitments": "Just in time"},
            expected_revision=0,
        )
    with time_machine.travel(deadline + timedelta(seconds=1), tick=False):
        with pytest.raises(EditingClosed) as excinfo:
            services.block_save_draft(
                block=saved, actor=Actor.of(lead), data={"commitments": "Late"}, expected_revision=1
            )
        assert "October 15" in str(excinfo.value)
        assert "11:59 PM PDT" in str(excinfo.value)
        fill_all = dict(COMPLETE)
        with pytest.raises(EditingClosed):
            services.block_submit(block=saved, actor=Actor.of(lead))
    saved.refresh_from_db()
    assert saved.commitments == "Just in time"
    assert fill_all  # the data was complete: the deadline alone refused it


def test_an_extension_reopens_editing_for_that_partner_only(
    block,
    other_block,
    lead,
    other_lead,
    coordinator,
    deadline,
    mailoutbox,
    django_capture_on_commit_callbacks,
):
    with time_machine.travel(deadline + timedelta(days=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.block_extension_grant(
                block=block,
                actor=Actor.of(coordinator),
                until=deadline + timedelta(days=5),
                comment="Board meets on the 18th.",
            )
        saved = services.block_save_draft(
            block=block, actor=Actor.of(lead), data=COMPLETE, expected_revision=0
        )
        services.block_submit(block=saved, actor=Actor.of(lead))
        with pytest.raises(EditingClosed):
            services.block_save_draft(
                block=other_block,
                actor=Actor.of(other_lead),
                data={"commitments": "x"},
                expected_revision=0,
            )
    assert [m.to[0] for m in mailoutbox] == [lead.email]
    assert "Oct 20" in mailoutbox[0].subject
    review = BlockReview.objects.get(block=block)
    assert review.kind == BlockReview.Kind.EXTENSION
    assert review.extension_until == deadline + timedelta(days=5)
    event = events("mou.block_extension_granted")[0]
    assert event.data["to"] == (deadline + timedelta(days=5)).isoformat()
    with time_machine.travel(deadline + timedelta(days=5, seconds=1), tick=False):
        block.refresh_from_db()
        assert block.status == RoleBlock.Status.SUBMITTED


def test_editing_closes_when_the_extension_ends(block, lead, coordinator, deadline):
    until = deadline + timedelta(days=2)
    with time_machine.travel(deadline - timedelta(days=1), tick=False):
        services.block_extension_grant(block=block, actor=Actor.of(coordinator), until=until)
    late = time_machine.travel(until + timedelta(seconds=1), tick=False)
    with late, pytest.raises(EditingClosed):
        services.block_save_draft(
            block=block, actor=Actor.of(lead), data={"commitments": "x"}, expected_revision=0
        )


def test_an_extension_must_end_in_the_future_and_after_the_deadline(
    block, coordinator, lead, deadline
):
    with time_machine.travel(deadline - timedelta(days=3), tick=False):
        with pytest.raises(ValidationError):
            services.block_extension_grant(
                block=block, actor=Actor.of(coordinator), until=deadline - timedelta(days=1)
            )
        with pytest.raises(ValidationError):
            services.block_extension_grant(
                block=block,
                actor=Actor.of(coordinator),
                until=timezone.now() - timedelta(minutes=1),
            )
        with pytest.raises(NotAllowed):
            services.block_extension_grant(
                block=block, actor=Actor.of(lead), until=deadline + timedelta(days=1)
            )
    block.refresh_from_db()
    assert block.extension_until is None


# --- submitting and reviewing ------------------------------------------------------------


def test_an_incomplete_block_cannot_be_submitted_and_the_missing_fields_are_named(block, lead):
    saved = fill(block, lead, {"role_in_partnership": "Only this", "contact_phone": "1"})
    with pytest.raises(ValidationError) as excinfo:
        services.block_submit(block=saved, actor=Actor.of(lead))
    missing = excinfo.value.message_dict
    assert set(missing) == {
        "commitments",
        "asks_of_network",
        "contact_name",
        "contact_email",
        "signing_leader_name",
        "signing_leader_title",
        "signing_leader_email",
    }
    assert missing["signing_leader_name"] == ["Signing leader is needed before you submit."]
    saved.refresh_from_db()
    assert saved.status == RoleBlock.Status.DRAFT


def test_submit_then_no_more_edits(block, lead, editor):
    saved = submitted(block, lead)
    assert saved.status == RoleBlock.Status.SUBMITTED
    assert saved.submitted_by == lead and saved.submitted_at is not None
    (event,) = events("mou.block_submitted")
    assert event.data == {"from": "draft", "to": "submitted", "revision": saved.revision}
    with pytest.raises(EditingClosed):
        services.block_save_draft(
            block=saved,
            actor=Actor.of(editor),
            data={"commitments": "x"},
            expected_revision=saved.revision,
        )
    with pytest.raises(EditingClosed):
        services.block_submit(block=saved, actor=Actor.of(lead))
    with pytest.raises(NotAllowed):
        services.block_submit(
            block=saved, actor=Actor.of(factories.UserFactory(is_coordinator=True))
        )


def test_request_changes_needs_a_comment_and_emails_the_leads(
    block, lead, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    saved = submitted(block, lead)
    for empty in ["", "   \n "]:
        with pytest.raises(ValidationError) as excinfo:
            services.block_request_changes(block=saved, actor=Actor.of(coordinator), comment=empty)
        assert "comment" in excinfo.value.message_dict
    saved.refresh_from_db()
    assert saved.status == RoleBlock.Status.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        changed = services.block_request_changes(
            block=saved, actor=Actor.of(coordinator), comment="Name the two prototype schools."
        )
    assert changed.status == RoleBlock.Status.CHANGES_REQUESTED
    assert changed.review_comment == "Name the two prototype schools."
    review = BlockReview.objects.get(block=block)
    assert (review.kind, review.author, review.comment) == (
        "changes_requested",
        coordinator,
        "Name the two prototype schools.",
    )
    event = events("mou.block_changes_requested")[0]
    assert event.data == {
        "from": "submitted",
        "to": "changes_requested",
        "comment": "Name the two prototype schools.",
    }
    (mail,) = mailoutbox
    assert mail.to == [lead.email]
    assert "Name the two prototype schools." in mail.body
    assert "/accounts/link/" in mail.body


def test_the_lead_revises_after_changes_requested_and_resubmits(block, lead, coordinator):
    saved = submitted(block, lead)
    services.block_request_changes(block=saved, actor=Actor.of(coordinator), comment="More detail")
    saved.refresh_from_db()
    revised = services.block_save_draft(
        block=saved,
        actor=Actor.of(lead),
        data={"commitments": "Three teacher teams"},
        expected_revision=saved.revision,
    )
    assert revised.status == RoleBlock.Status.CHANGES_REQUESTED  # still owed
    again = services.block_submit(block=revised, actor=Actor.of(lead))
    assert again.status == RoleBlock.Status.SUBMITTED
    accepted = services.block_accept(block=again, actor=Actor.of(coordinator))
    assert accepted.status == RoleBlock.Status.ACCEPTED
    assert [
        e.data["to"]
        for e in Event.objects.filter(
            action__startswith="mou.block_", subject_id=block.pk
        ).order_by("id")
        if "to" in e.data
    ] == [
        "draft",
        "submitted",
        "changes_requested",
        "submitted",
        "accepted",
    ]


@pytest.mark.parametrize("status", ["not_started", "draft", "changes_requested", "accepted"])
def test_only_a_submitted_block_can_be_accepted(block, coordinator, status):
    RoleBlock.objects.filter(pk=block.pk).update(status=status)
    block.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):
        services.block_accept(block=block, actor=Actor.of(coordinator))


@pytest.mark.parametrize("status", ["not_started", "draft", "changes_requested"])
def test_changes_can_be_requested_only_on_submitted_or_accepted_blocks(block, coordinator, status):
    RoleBlock.objects.filter(pk=block.pk).update(status=status)
    block.refresh_from_db()
    with pytest.raises(TransitionNotAllowed):
        services.block_request_changes(block=block, actor=Actor.of(coordinator), comment="x")


def test_accepting_validates_the_block_like_the_other_reviews(block, lead, coordinator):
    saved = submitted(block, lead)
    # A value that never came through a form or a service (an import, a hand edit).
    RoleBlock.objects.filter(pk=saved.pk).update(signing_leader_email="not-an-address")
    saved.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        services.block_accept(block=saved, actor=Actor.of(coordinator))
    # The coordinator is told which field, and what to do instead.
    (message,) = refused.value.messages
    assert "Signing leader" in message and "e-mail" in message.lower()
    assert message.endswith("Request changes so the partner can correct it.")
    saved.refresh_from_db()
    assert saved.status == RoleBlock.Status.SUBMITTED
    assert not BlockReview.objects.filter(block=saved).exists()


def test_an_accepted_block_can_be_sent_back(block, lead, coordinator):
    accepted = services.block_accept(block=submitted(block, lead), actor=Actor.of(coordinator))
    back = services.block_request_changes(
        block=accepted, actor=Actor.of(coordinator), comment="One more"
    )
    assert back.status == RoleBlock.Status.CHANGES_REQUESTED


@pytest.mark.parametrize("who", ["lead", "editor", "viewer", "other_lead"])
def test_only_coordinators_review(block, lead, who, request):
    saved = submitted(block, lead)
    user = request.getfixturevalue(who)
    with pytest.raises(NotAllowed):
        services.block_accept(block=saved, actor=Actor.of(user))
    with pytest.raises(NotAllowed):
        services.block_request_changes(block=saved, actor=Actor.of(user), comment="x")


def test_nothing_changes_once_the_version_is_no_longer_open(block, lead, coordinator):
    saved = submitted(block, lead)
    MouVersion.objects.filter(pk=block.version_id).update(status=MouVersion.Status.FROZEN)
    saved = RoleBlock.objects.get(pk=block.pk)
    with pytest.raises(TransitionNotAllowed):
        services.block_accept(block=saved, actor=Actor.of(coordinator))
    with pytest.raises(TransitionNotAllowed):
        services.block_request_changes(block=saved, actor=Actor.of(coordinator), comment="x")
    RoleBlock.objects.filter(pk=block.pk).update(status=RoleBlock.Status.DRAFT)
    with pytest.raises(EditingClosed) as excinfo:
        services.block_save_draft(
            block=saved,
            actor=Actor.of(lead),
            data={"commitments": "x"},
            expected_revision=saved.revision,
        )
    assert "frozen" in str(excinfo.value)


def test_markup_in_a_comment_is_escaped_in_the_html_email(
    block, lead, coordinator, django_capture_on_commit_callbacks
):
    saved = submitted(block, lead)
    services.block_request_changes(
        block=saved, actor=Actor.of(coordinator), comment="<script>alert('x')</script> & more"
    )
    message = OutboxMessage.objects.get(kind="mou_changes_requested")
    assert "<script>" not in message.body_html
    assert "&lt;script&gt;" in message.body_html
    assert "<script>alert('x')</script> & more" in message.body_text


def test_markup_in_a_version_title_is_escaped_in_the_html_email(coordinator, deadline, lead):
    version = services.version_create(
        actor=Actor.of(coordinator),
        title="<b>MOU</b> <script>x()</script>",
        shared_text="",
        deadline=deadline,
    )
    services.version_open(version=version, actor=Actor.of(coordinator))
    message = OutboxMessage.objects.get(kind="mou_opened")
    assert "<script>" not in message.body_html and "<b>MOU" not in message.body_html
    assert "&lt;b&gt;MOU&lt;/b&gt;" in message.body_html
    assert message.subject.startswith("Your MOU block: <b>MOU</b>")


# --- seen marks -----------------------------------------------------------------------------


def test_changed_since_the_coordinator_last_looked(version, block, lead, coordinator):
    from mou.selectors import version_blocks

    row = version_blocks(version=version, user=coordinator).get(pk=block.pk)
    assert row.seen_revision is None
    services.block_mark_seen(block=block, actor=Actor.of(coordinator))
    assert version_blocks(version=version, user=coordinator).get(pk=block.pk).seen_revision == 0
    fill(block, lead)
    row = version_blocks(version=version, user=coordinator).get(pk=block.pk)
    assert row.revision == 1 and row.seen_revision == 0
    services.block_mark_seen(block=row, actor=Actor.of(coordinator))
    assert version_blocks(version=version, user=coordinator).get(pk=block.pk).seen_revision == 1


def test_sign_in_link_helper_points_at_the_block(block, lead, client):
    link = services.block_signin_link(user=lead, block=block)
    response = client.get(link)
    assert response["Location"] == reverse(
        "mou:block", kwargs={"version_pk": block.version_id, "pk": block.pk}
    )


def test_missing_default_templates_are_restored_when_a_version_is_created(coordinator, deadline):
    RoleTemplate.objects.filter(version__isnull=True).delete()
    version = services.version_create(
        actor=Actor.of(coordinator), title="After a flush", shared_text="", deadline=deadline
    )
    assert RoleTemplate.objects.filter(version__isnull=True, kind="school_district").exists()
    assert RoleTemplate.objects.filter(version=version).count() == 4


def test_a_stale_form_identical_to_the_saved_text_is_not_a_conflict(block, lead):
    saved = fill(block, lead)  # revision 1, e.g. the editor's own autosave
    again = services.block_save_draft(
        block=saved, actor=Actor.of(lead), data=COMPLETE, expected_revision=0
    )
    assert again.revision == 1
    assert (
        services.block_submit(block=again, actor=Actor.of(lead)).status
        == RoleBlock.Status.SUBMITTED
    )


def test_someone_not_signed_in_is_not_the_system_for_coordinator_only_services(db):
    from mou.exceptions import NotAllowed

    deadline = timezone.now() + timedelta(days=30)
    with pytest.raises(NotAllowed):
        services.version_create(
            actor=Actor.of(None, ip="203.0.113.5"), title="MOU", shared_text="", deadline=deadline
        )
    made = services.version_create(
        actor=Actor.system(), title="MOU", shared_text="", deadline=deadline
    )
    assert made.created_by is None
