"""What the block services share: the locked block and the permission check."""

from core.actor import Actor
from core.permissions import user_may
from mou.exceptions import NotAllowed
from mou.models import RoleBlock


def block_lock(*, block: RoleBlock) -> RoleBlock:
    """The block again, its row locked until the transaction ends."""
    return (
        RoleBlock.objects.select_for_update().select_related("version", "partner").get(pk=block.pk)
    )


def block_action_require(*, actor: Actor, action: str, block: RoleBlock) -> None:
    """Refuse with ``NotAllowed`` unless ``actor`` may do ``action`` to ``block``."""
    if not user_may(actor.user, action, block):
        raise NotAllowed("You may not change this block.")
