"""Reads for the signing round: the frozen document shaped for the page and the PDF, the
requests and their audit trail, the verify page's lookup and the calendar's deadlines."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.safestring import mark_safe

from core import text as core_text
from core.calendar import CalendarEntry
from core.models import Event, User
from core.permissions import is_coordinator
from core.text import markdown_cooked, markdown_render, possessive
from core.tokens import token_hash
from mou.models import (
    ExecutedPdf,
    FrozenMou,
    FrozenMouHtml,
    MouVersion,
    RoleBlock,
    SignatureRequest,
    SigningLink,
)
from partnership.permissions import memberships

SIGNATURE_ACTIONS = {
    "mou.signature_sent": "Signing link sent",
    "mou.signature_opened": "Opened",
    "mou.signature_signed": "Signed",
    "mou.signature_declined": "Declined",
    "mou.signature_handed_over": "Handed over",
    "mou.signature_reminded": "Reminded",
}
VERSION_ACTIONS = {
    "mou.version_frozen": "Frozen for signature",
    "mou.version_fully_signed": "Last signature landed",
}


def _when(value: str | None) -> datetime | None:
    return parse_datetime(value) if value else None


def _matrix_appendix(matrix: dict) -> dict:
    """Per partner, what it needs and what it can contribute; the categories with gaps."""
    rows = []
    for partner in matrix.get("partners", []):
        needs, gives = [], []
        for entry in partner.get("entries", []):
            if entry["stance"] in ("need", "both"):
                needs.append(entry)
            if entry["stance"] in ("contribute", "both"):
                gives.append(entry)
        rows.append(
            {
                "name": partner["name"],
                "kind_label": partner["kind_label"],
                "needs": needs,
                "contributions": gives,
            }
        )
    summary = matrix.get("summary", [])
    return {
        "partners": rows,
        "gaps": [s for s in summary if s["gap"]],
        "thin": [s for s in summary if s["thin"]],
        "totals": matrix.get("totals", {}),
        "taken_at": _when(matrix.get("taken_at")),
    }


def frozen_texts_render(*, content: dict, blocks: dict[int, RoleBlock] | None = None) -> dict:
    """The frozen Markdown texts as sanitized HTML, in ``FrozenMouHtml.texts``'s shape. A
    block whose stored HTML was made from the same text by this renderer lends it, so a
    freeze does not parse again what each save already did."""
    blocks = blocks or {}
    partners = {}
    for partner in content["partners"]:
        block = blocks.get(partner["block"]["id"])
        partners[str(partner["id"])] = {
            name: (
                str(markdown_cooked(obj=block, field=name))
                if block is not None and getattr(block, name) == partner["block"][name]
                else markdown_render(partner["block"][name])
            )
            for name in RoleBlock.TEXT_FIELDS
        }
    return {
        "shared_text": markdown_render(content["version"]["shared_text"]),
        "partners": partners,
    }


def _frozen_texts(frozen: FrozenMou) -> dict:
    """The HTML stored at freeze time; a record without it, or stored by an older renderer,
    is rendered here until ``markdown_rerender`` has stored it again."""
    stored = FrozenMouHtml.objects.filter(frozen=frozen).first()
    if stored is not None and stored.markdown_version == core_text.MARKDOWN_VERSION:
        return stored.texts
    return frozen_texts_render(content=frozen.content)


# The frozen record keeps these (its hash covers them); the document every party reads
# does not show them: other organizations' e-mail addresses and phones are for coordinators.
_PRIVATE_BLOCK_FIELDS = ("contact_email", "contact_phone", "signing_leader_email")


def _without_email(person: dict) -> dict:
    return {key: value for key, value in person.items() if key != "email"}


def _public_partner(partner: dict) -> dict:
    block = {k: v for k, v in partner["block"].items() if k not in _PRIVATE_BLOCK_FIELDS}
    return {**partner, "block": block, "signing_leader": _without_email(partner["signing_leader"])}


def signing_document(*, frozen: FrozenMou) -> dict:
    """The frozen content, ready for the one template the signing page and the PDF share.
    The texts come as HTML sanitized when it was stored (``shared_text_html`` and each
    partner's ``html``); the frozen record itself stays as it was signed. One document for
    every reader (each partner's people, every signer by link), so it carries no e-mail
    address or phone number of anyone."""
    content = frozen.content
    version = content["version"]
    texts = _frozen_texts(frozen)
    partners = [
        {
            **_public_partner(partner),
            "html": {
                name: mark_safe(html)  # noqa: S308 - sanitized with nh3 when stored
                for name, html in texts["partners"].get(str(partner["id"]), {}).items()
            },
        }
        for partner in content["partners"]
    ]
    return {
        "title": version["title"],
        "number": version["number"],
        "network": content["network"],
        "shared_text": version["shared_text"],
        "shared_text_html": mark_safe(texts["shared_text"]),  # noqa: S308 - as above
        "deadline": _when(version["deadline"]),
        "frozen_at": _when(content["frozen_at"]),
        "signing_deadline": _when(content["signing_deadline"]),
        "content_sha256": frozen.content_sha256,
        "backbone": {
            **content["backbone"],
            "countersigner": _without_email(content["backbone"]["countersigner"]),
        },
        "partners": partners,
        "left_out": content["left_out"],
        "matrix": _matrix_appendix(content["matrix"]),
    }


def signature_requests(*, frozen: FrozenMou, live_only: bool = False) -> list[SignatureRequest]:
    """Partners' requests by organization, then the countersignature; handed-over requests
    sit before their successors."""
    qs = SignatureRequest.objects.filter(frozen=frozen).select_related("partner")
    if live_only:
        qs = qs.filter(status__in=SignatureRequest.LIVE)
    return sorted(
        qs, key=lambda r: (r.is_countersignature, r.organization.lower(), r.created_at, r.pk)
    )


@dataclass(frozen=True)
class SigningProgress:
    partners: int
    partners_signed: int
    declined: int
    countersigned: bool

    @property
    def complete(self) -> bool:
        return self.partners_signed == self.partners and self.countersigned


def signing_progress(*, requests: list[SignatureRequest]) -> SigningProgress:
    live = [r for r in requests if r.status in SignatureRequest.LIVE]
    partners = [r for r in live if not r.is_countersignature]
    return SigningProgress(
        partners=len(partners),
        partners_signed=sum(r.status == r.Status.SIGNED for r in partners),
        declined=sum(r.status == r.Status.DECLINED for r in live),
        countersigned=any(r.is_countersignature and r.status == r.Status.SIGNED for r in live),
    )


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    action: str
    label: str
    who: str
    organization: str
    ip_address: str
    user_agent: str
    detail: str


def signature_audit(*, frozen: FrozenMou) -> list[AuditRow]:
    """Every event of the signing round, oldest first (three queries)."""
    requests = {r.pk: r for r in SignatureRequest.objects.filter(frozen=frozen)}
    signature_type = ContentType.objects.get_for_model(SignatureRequest)
    version_type = ContentType.objects.get_for_model(MouVersion)
    events = (
        Event.objects.filter(
            Q(
                subject_type=signature_type,
                subject_id__in=list(requests),
                action__in=SIGNATURE_ACTIONS,
            )
            | Q(subject_type=version_type, subject_id=frozen.version_id, action__in=VERSION_ACTIONS)
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
    rows = []
    for event in events:
        request = (
            requests.get(event.subject_id) if event.subject_type_id == signature_type.pk else None
        )
        if request is not None:
            who, organization = request.signer_name, request.organization
            if event.action == "mou.signature_signed" and request.signed_on_behalf:
                who = f"{request.signed_by_display} (reason: {request.on_behalf_reason})"
        else:
            who = event.actor.full_name if event.actor else "the portal"
            organization = settings.BACKBONE_ORGANIZATION if event.actor else ""
        rows.append(
            AuditRow(
                at=event.created_at,
                action=event.action,
                label=SIGNATURE_ACTIONS.get(event.action) or VERSION_ACTIONS[event.action],
                who=who,
                organization=organization,
                ip_address=event.ip_address or "",
                user_agent=event.user_agent,
                detail=event.summary,
            )
        )
    return rows


def signing_link_find(*, token: str) -> SigningLink | None:
    if not token or len(token) > 100:
        return None
    return (
        SigningLink.objects.filter(token_hash=token_hash(token))
        .select_related(
            "request__frozen__version", "request__frozen__frozen_by", "request__partner"
        )
        .first()
    )


@dataclass(frozen=True)
class SignerCopy:
    """What a signer's own link offers after they signed: the executed PDF once it exists."""

    executed: ExecutedPdf | None
    superseded: bool


def signer_copy(*, link: SigningLink, now: datetime | None = None) -> SignerCopy | None:
    """The copy a used link still gives its signer, until the link expires; None when the
    link did not sign or has expired."""
    now = now or timezone.now()
    signature = link.request
    if signature.status != SignatureRequest.Status.SIGNED or now >= link.expires_at:
        return None
    executed = executed_pdf_for(frozen=signature.frozen)
    superseded = executed is None and signature.frozen.version.status not in (
        MouVersion.Status.FROZEN,
        MouVersion.Status.EXECUTED,
    )
    return SignerCopy(executed=executed, superseded=superseded)


def countersignature_waiting(*, signature: SignatureRequest) -> bool:
    """True while a countersignature must wait for partners who have not signed yet."""
    if not signature.is_countersignature:
        return False
    return (
        SignatureRequest.objects.filter(
            frozen_id=signature.frozen_id,
            role=SignatureRequest.Role.PARTNER,
            status__in=SignatureRequest.LIVE,
        )
        .exclude(status=SignatureRequest.Status.SIGNED)
        .exists()
    )


def frozen_for_version(*, version: MouVersion) -> FrozenMou | None:
    return FrozenMou.objects.filter(version=version).first()


def executed_pdf_for(*, frozen: FrozenMou | None) -> ExecutedPdf | None:
    if frozen is None:
        return None
    return ExecutedPdf.objects.filter(frozen=frozen).first()


def executed_pdf_by_hash(*, sha256: str) -> ExecutedPdf | None:
    return (
        ExecutedPdf.objects.filter(sha256=sha256.lower()).select_related("frozen__version").first()
    )


def executed_pdf_by_any_hash(*, sha256: str) -> tuple[ExecutedPdf | None, str]:
    """The executed MOU a pasted SHA-256 belongs to, and which hash it is: "file" (the PDF's
    bytes) or "content" (the signed content, the hash the PDF's cover prints; a file
    cannot carry its own hash). ``(None, "")`` when it is neither."""
    record = executed_pdf_by_hash(sha256=sha256)
    if record is not None:
        return record, "file"
    record = (
        ExecutedPdf.objects.filter(frozen__content_sha256=sha256.lower())
        .select_related("frozen__version")
        .first()
    )
    return (record, "content") if record is not None else (None, "")


def freeze_candidates(*, version: MouVersion) -> dict:
    """The blocks a freeze would include (accepted) and the partners it would leave out."""
    blocks = list(
        RoleBlock.objects.filter(version=version)
        .select_related("partner")
        .order_by("partner__name", "pk")
    )
    accepted = [b for b in blocks if b.status == RoleBlock.Status.ACCEPTED]
    return {
        "accepted": accepted,
        "not_accepted": [b for b in blocks if b.status != RoleBlock.Status.ACCEPTED],
    }


# --- calendar ---------------------------------------------------------------------------------


def mou_calendar_entries(*, user: User, now: datetime) -> list:
    """All-day entries for the person's MOU deadlines: the open version's block deadline
    (their own partners' blocks, with any extension) and the signing deadline of a frozen
    version their partner signs. Coordinators get every open version's block deadline and
    every signing deadline. Two queries."""
    host = urlsplit(settings.SITE_URL).hostname or "portal"

    def all_day(uid: str, summary: str, moment: datetime, path: str, description: str):
        day = timezone.localtime(moment).date()
        url = settings.SITE_URL + path
        return CalendarEntry(
            uid=f"{uid}@{host}",
            summary=summary,
            start=day,
            end=day + timedelta(days=1),
            description=f"{description}\n\n{url}",
            url=url,
        )

    entries = []
    partner_ids = list(memberships(user))
    coordinator = is_coordinator(user)
    if coordinator:
        for version in MouVersion.objects.filter(status=MouVersion.Status.OPEN):
            entries.append(
                all_day(
                    f"mou-blocks-{version.pk}",
                    f"MOU blocks due: {version.title}",
                    version.deadline,
                    version.get_absolute_url(),
                    "Partners' role blocks are due.",
                )
            )
    else:
        blocks = RoleBlock.objects.filter(
            version__status=MouVersion.Status.OPEN, partner_id__in=partner_ids
        ).select_related("version", "partner")
        for block in blocks:
            entries.append(
                all_day(
                    f"mou-block-{block.pk}",
                    f"MOU block due: {block.partner.name}",
                    block.effective_deadline,
                    block.get_absolute_url(),
                    f"{possessive(block.partner.name)} block of {block.version.title} is due.",
                )
            )
    frozen_rows = FrozenMou.objects.filter(version__status=MouVersion.Status.FROZEN)
    if not coordinator:
        signing = SignatureRequest.objects.filter(
            partner_id__in=partner_ids, status__in=SignatureRequest.LIVE
        ).values("frozen_id")
        frozen_rows = frozen_rows.filter(pk__in=signing)
    for frozen in frozen_rows.select_related("version").defer("canonical"):
        entries.append(
            all_day(
                f"mou-signing-{frozen.pk}",
                f"MOU signing deadline: {frozen.version.title}",
                frozen.signing_deadline,
                frozen.version.get_absolute_url(),
                "Signing leaders sign the MOU by this day.",
            )
        )
    return entries
