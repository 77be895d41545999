"""The coordinator's review: request changes, accept, give more time."""

from datetime import datetime

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone

from core.actor import Actor
from core.hooks import BLOCK_ACCEPTED, hook_run
from core.services.events import event_record
from core.text import clean_text, markdown_cook, possessive
from mou.exceptions import TransitionNotAllowed
from mou.models import BlockReview, MouVersion, RoleBlock
from mou.rules import deadline_display, field_label
from mou.services.blocks import blocks_notify_leads
from mou.services.common import block_action_require, block_lock


def _require_open(block: RoleBlock) -> None:
    if block.version.status != MouVersion.Status.OPEN:
        raise TransitionNotAllowed(
            f"This MOU version is {block.version.get_status_display().lower()}; "
            "its blocks are no longer reviewed."
        )


def _review(
    *, block: RoleBlock, actor: Actor, kind: str, comment: str, until: datetime | None = None
) -> BlockReview:
    review = BlockReview(
        block=block,
        kind=kind,
        comment=comment,
        author=actor.user,
        block_revision=block.revision,
        extension_until=until,
    )
    review.full_clean()
    review.save()
    return review


def block_request_changes(*, block: RoleBlock, actor: Actor, comment: str) -> RoleBlock:
    """Send a submitted (or accepted) block back to its partner with a required comment."""
    comment = clean_text(comment or "").strip()
    with transaction.atomic():
        current = block_lock(block=block)
        block_action_require(actor=actor, action="mou.block.review", block=current)
        _require_open(current)
        if current.status not in {RoleBlock.Status.SUBMITTED, RoleBlock.Status.ACCEPTED}:
            raise TransitionNotAllowed(
                f"Changes can be requested only on a submitted or accepted block; this one is "
                f"{current.get_status_display().lower()}."
            )
        if not comment:
            raise ValidationError({"comment": "Say what should change: a comment is required."})
        was = current.status
        current.status = RoleBlock.Status.CHANGES_REQUESTED
        current.review_comment = comment
        markdown_cook(obj=current, fields=["review_comment"])
        current.reviewed_at = timezone.now()
        current.full_clean(validate_unique=False, validate_constraints=False)
        current._history_user = actor.user
        current._change_reason = "changes requested"
        current.save()
        _review(
            block=current, actor=actor, kind=BlockReview.Kind.CHANGES_REQUESTED, comment=comment
        )
        event_record(
            action="mou.block_changes_requested",
            actor=actor,
            subject=current,
            summary=f"Changes requested on {possessive(current.partner)} block",
            data={"from": was, "to": current.status, "comment": comment},
        )
        blocks_notify_leads(
            blocks=[current],
            template="mou_changes_requested",
            kind="mou_changes_requested",
            context={"comment": comment, "reviewer": actor.user},
        )
        return current


def _accepted_block_check(block: RoleBlock) -> None:
    """A block is accepted as it stands only if it is valid (a value stored before today's
    rules, or carried over from an earlier version, may not be): the coordinator is told
    which field, so they can request changes instead."""
    try:
        block.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        problems = [
            f"{field_label(name) if name != NON_FIELD_ERRORS else 'The block'}: {message}"
            for name, messages in error.message_dict.items()
            for message in messages
        ]
        raise ValidationError(
            "This block cannot be accepted as it stands. "
            + " ".join(problems)
            + " Request changes so the partner can correct it."
        ) from error


def block_accept(*, block: RoleBlock, actor: Actor, comment: str = "") -> RoleBlock:
    """Accept a submitted block."""
    comment = clean_text(comment or "").strip()
    with transaction.atomic():
        current = block_lock(block=block)
        block_action_require(actor=actor, action="mou.block.review", block=current)
        _require_open(current)
        if current.status != RoleBlock.Status.SUBMITTED:
            raise TransitionNotAllowed(
                f"Only a submitted block can be accepted; this one is "
                f"{current.get_status_display().lower()}."
            )
        was = current.status
        current.status = RoleBlock.Status.ACCEPTED
        current.review_comment = comment
        markdown_cook(obj=current, fields=["review_comment"])
        current.reviewed_at = timezone.now()
        _accepted_block_check(current)
        current._history_user = actor.user
        current._change_reason = "accepted"
        current.save()
        _review(block=current, actor=actor, kind=BlockReview.Kind.ACCEPTED, comment=comment)
        event_record(
            action="mou.block_accepted",
            actor=actor,
            subject=current,
            summary=f"{possessive(current.partner)} block accepted",
            data={"from": was, "to": current.status, "comment": comment},
        )
        hook_run(BLOCK_ACCEPTED, subject=current.version, partner=current.partner, actor=actor)
        blocks_notify_leads(
            blocks=[current],
            template="mou_accepted",
            kind="mou_accepted",
            context={"comment": comment},
        )
        return current


def block_extension_grant(
    *, block: RoleBlock, actor: Actor, until: datetime, comment: str = ""
) -> RoleBlock:
    """Let one partner edit past the version's deadline, until ``until``."""
    comment = clean_text(comment or "").strip()
    with transaction.atomic():
        current = block_lock(block=block)
        block_action_require(actor=actor, action="mou.block.review", block=current)
        _require_open(current)
        if until is None or timezone.is_naive(until):
            raise ValidationError({"until": "Give the date and time the extension runs until."})
        if until <= timezone.now():
            raise ValidationError({"until": "An extension must end in the future."})
        if until <= current.version.deadline:
            raise ValidationError({"until": "An extension must end after the version's deadline."})
        previous_until = current.extension_until
        current.extension_until = until
        current._history_user = actor.user
        current._change_reason = "extension granted"
        current.save()
        _review(
            block=current,
            actor=actor,
            kind=BlockReview.Kind.EXTENSION,
            comment=comment,
            until=until,
        )
        event_record(
            action="mou.block_extension_granted",
            actor=actor,
            subject=current,
            summary=f"{current.partner} may edit until {deadline_display(until)}",
            data={
                "from": previous_until.isoformat() if previous_until else None,
                "to": until.isoformat(),
                "comment": comment,
            },
        )
        blocks_notify_leads(
            blocks=[current],
            template="mou_extension",
            kind="mou_extension",
            context={"comment": comment},
        )
        return current
