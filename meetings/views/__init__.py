"""Meetings pages: parse the request, call one service or selector, render or redirect."""

from meetings.views.attachments import attachment_delete, attachment_download, attachment_upload
from meetings.views.attendance import (
    attendance_add,
    attendance_add_guest,
    attendance_edit,
    attendance_invite_partner,
    attendance_remove,
)
from meetings.views.calendar import calendar_feed, calendar_page
from meetings.views.items import (
    item_complete,
    item_create,
    item_detail,
    item_edit,
    item_reopen,
    my_items,
)
from meetings.views.meetings import (
    meeting_create,
    meeting_detail,
    meeting_edit,
    meeting_ics,
    meeting_list,
    meeting_publish,
    meeting_send_notes,
)
from meetings.views.search import search

__all__ = [
    "attachment_delete",
    "attachment_download",
    "attachment_upload",
    "attendance_add",
    "attendance_add_guest",
    "attendance_edit",
    "attendance_invite_partner",
    "attendance_remove",
    "calendar_feed",
    "calendar_page",
    "item_complete",
    "item_create",
    "item_detail",
    "item_edit",
    "item_reopen",
    "my_items",
    "meeting_create",
    "meeting_detail",
    "meeting_edit",
    "meeting_ics",
    "meeting_list",
    "meeting_publish",
    "meeting_send_notes",
    "search",
]
