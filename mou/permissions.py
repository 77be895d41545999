"""Who may see, write and review MOU versions and role blocks."""

from core.permissions import is_coordinator, is_network_member, partner_role, rule


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
