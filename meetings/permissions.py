"""Who may see and change meetings, attachments, action items and calendar feeds.

- Network members (coordinators and people with a role at an active partner) see meetings,
  their agenda, attendees, attachments and action items.
- Notes and decisions are a draft only coordinators see until they are published.
- Coordinators record and manage meetings and action items.
- An action item is ticked done (or reopened) by its owner: the person it is assigned to,
  or a lead or editor of the partner it is assigned to; coordinators may tick any item.
  An all-partner item is never ticked itself: it is done when every partner's item is.
"""

from core.permissions import is_coordinator, rule
from partnership.permissions import is_network_member, partner_role

TICKING_ROLES = {"lead", "editor"}


@rule("meeting.list")
def meeting_list(user, obj) -> bool:
    return is_network_member(user)


@rule("meeting.view")
def meeting_view(user, meeting) -> bool:
    return is_network_member(user)


@rule("meeting.view_notes")
def meeting_view_notes(user, meeting) -> bool:
    if is_coordinator(user):
        return True
    return meeting.notes_published_at is not None and is_network_member(user)


@rule("meeting.manage")
def meeting_manage(user, meeting) -> bool:
    return is_coordinator(user)


@rule("attachment.download")
def attachment_download(user, attachment) -> bool:
    return is_network_member(user)


@rule("action_item.view")
def action_item_view(user, item) -> bool:
    return is_network_member(user)


@rule("action_item.list_mine")
def action_item_list_mine(user, obj) -> bool:
    # Every signed-in person has a list, even one whose only items are their own.
    return True


@rule("action_item.tick")
def action_item_tick(user, item) -> bool:
    if item.owner_kind == item.OwnerKind.ALL_PARTNERS or item.status == item.Status.CANCELLED:
        return False
    if is_coordinator(user):
        return True
    if item.owner_kind == item.OwnerKind.PERSON:
        return item.owner_user_id == user.pk
    return partner_role(user, item.owner_partner_id) in TICKING_ROLES


@rule("calendar.manage")
def calendar_manage(user, obj) -> bool:
    return is_network_member(user)
