"""Role blocks: creating them for partners, drafting, submitting."""

from collections.abc import Iterable, Mapping
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from core import text as core_text
from core.actor import Actor
from core.hooks import BLOCK_SUBMITTED, hook_run
from core.models import User
from core.services.events import event_record
from core.services.outbox import outbox_send_templated
from core.services.signin import signin_link_make
from core.text import clean_text, markdown_cook
from mou.exceptions import EditingClosed, StaleRevision
from mou.models import BlockSeen, MouVersion, RoleBlock
from mou.rules import block_closed_reason, block_missing_fields, deadline_display, field_label
from mou.services.common import block_action_require, block_lock
from partnership.models import Partner
from partnership.selectors import partner_leads_active

# Sign-in links in MOU e-mails stay valid for a week after the block's deadline.
LINK_GRACE = timedelta(days=7)
# Drafts saved by one person this soon after their previous save are one entry in the
# block's history (autosave saves every pause in typing); the revision still moves on.
DRAFT_FOLD_WINDOW = timedelta(minutes=10)
DRAFT_SAVED = "draft saved"
SINGLE_LINE_FIELDS = RoleBlock.CONTACT_FIELDS + RoleBlock.LEADER_FIELDS


def block_signin_link(*, user: User, block: RoleBlock) -> str:
    """An e-mailable link that signs ``user`` in and opens ``block``."""
    expires_at = max(block.effective_deadline, timezone.now()) + LINK_GRACE
    return signin_link_make(user=user, next_path=block.get_absolute_url(), expires_at=expires_at)


def block_leads(*, blocks: Iterable[RoleBlock]) -> dict[int, list[User]]:
    """{partner id: [active lead users]} for the given blocks, in one query."""
    partner_ids = {block.partner_id for block in blocks}
    leads: dict[int, list[User]] = {pk: [] for pk in partner_ids}
    for membership in partner_leads_active(partners=partner_ids):
        leads[membership.partner_id].append(membership.user)
    return leads


def blocks_notify_leads(
    *, blocks: Iterable[RoleBlock], template: str, kind: str, context: Mapping | None = None
) -> int:
    """E-mail every lead of each block's partner a message with a link straight to the block."""
    blocks = list(blocks)
    sent = 0
    leads = block_leads(blocks=blocks)
    for block in blocks:
        for lead in leads.get(block.partner_id, []):
            outbox_send_templated(
                to=lead,
                template=template,
                kind=kind,
                about=block,
                context={
                    "role_block": block,
                    "version": block.version,
                    "partner": block.partner,
                    "link": block_signin_link(user=lead, block=block),
                    "deadline": deadline_display(block.effective_deadline),
                    **(context or {}),
                },
            )
            sent += 1
    return sent


def _carry_over_fields(previous: RoleBlock | None) -> dict:
    if previous is None:
        return {}
    fields = {name: getattr(previous, name) for name in RoleBlock.CONTENT_FIELDS}
    if previous.markdown_version == core_text.MARKDOWN_VERSION:
        # The same texts by the same renderer: their stored HTML comes along, unparsed.
        fields.update(
            {f"{name}_html": getattr(previous, f"{name}_html") for name in RoleBlock.TEXT_FIELDS}
        )
        fields["markdown_version"] = core_text.MARKDOWN_VERSION
    return fields


def blocks_create_for_partners(
    *, version: MouVersion, partners: Iterable[Partner], actor: Actor
) -> list[RoleBlock]:
    """Create the missing blocks of ``version`` for ``partners``, carried over from the
    previous version. The caller holds the version row locked, so no block is made twice."""
    partners = [p for p in partners if p.status == Partner.Status.ACTIVE]
    have = set(
        RoleBlock.objects.filter(version=version, partner__in=partners).values_list(
            "partner_id", flat=True
        )
    )
    previous_blocks = {}
    if version.previous_id:
        previous_blocks = {
            b.partner_id: b
            for b in RoleBlock.objects.filter(version_id=version.previous_id, partner__in=partners)
        }
    now = timezone.now()
    new_blocks = []
    for partner in partners:
        if partner.pk in have:
            continue
        previous = previous_blocks.get(partner.pk)
        block = RoleBlock(
            version=version,
            partner=partner,
            carried_over_from=previous,
            created_at=now,
            **_carry_over_fields(previous),
        )
        if block.markdown_version != core_text.MARKDOWN_VERSION:
            markdown_cook(obj=block)
        # The unique constraint is the database's job; skip the per-row query.
        block.full_clean(validate_unique=False, validate_constraints=False)
        new_blocks.append(block)
    if not new_blocks:
        return []
    created = bulk_create_with_history(
        new_blocks, RoleBlock, default_user=actor.user, default_change_reason="block created"
    )
    # bulk_create sets primary keys on PostgreSQL and SQLite; reload to be sure of them.
    return list(
        RoleBlock.objects.filter(version=version, partner__in=[b.partner for b in created])
        .select_related("version", "partner")
        .order_by("partner__name")
    )


def blocks_ensure_for_partner(*, partner: Partner, actor: Actor) -> list[RoleBlock]:
    """Give ``partner`` a block in every open version it lacks one in, and e-mail its leads.

    Call it whenever a partner becomes active (joins, or is re-activated) or gains its first
    lead. Safe to call any number of times: it creates only what is missing.
    """
    if partner.status != Partner.Status.ACTIVE:
        return []
    created: list[RoleBlock] = []
    with transaction.atomic():
        open_versions = list(
            MouVersion.objects.select_for_update()
            .filter(status=MouVersion.Status.OPEN)
            .order_by("number")
        )
        for version in open_versions:
            blocks = blocks_create_for_partners(version=version, partners=[partner], actor=actor)
            for block in blocks:
                event_record(
                    action="mou.block_created",
                    actor=actor,
                    subject=block,
                    summary=f"Block for {partner} added to {version}",
                    data={"version": version.pk, "partner": partner.pk, "late_joiner": True},
                )
            blocks_notify_leads(
                blocks=blocks, template="mou_opened", kind="mou_opened", context={"late": True}
            )
            created.extend(blocks)
    return created


def _content_from(data: Mapping) -> dict[str, str]:
    values = {}
    for name in RoleBlock.CONTENT_FIELDS:
        if name in data:
            value = clean_text(str(data[name] or ""))
            values[name] = value.strip() if name in SINGLE_LINE_FIELDS else value
    return values


def block_save_draft(
    *,
    block: RoleBlock,
    actor: Actor,
    data: Mapping,
    expected_revision: int,
) -> RoleBlock:
    """Save some or all of the block's fields as a draft.

    Refused with ``StaleRevision`` when the block changed since the editor loaded it at
    ``expected_revision`` (nothing is overwritten), with ``EditingClosed`` when it is not
    open for edits, and with ``ValidationError`` for malformed values. Returns the block;
    its revision is unchanged when nothing changed.
    """
    with transaction.atomic():
        current = block_lock(block=block)
        block_action_require(actor=actor, action="mou.block.write", block=current)
        values = _content_from(data)
        changed = [name for name, value in values.items() if getattr(current, name) != value]
        # A stale form that says exactly what is saved overwrites nothing (typically the
        # editor's own autosave landing just before its "Submit"): no conflict then.
        if current.revision != expected_revision and changed:
            raise StaleRevision(current, values)
        reason = block_closed_reason(current)
        if reason:
            raise EditingClosed(reason)
        if not changed:
            return current
        for name in changed:
            setattr(current, name, values[name])
        markdown_cook(obj=current, fields=changed)
        was = current.status
        if was == RoleBlock.Status.NOT_STARTED:
            current.status = RoleBlock.Status.DRAFT
        current.revision += 1
        current.last_edited_by = actor.user
        current.last_edited_at = timezone.now()
        current.full_clean(validate_unique=False, validate_constraints=False)
        _draft_save_with_history(block=current, user=actor.user)
        if was != current.status:
            event_record(
                action="mou.block_started",
                actor=actor,
                subject=current,
                summary=f"{current.partner} started its block",
                data={"from": was, "to": current.status, "revision": current.revision},
            )
        return current


def _draft_history_to_fold(*, block: RoleBlock, user: User | None):
    """The history entry this draft save folds into: the block's latest entry when it is a
    draft save by the same person, in the same status, less than DRAFT_FOLD_WINDOW ago.
    A submit, a review, another person's save or a pause starts a new entry."""
    if user is None:
        return None
    latest = block.history.order_by("-history_date", "-history_id").first()
    if (
        latest is None
        or latest.history_change_reason != DRAFT_SAVED
        or latest.history_user_id != user.pk
        or latest.status != block.status
        or block.last_edited_at - latest.history_date > DRAFT_FOLD_WINDOW
    ):
        return None
    return latest


def _draft_save_with_history(*, block: RoleBlock, user: User | None) -> None:
    """Save the block (its row locked by the caller) and record it in its history: a new
    entry, or the person's recent draft entry brought up to date."""
    entry = _draft_history_to_fold(block=block, user=user)
    if entry is None:
        block._history_user = user
        block._change_reason = DRAFT_SAVED
        block.save()
        return
    block.skip_history_when_saving = True
    try:
        block.save()
    finally:
        del block.skip_history_when_saving
    for field in entry._meta.fields:
        if not field.attname.startswith("history_") and hasattr(block, field.attname):
            setattr(entry, field.attname, getattr(block, field.attname))
    entry.history_date = block.last_edited_at
    entry.save()


def block_submit(
    *,
    block: RoleBlock,
    actor: Actor,
    expected_revision: int | None = None,
) -> RoleBlock:
    """Submit a complete block for review; every required field must be filled in."""
    with transaction.atomic():
        current = block_lock(block=block)
        block_action_require(actor=actor, action="mou.block.write", block=current)
        if expected_revision is not None and current.revision != expected_revision:
            raise StaleRevision(current)
        reason = block_closed_reason(current)
        if reason:
            raise EditingClosed(reason)
        missing = block_missing_fields(current)
        if missing:
            raise ValidationError(
                {name: f"{field_label(name)} is needed before you submit." for name in missing}
            )
        current.full_clean(validate_unique=False, validate_constraints=False)
        was = current.status
        now = timezone.now()
        current.status = RoleBlock.Status.SUBMITTED
        current.submitted_at = now
        current.submitted_by = actor.user
        current._history_user = actor.user
        current._change_reason = "submitted"
        current.save()
        event_record(
            action="mou.block_submitted",
            actor=actor,
            subject=current,
            summary=f"{current.partner} submitted its block of {current.version}",
            data={"from": was, "to": current.status, "revision": current.revision},
        )
        hook_run(BLOCK_SUBMITTED, subject=current.version, partner=current.partner, actor=actor)
        return current


def block_mark_seen(*, block: RoleBlock, actor: Actor) -> BlockSeen:
    """Remember the revision a coordinator (the actor) has just looked at."""
    seen, _ = BlockSeen.objects.update_or_create(
        user=actor.user,
        block=block,
        defaults={"revision": block.revision, "seen_at": timezone.now()},
    )
    return seen
