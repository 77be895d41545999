"""Pure rules about blocks and deadlines, shared by services, selectors and views."""

import hashlib
from dataclasses import dataclass
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


# --- signing ---------------------------------------------------------------------------------


def signing_token_hash(token: str) -> str:
    """Signing tokens are stored only as this hash."""
    return hashlib.sha256(token.encode()).hexdigest()


def consent_text(*, organization: str, title: str, number: int, content_sha256: str) -> str:
    """The words a signer agrees to, shown beside the checkbox and stored with the signature."""
    return (
        f"I have read the whole memorandum of understanding “{title}” (version {number}, "
        f"content SHA-256 {content_sha256}) and I sign it on behalf of {organization}, which "
        "I am authorized to commit. I agree that typing my name and ticking this box is my "
        "electronic signature."
    )


@dataclass(frozen=True)
class LinkProblem:
    status: int
    title: str
    message: str


def signing_link_problem(link, *, now: datetime | None = None) -> LinkProblem | None:
    """Why a signing link cannot be used (a 404 or 410 page), or None when it can."""
    if link is None:
        return LinkProblem(
            404,
            "This signing link is not known",
            "Check that the whole link from the e-mail was copied, or ask the coordinator "
            "for a new one.",
        )
    signature = link.request
    version = signature.frozen.version
    now = now or timezone.now()
    if signature.status == signature.Status.SIGNED:
        return LinkProblem(410, "Already signed", "This signing link has been used: it signed.")
    if signature.status == signature.Status.DECLINED:
        return LinkProblem(410, "Declined", "This signing link has been used: it declined.")
    if signature.status == signature.Status.HANDED_OVER:
        return LinkProblem(
            410,
            "Handed over",
            "This signing request was handed over to another person, who has their own link.",
        )
    if signature.status == signature.Status.VOID or version.status != MouVersion.Status.FROZEN:
        return LinkProblem(
            410, "No longer valid", "This signing request was withdrawn by the coordinator."
        )
    if now >= link.expires_at:
        return LinkProblem(
            410,
            "This signing link has expired",
            f"Signing closed at {deadline_display(link.expires_at)}. "
            "Ask the coordinator if you still mean to sign.",
        )
    return None
