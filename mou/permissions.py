"""Who may see, write and review MOU versions and role blocks."""

from django.db.models import Q

from core.permissions import is_coordinator, rule
from mou.models import RoleBlock
from partnership.permissions import (
    is_network_member,
    memberships,
    partner_role,
    sees_partner_private,
)


@rule("mou.list")
def mou_list(user, obj) -> bool:
    return is_network_member(user)


@rule("mou.version.view")
def version_view(user, version) -> bool:
    # Drafts are the coordinators' workspace; once opened, the network reads along.
    if is_coordinator(user):
        return True
    return is_network_member(user) and version.status != version.Status.DRAFT


@rule("mou.version.manage")
def version_manage(user, version) -> bool:
    return is_coordinator(user)


@rule("mou.block.view")
def block_view(user, block) -> bool:
    return is_coordinator(user) or partner_role(user, block.partner_id) is not None


def blocks_readable(user) -> Q:
    """The blocks a person reads beside other partners' (the whole MOU, its draft PDF), as a
    filter on RoleBlock: coordinators every block; a partner's people their own partner's
    blocks in any status and other partners' blocks once accepted; nobody else any. A
    filter rather than a rule on one block, because those pages list every block at once.

    On a frozen or executed version every included block is accepted (freezing refuses
    anything else), so the network reads exactly the signed blocks; a block left out of
    the version stays its own partner's."""
    if is_coordinator(user):
        return Q()
    if user is None or not user.is_active or not is_network_member(user):
        return Q(pk__in=[])
    return Q(partner_id__in=list(memberships(user))) | Q(status=RoleBlock.Status.ACCEPTED)


@rule("mou.block.contacts")
def block_contacts(user, block) -> bool:
    """The e-mail addresses and phone numbers typed into a block (point of contact, signing
    leader): its own partner's people and coordinators."""
    return sees_partner_private(user, block.partner_id)


@rule("mou.block.write")
def block_write(user, block) -> bool:
    """The role half of editing; whether the block is open for edits is mou.rules' business."""
    return partner_role(user, block.partner_id) in {"lead", "editor"}


@rule("mou.block.review")
def block_review(user, block) -> bool:
    return is_coordinator(user)


@rule("mou.signatures.view")
def signatures_view(user, version) -> bool:
    # The audit trail holds signers' addresses and IP addresses: coordinators only.
    return is_coordinator(user)


@rule("mou.executed.download")
def executed_download(user, frozen) -> bool:
    """Coordinators, and the people of the partners that signed the version."""
    if is_coordinator(user):
        return True
    return any(partner_role(user, pk) is not None for pk in frozen.partner_ids)
