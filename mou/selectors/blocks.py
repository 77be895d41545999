"""Reads shaped for the MOU pages, each in a constant number of queries."""

from bisect import bisect_left
from dataclasses import dataclass
from datetime import date, datetime, tzinfo

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from core.models import User
from core.permissions import is_coordinator, user_may
from mou.diff import Piece, text_diff
from mou.models import (
    BlockReview,
    BlockSeen,
    DraftPdf,
    FrozenMou,
    MouVersion,
    RoleBlock,
    RoleTemplate,
    SignatureRequest,
)
from mou.models.versions import overdue_q, signing_leader_confirmed_q
from mou.permissions import blocks_readable
from mou.rules import field_label
from partnership.permissions import memberships

DONE = (RoleBlock.Status.SUBMITTED, RoleBlock.Status.ACCEPTED)
# What a block says about reaching people; the names and titles stay (they are in the
# signed agreement for everyone to read).
PRIVATE_CONTACT_FIELDS = ("contact_email", "contact_phone", "signing_leader_email")


def versions_for_user(*, user: User) -> QuerySet[MouVersion]:
    """The versions a person may see, with block counts and the person's own blocks."""
    qs = MouVersion.objects.annotate(
        blocks_total=Count("blocks"),
        blocks_done=Count("blocks", filter=Q(blocks__status__in=DONE)),
        blocks_accepted=Count("blocks", filter=Q(blocks__status=RoleBlock.Status.ACCEPTED)),
    ).order_by("-number")
    if is_coordinator(user):
        return qs
    own = RoleBlock.objects.filter(partner_id__in=list(memberships(user))).select_related("partner")
    return qs.exclude(status=MouVersion.Status.DRAFT).prefetch_related(
        Prefetch("blocks", queryset=own, to_attr="my_blocks")
    )


def version_blocks(
    *, version: MouVersion, user: User | None = None, status: str | None = None
) -> QuerySet[RoleBlock]:
    """Every block of a version, by partner name, with what a list row shows.

    With ``user``, each block carries ``seen_revision``: the revision that person last
    looked at (None when never), for "changed since you last looked".
    """
    qs = (
        RoleBlock.objects.filter(version=version)
        .select_related("partner", "last_edited_by")
        .order_by("partner__name", "pk")
    )
    if status:
        qs = qs.filter(status=status)
    if user is not None:
        seen = BlockSeen.objects.filter(block=OuterRef("pk"), user=user).values("revision")[:1]
        qs = qs.annotate(seen_revision=Subquery(seen, output_field=IntegerField()))
    return qs


def version_status_counts(*, version: MouVersion, now: datetime | None = None) -> dict:
    """{status: n, "total": n, "done": n, "owed": n, "no_signing_leader": n,
    "signing_leader_confirmed": n} in one query; with ``now`` also "overdue": the owed
    blocks past their effective deadline then. A signing leader is confirmed when the
    partner has named them in this version (``signing_leader_confirmed_q``)."""
    aggregates = {
        status: Count("id", filter=Q(status=status)) for status in RoleBlock.Status.values
    }
    if now is not None:
        aggregates["overdue"] = Count("id", filter=overdue_q(now=now))
    counts = RoleBlock.objects.filter(version=version).aggregate(
        total=Count("id"),
        no_signing_leader=Count("id", filter=Q(signing_leader_name="")),
        signing_leader_confirmed=Count("id", filter=signing_leader_confirmed_q()),
        **aggregates,
    )
    counts["done"] = counts[RoleBlock.Status.SUBMITTED] + counts[RoleBlock.Status.ACCEPTED]
    counts["owed"] = sum(counts[status] for status in RoleBlock.EDITABLE_STATUSES)
    # Freezing before this is zero means leaving partners out: the page says so first.
    counts["not_accepted"] = counts["total"] - counts[RoleBlock.Status.ACCEPTED]
    counts["signing_leader_unconfirmed"] = counts["total"] - counts["signing_leader_confirmed"]
    counts["rows"] = [(value, label, counts[value]) for value, label in RoleBlock.Status.choices]
    return counts


def blocks_of_user(*, version: MouVersion, user: User) -> list[RoleBlock]:
    """The blocks of the partners a person belongs to."""
    return list(
        RoleBlock.objects.filter(version=version, partner_id__in=list(memberships(user)))
        .select_related("partner")
        .order_by("partner__name")
    )


def block_open_of_user(*, user: User) -> RoleBlock | None:
    """The person's block in the newest version open for blocks, if they have one."""
    return (
        RoleBlock.objects.filter(
            version__status=MouVersion.Status.OPEN, partner_id__in=list(memberships(user))
        )
        .order_by("-version__number", "partner__name")
        .first()
    )


def block_for_page(*, version_pk: int, pk: int) -> RoleBlock | None:
    """The block with what its editor page shows beside it; None if there is no such block
    in that version."""
    return (
        RoleBlock.objects.select_related(
            "version",
            "version__previous",
            "partner",
            "last_edited_by",
            "submitted_by",
            "carried_over_from",
            "carried_over_from__version",
        )
        .filter(version_id=version_pk, pk=pk)
        .first()
    )


def block_template(*, block: RoleBlock) -> RoleTemplate | None:
    """The version's template for the partner's kind, else the network default."""
    candidates = RoleTemplate.objects.filter(
        Q(version=block.version) | Q(version__isnull=True), kind=block.partner.kind
    )
    chosen = None
    for template in candidates:
        if template.version_id is not None:
            return template
        chosen = template
    return chosen


def block_reviews(*, block: RoleBlock) -> list[BlockReview]:
    return list(block.reviews.select_related("author"))


def block_history(*, block: RoleBlock) -> list:
    """Every saved state of the block, newest first, with who saved it; each carries
    ``previous_revision``: the kept revision just below its own, to compare it with (None
    for the first). Folded drafts leave gaps in the numbers, so it is not revision - 1."""
    records = list(
        block.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    kept = sorted({record.revision for record in records})
    for record in records:
        below = bisect_left(kept, record.revision)
        record.previous_revision = kept[below - 1] if below else None
    return records


@dataclass(frozen=True)
class FieldDiff:
    name: str
    label: str
    pieces: list[Piece]
    changed: bool


def _snapshot(record) -> dict[str, str]:
    return {name: getattr(record, name) or "" for name in RoleBlock.CONTENT_FIELDS}


def block_snapshot(*, block: RoleBlock, revision: int) -> dict[str, str] | None:
    """The block's content as it was at ``revision`` (None when there is no such revision).

    Drafts one person saves in a row are one history entry (the services fold them), so a
    revision in between is not kept: it reads as the last entry kept at or before it, which
    shows every change made since, never fewer."""
    if revision > block.revision:
        return None
    record = (
        block.history.filter(revision__lte=revision)
        .order_by("-revision", "-history_date", "-history_id")
        .first()
    )
    return _snapshot(record) if record else None


def block_history_count(*, block: RoleBlock) -> int:
    """How many entries the block's history holds (one query)."""
    return block.history.count()


def snapshot_diff(*, old: dict[str, str], new: dict[str, str]) -> list[FieldDiff]:
    return [
        FieldDiff(
            name=name,
            label=field_label(name),
            pieces=text_diff(old.get(name, ""), new.get(name, "")),
            changed=old.get(name, "") != new.get(name, ""),
        )
        for name in RoleBlock.CONTENT_FIELDS
    ]


def block_diff_against_previous(*, block: RoleBlock) -> list[FieldDiff] | None:
    """What changed from the same partner's block in the previous version."""
    previous = block.carried_over_from
    if previous is None and block.version.previous_id:
        previous = RoleBlock.objects.filter(
            version_id=block.version.previous_id, partner_id=block.partner_id
        ).first()
    if previous is None:
        return None
    return snapshot_diff(old=_snapshot(previous), new=_snapshot(block))


@dataclass(frozen=True)
class ConflictRow:
    name: str
    label: str
    yours: str
    current: str
    differs: bool


def conflict_rows(*, block: RoleBlock, submitted: dict[str, str]) -> list[ConflictRow]:
    """Field by field: what the person typed beside what is saved now."""
    return [
        ConflictRow(
            name=name,
            label=field_label(name),
            yours=submitted[name],
            current=getattr(block, name),
            differs=submitted[name] != getattr(block, name),
        )
        for name in RoleBlock.CONTENT_FIELDS
        if name in submitted
    ]


def document_for(*, version: MouVersion, viewer: User | None) -> dict:
    """The whole MOU as ``viewer`` may read it: shared text and, in partner order, the
    blocks mou.permissions.blocks_readable lets them see. Where the viewer may not see a
    block's contact details (mou.block.contacts) they are blanked on these read-only
    copies, so neither the page nor the PDF can show them. Two queries at most."""
    blocks = list(
        RoleBlock.objects.filter(version=version)
        .filter(blocks_readable(viewer))
        .select_related("partner")
        .order_by("partner__name", "pk")
    )
    for block in blocks:
        if not user_may(viewer, "mou.block.contacts", block):
            for name in PRIVATE_CONTACT_FIELDS:
                setattr(block, name, "")
    return {"version": version, "blocks": blocks, "viewer": viewer}


def draft_pdf_latest(*, version: MouVersion, user: User) -> DraftPdf | None:
    """The person's own latest draft PDF: each is rendered for the one who asked for it."""
    return version.draft_pdfs.filter(requested_by=user).select_related("requested_by").first()


def blocks_awaiting_submission(*, version: MouVersion) -> QuerySet[RoleBlock]:
    """Blocks whose partner still owes a submission (not started, draft, changes
    requested), for reminders. Each carries its version and partner."""
    return (
        RoleBlock.objects.filter(version=version)
        .owed()
        .select_related("version", "partner")
        .order_by("partner__name")
    )


def blocks_to_remind(*, version: MouVersion) -> list[RoleBlock]:
    """``blocks_awaiting_submission`` for "remind all pending": a reminder shows names and
    dates, so the blocks' texts (and the version's shared text) stay in the database."""
    return list(
        blocks_awaiting_submission(version=version).defer(
            *RoleBlock.TEXT_FIELDS, "version__shared_text", "partner__description"
        )
    )


# --- reads of other pages (the dashboard, the partner home) ------------------------------------

# The versions a partner's home shows a block of: not drafts the coordinator is preparing.
VISIBLE_VERSION_STATUSES = (
    MouVersion.Status.OPEN,
    MouVersion.Status.FROZEN,
    MouVersion.Status.EXECUTED,
)


def versions_for_picker() -> list[MouVersion]:
    """Every version, newest first, with what a version picker shows (one query)."""
    return list(
        MouVersion.objects.only(
            "id", "number", "title", "status", "deadline", "opened_at", "created_at"
        )
    )


def block_by_pk(*, pk: int) -> RoleBlock | None:
    """A block with its version, partner and last editor, or None."""
    try:
        return RoleBlock.objects.select_related("version", "partner", "last_edited_by").get(pk=pk)
    except RoleBlock.DoesNotExist:
        return None


def block_version_ids(*, block_ids: set[int]) -> dict[int, int]:
    """{block id: its version id} (one query, none for no ids)."""
    if not block_ids:
        return {}
    return dict(RoleBlock.objects.filter(pk__in=block_ids).values_list("pk", "version_id"))


def blocks_submitted_per_day(*, version: MouVersion, zone: tzinfo) -> dict[date, int]:
    """{day: blocks last submitted that day} of the blocks standing submitted or accepted,
    days in ``zone`` (one query)."""
    return dict(
        RoleBlock.objects.filter(version=version, status__in=DONE, submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at", tzinfo=zone))
        .values_list("day")
        .annotate(n=Count("id"))
        .order_by("day")
    )


def _signature_annotations() -> dict:
    """The partner's signature request of a frozen or executed version, as subqueries of
    the block query (no extra query): its status, who, when, and the signing deadline."""
    live = SignatureRequest.objects.filter(
        frozen__version_id=OuterRef("version_id"),
        partner_id=OuterRef("partner_id"),
        role=SignatureRequest.Role.PARTNER,
        status__in=SignatureRequest.LIVE,
    ).order_by("-created_at", "-pk")
    return {
        "signature_status": Subquery(live.values("status")[:1]),
        "signature_signer": Subquery(live.values("signer_name")[:1]),
        "signature_signed_name": Subquery(live.values("signed_name")[:1]),
        "signature_at": Subquery(live.values("decided_at")[:1]),
        "signing_deadline": Subquery(
            FrozenMou.objects.filter(version_id=OuterRef("version_id")).values("signing_deadline")[
                :1
            ]
        ),
    }


def blocks_current_of_partners(*, partner_ids: list[int]) -> dict[int, RoleBlock]:
    """{partner id: its block of the newest open, frozen or executed version}, each with its
    version, last editor and signature (``signature_status``, ``signature_signer``,
    ``signature_signed_name``, ``signature_at``, ``signing_deadline``), in one query."""
    blocks: dict[int, RoleBlock] = {}
    for block in (
        RoleBlock.objects.filter(
            partner_id__in=partner_ids, version__status__in=VISIBLE_VERSION_STATUSES
        )
        .select_related("version", "last_edited_by")
        .annotate(**_signature_annotations())
        .order_by("partner_id", "-version__number")
    ):
        blocks.setdefault(block.partner_id, block)
    return blocks
