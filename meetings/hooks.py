"""What the meetings app adds to other apps' moments (discovered by core.apps)."""

import logging

from django.db import transaction

from core.hooks import PORTAL_TASK_MOMENTS, hook_register
from meetings.services.portal_tasks import action_items_settle_for_moment

logger = logging.getLogger(__name__)


def action_items_settle_quietly(*, subject, partner, actor) -> int:
    """Settle the tied items inside a savepoint of its own: a failure here is logged and
    never undoes the partner's submit, the coordinator's acceptance or a signature (the
    meeting pages settle the items again when they are read)."""
    try:
        with transaction.atomic():
            return action_items_settle_for_moment(subject=subject, partner=partner, actor=actor)
    except Exception:
        logger.exception("Settling the action items tied to a portal task failed")
        return 0


# A block submitted or accepted, a matrix row filled in, a signature made: the action items
# tied to that portal task for that partner complete themselves.
for moment in PORTAL_TASK_MOMENTS:
    hook_register(moment, action_items_settle_quietly)
