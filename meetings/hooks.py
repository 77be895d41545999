"""What the meetings app adds to other apps' moments (discovered by core.apps)."""

from core.hooks import PORTAL_TASK_MOMENTS, hook_register
from meetings.services.portal_tasks import action_items_settle_for_moment

# A block submitted or accepted, a matrix row filled in, a signature made: the action items
# tied to that portal task for that partner complete themselves.
for moment in PORTAL_TASK_MOMENTS:
    hook_register(moment, action_items_settle_for_moment)
