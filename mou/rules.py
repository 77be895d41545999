"""Pure rules about blocks and deadlines, shared by services, selectors and views."""

import re
import unicodedata
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
    """'Thursday, October 15, 2026, 11:59 PM PDT': the zone by its abbreviation alone."""
    if value is None:
        return ""
    local = timezone.localtime(value, network_zone())
    return date_format(local, "l, F j, Y, g:i A T")


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


def consent_text(*, organization: str, title: str, number: int, content_sha256: str) -> str:
    """The words a signer agrees to, shown beside the checkbox and stored with the signature."""
    return (
        f"I have read the whole memorandum of understanding “{title}” (version {number}, "
        f"content SHA-256 {content_sha256}) and I sign it on behalf of {organization}, which "
        "I am authorized to commit. I agree that typing my name and ticking this box is my "
        "electronic signature."
    )


# Honorifics and degrees people add or leave out when they type their own name.
NAME_TITLES = frozenset(
    {
        *("dr", "mr", "mrs", "ms", "mx", "miss", "prof", "professor", "sir", "dame"),
        *("rev", "fr", "hon", "jr", "sr", "ii", "iii", "iv"),
        *("phd", "edd", "md", "jd", "mba", "ma", "msc", "bsc", "ba", "esq"),
    }
)


def name_words(name: str) -> list[str]:
    """The words of a name, with case, accents, punctuation and titles taken away."""
    # Markup is not part of anyone's name (a pasted "<b>Elena</b>" is still Elena).
    plain = unicodedata.normalize("NFKD", re.sub(r"<[^>]*>", " ", name or ""))
    plain = "".join(c for c in plain if not unicodedata.combining(c)).casefold()
    words = re.findall(r"[^\W_]+", plain.replace("'", "").replace("\u2019", ""))
    return [w for w in words if w not in NAME_TITLES]


def name_matches(*, typed: str, invited: str) -> bool:
    """Whether a typed name is the invited person's: the same first and last name, and
    any middle names or initials typed are among the invited person's, in order (when the
    invitation names any). Case, accents, punctuation, titles (Dr., Ms.) and left-out
    middle names are forgiven."""
    got, want = name_words(typed), name_words(invited)
    if not got or not want:
        return False
    if got[0] != want[0] or got[-1] != want[-1] or (len(got) == 1) != (len(want) == 1):
        return False
    if len(want) <= 2:  # a middle name the invitation left out ("Christy A. Perry")
        return True
    middle = iter(want[1:-1])
    for word in got[1:-1]:
        if not any(m == word or (len(word) == 1 and m.startswith(word)) for m in middle):
            return False
    return True


def name_mismatch_message(*, typed: str, invited: str) -> str:
    return (
        f"This signing link is for {invited}, and “{typed}” is not that name. If you are "
        f"{invited}, type your name as it appears here. If you sign on behalf of {invited}, "
        f"tick “I am not {invited}: I sign on behalf of them” and give your own name and the "
        "reason. If someone else should sign instead, hand the request over below."
    )


def coordinator_contact(frozen) -> str:
    """Who a signer writes to about their link: the coordinator who froze the version."""
    person = frozen.frozen_by
    if person is not None and person.email:
        return f"{person.full_name or person.email} ({person.email})"
    return f"the coordinator of {settings.NETWORK_NAME}"


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
    contact = coordinator_contact(signature.frozen)
    decided = deadline_display(signature.decided_at)
    if signature.status == signature.Status.SIGNED:
        return LinkProblem(
            410,
            "Already signed",
            f"You signed this MOU for {signature.organization} on {decided}. If this wasn't "
            f"you, contact {contact} at once.",
        )
    if signature.status == signature.Status.DECLINED:
        return LinkProblem(
            410,
            "Declined",
            f"You declined to sign this MOU for {signature.organization} on {decided}; the "
            f"coordinator has your reason. If you have changed your mind, or this wasn't you, "
            f"contact {contact}.",
        )
    if signature.status == signature.Status.HANDED_OVER:
        return LinkProblem(
            410,
            "Handed over",
            f"This signing request was handed over on {decided} to another person, who has "
            f"their own link. If this wasn't you, contact {contact}.",
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
