"""Pure rules about blocks and deadlines, shared by services, selectors and views."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.dateformat import format as date_format

from mou.models import MouVersion, RoleBlock


def network_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def deadline_display(value: datetime | None) -> str:
    """'Thursday, October 15, 2026, 11:59 PM PDT (America/Los_Angeles)'."""
    if value is None:
        return ""
    local = timezone.localtime(value, network_zone())
    return f"{date_format(local, 'l, F j, Y, g:i A T')} ({settings.TIME_ZONE})"


def block_closed_reason(block: RoleBlock, *, now: datetime | None = None) -> str | None:
    """Why the block cannot be edited now, or None when it can (role aside)."""
    now = now or timezone.now()
    version = block.version
    if version.status != MouVersion.Status.OPEN:
        return (
            f"This MOU version is {version.get_status_display().lower()}; "
            "its blocks can no longer be edited."
        )
    if block.status == RoleBlock.Status.SUBMITTED:
        return "This block has been submitted for review and is waiting for the coordinator."
    if block.status == RoleBlock.Status.ACCEPTED:
        return "This block has been accepted by the coordinator."
    if now > block.effective_deadline:
        return (
            f"Editing closed at the deadline, {deadline_display(block.effective_deadline)}. "
            "Ask the coordinator for an extension if you need more time."
        )
    return None


def block_missing_fields(block: RoleBlock) -> list[str]:
    return [name for name in RoleBlock.REQUIRED_TO_SUBMIT if not str(getattr(block, name)).strip()]


def field_label(name: str) -> str:
    return str(RoleBlock._meta.get_field(name).verbose_name).capitalize()
