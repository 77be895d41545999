"""Every write of the meetings app. Other apps import from here.

Public entry points:
- meetings: ``meeting_create``, ``meeting_update``, ``meeting_notes_publish``,
  ``meeting_notes_send``
- attendance: ``attendance_add``, ``attendance_add_guest``, ``attendance_invite_partner``,
  ``attendance_set_statuses``, ``attendance_remove``
- attachments: ``attachment_add``, ``attachment_delete``
- action items: ``action_item_create``, ``action_item_expand``, ``action_item_update``,
  ``action_item_complete``, ``action_item_reopen``
- calendar: ``calendar_feed_create``, ``calendar_feed_revoke``
- portal tasks: ``action_item_settle``, ``meeting_items_settle``, ``partner_items_settle``
  (tied items complete themselves; also run from the hooks in ``meetings.hooks``)

Refusals raise ``MeetingConflict`` (``meetings.exceptions``).
"""

from meetings.exceptions import MeetingConflict
from meetings.services.action_items import (
    action_item_complete,
    action_item_create,
    action_item_expand,
    action_item_reopen,
    action_item_update,
)
from meetings.services.attachments import attachment_add, attachment_delete
from meetings.services.attendance import (
    attendance_add,
    attendance_add_guest,
    attendance_invite_partner,
    attendance_remove,
    attendance_set_statuses,
)
from meetings.services.calendar import (
    calendar_feed_create,
    calendar_feed_revoke,
)
from meetings.services.meetings import (
    meeting_create,
    meeting_notes_publish,
    meeting_notes_send,
    meeting_update,
)
from meetings.services.portal_tasks import (
    action_item_settle,
    meeting_items_settle,
    partner_items_settle,
)

__all__ = [
    "MeetingConflict",
    "action_item_complete",
    "action_item_create",
    "action_item_expand",
    "action_item_reopen",
    "action_item_settle",
    "action_item_update",
    "attachment_add",
    "attachment_delete",
    "attendance_add",
    "attendance_add_guest",
    "attendance_invite_partner",
    "attendance_remove",
    "attendance_set_statuses",
    "calendar_feed_create",
    "calendar_feed_revoke",
    "meeting_create",
    "meeting_items_settle",
    "meeting_notes_publish",
    "meeting_notes_send",
    "meeting_update",
    "partner_items_settle",
]
