from datetime import datetime

from django import template

from mou.rules import deadline_display

register = template.Library()


@register.filter
def network_time(value) -> str:
    """A moment in the network's time zone, with the zone named."""
    if not isinstance(value, datetime):
        return ""
    return deadline_display(value)


STATUS_CLASSES = {
    "not_started": "text-bg-light border",
    "draft": "text-bg-secondary",
    "submitted": "text-bg-primary",
    "changes_requested": "text-bg-warning",
    "accepted": "text-bg-success",
    "open": "text-bg-success",
    "frozen": "text-bg-info",
    "executed": "text-bg-dark",
    "superseded": "text-bg-light border",
}


@register.filter
def status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light border")


@register.filter
def block_field(block, name: str) -> str:
    """One content field of a block, by name (for the carried-over text under each field)."""
    from mou.models import RoleBlock

    if name not in RoleBlock.CONTENT_FIELDS:
        return ""
    return getattr(block, name)


@register.filter
def audit_time(value) -> str:
    """'2026-10-15 14:03:27 PDT': to the second, in the network's time zone."""
    if not isinstance(value, datetime):
        return ""
    from django.utils import timezone

    from mou.rules import network_zone

    return timezone.localtime(value, network_zone()).strftime("%Y-%m-%d %H:%M:%S %Z")
