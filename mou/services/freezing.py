"""Freezing an open version: its accepted blocks, partners, signing leaders, countersigner
and needs matrix are copied onto an immutable record with the SHA-256 of their canonical
JSON, and its signing round starts (the round itself is ``mou.services.signing``).
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from core.actor import Actor
from core.models import User
from core.services.events import event_record
from core.text import clean_text
from mou.exceptions import NotAllowed, TransitionNotAllowed
from mou.models import FrozenMou, MouVersion, RoleBlock, SignatureRequest
from mou.rules import deadline_display
from mou.services.signing import NAME_MAX, frozen_html_store, signing_request_send

CONTENT_SCHEMA = 1


@dataclass(frozen=True)
class Countersigner:
    """Who signs for the backbone organization: a coordinator, or a person typed in."""

    name: str
    title: str
    email: str


def canonical_json(content: dict) -> str:
    """One spelling of the content, so the same content always has the same hash."""
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def content_hash(canonical: str) -> str:
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _person(name: str, title: str, email: str) -> dict:
    return {"name": name, "title": title, "email": email}


def _block_content(block: RoleBlock) -> dict:
    partner = block.partner
    return {
        "id": partner.pk,
        "name": partner.name,
        "kind": partner.kind,
        "kind_label": str(partner.get_kind_display()),
        "block": {
            "id": block.pk,
            "revision": block.revision,
            "accepted_at": block.reviewed_at.isoformat() if block.reviewed_at else None,
            **{name: getattr(block, name) for name in RoleBlock.CONTENT_FIELDS},
        },
        "signing_leader": _person(
            block.signing_leader_name, block.signing_leader_title, block.signing_leader_email
        ),
    }


def _matrix(partner_ids: list[int]) -> dict:
    from needs_matrix.selectors import matrix_snapshot

    snapshot = matrix_snapshot(partner_ids=partner_ids)
    # "cells" repeat the stored entries once per category (not assessed where none is
    # stored); the frozen record keeps the entries, the summary and the totals.
    for partner in snapshot.get("partners", []):
        partner.pop("cells", None)
    return snapshot


def frozen_content(
    *,
    version: MouVersion,
    included: list[RoleBlock],
    left_out: list[RoleBlock],
    countersigner: Countersigner,
    signing_deadline: datetime,
    frozen_by: User | None,
    now: datetime,
) -> dict:
    """Everything the signed document shows, as JSON-ready data."""
    return {
        "schema": CONTENT_SCHEMA,
        "network": settings.NETWORK_NAME,
        "version": {
            "id": version.pk,
            "number": version.number,
            "title": version.title,
            "shared_text": version.shared_text,
            "deadline": version.deadline.isoformat(),
            "previous": version.previous.number if version.previous_id else None,
        },
        "frozen_at": now.isoformat(),
        "frozen_by": (
            _person(frozen_by.full_name, frozen_by.title, frozen_by.email) if frozen_by else None
        ),
        "signing_deadline": signing_deadline.isoformat(),
        "backbone": {
            "organization": settings.BACKBONE_ORGANIZATION,
            "countersigner": _person(countersigner.name, countersigner.title, countersigner.email),
        },
        "partners": [_block_content(block) for block in included],
        "left_out": [
            {
                "id": block.partner.pk,
                "name": block.partner.name,
                "kind_label": str(block.partner.get_kind_display()),
                "block_status": block.status,
                "block_status_label": str(block.get_status_display()),
            }
            for block in left_out
        ],
        "matrix": _matrix([block.partner_id for block in included]),
    }


def _clean_countersigner(countersigner: Countersigner) -> Countersigner:
    name = clean_text(countersigner.name or "").strip()[:NAME_MAX]
    title = clean_text(countersigner.title or "").strip()[:NAME_MAX]
    email = (countersigner.email or "").strip().lower()
    errors = {}
    if not name:
        errors["countersigner_name"] = "Say who countersigns for the backbone organization."
    try:
        validate_email(email)
    except ValidationError:
        errors["countersigner_email"] = "Give the countersigner's e-mail address."
    if errors:
        raise ValidationError(errors)
    return Countersigner(name=name, title=title, email=email)


def _signing_deadline_check(signing_deadline: datetime | None, *, now: datetime) -> None:
    if signing_deadline is None or timezone.is_naive(signing_deadline):
        raise ValidationError({"signing_deadline": "Give the date and time signing closes."})
    if signing_deadline <= now:
        raise ValidationError({"signing_deadline": "The signing deadline must be in the future."})


def _version_lock_open(version: MouVersion) -> MouVersion:
    """The version again, its row locked; refused unless it is open."""
    current = (
        MouVersion.objects.select_for_update(of=("self",))
        .select_related("previous")
        .get(pk=version.pk)
    )
    if current.status != MouVersion.Status.OPEN:
        raise TransitionNotAllowed(
            "Only an open version can be frozen; this one is "
            f"{current.get_status_display().lower()}."
        )
    return current


def _blocks_split(
    *, version: MouVersion, leave_out: set[int]
) -> tuple[list[RoleBlock], list[RoleBlock]]:
    """(included, left out): the accepted blocks, and the others, which must every one be
    left out explicitly. Refused when nothing is left to sign or a signing leader's
    e-mail is missing."""
    blocks = list(
        RoleBlock.objects.filter(version=version)
        .select_related("partner")
        .order_by("partner__name", "pk")
    )
    included = [b for b in blocks if b.status == RoleBlock.Status.ACCEPTED]
    left_out = [b for b in blocks if b.status != RoleBlock.Status.ACCEPTED]
    unresolved = [b.partner.name for b in left_out if b.partner_id not in leave_out]
    if unresolved:
        raise ValidationError(
            {
                "leave_out": (
                    f"{len(unresolved)} partner{'s have' if len(unresolved) > 1 else ' has'} "
                    f"no accepted block: {', '.join(unresolved)}. Accept their blocks "
                    "first, or tick them to leave them out of this version explicitly."
                )
            }
        )
    if not included:
        raise ValidationError(
            {"leave_out": "No partner has an accepted block: there is nothing to sign."}
        )
    without_leader = [b.partner.name for b in included if not b.signing_leader_email]
    if without_leader:
        raise ValidationError(
            {"leave_out": f"No signing leader's e-mail for: {', '.join(without_leader)}."}
        )
    return included, left_out


def _frozen_store(
    *,
    version: MouVersion,
    included: list[RoleBlock],
    left_out: list[RoleBlock],
    countersigner: Countersigner,
    signing_deadline: datetime,
    frozen_by: User | None,
    now: datetime,
) -> FrozenMou:
    """The frozen record, with its texts stored as HTML beside it."""
    content = frozen_content(
        version=version,
        included=included,
        left_out=left_out,
        countersigner=countersigner,
        signing_deadline=signing_deadline,
        frozen_by=frozen_by,
        now=now,
    )
    canonical = canonical_json(content)
    frozen = FrozenMou(
        version=version,
        canonical=canonical,
        content_sha256=content_hash(canonical),
        signing_deadline=signing_deadline,
        frozen_at=now,
        frozen_by=frozen_by,
    )
    frozen.full_clean()
    frozen.save()
    frozen_html_store(frozen=frozen, blocks=included)
    return frozen


def _signature_requests_create(
    *,
    frozen: FrozenMou,
    included: list[RoleBlock],
    countersigner: Countersigner,
    now: datetime,
) -> list[SignatureRequest]:
    """One request per included partner's signing leader, and the countersigner's last."""
    requests = [
        SignatureRequest(
            frozen=frozen,
            role=SignatureRequest.Role.PARTNER,
            partner=block.partner,
            organization=block.partner.name,
            signer_name=block.signing_leader_name,
            signer_title=block.signing_leader_title,
            signer_email=block.signing_leader_email.lower(),
            created_at=now,
        )
        for block in included
    ]
    requests.append(
        SignatureRequest(
            frozen=frozen,
            role=SignatureRequest.Role.COUNTERSIGNER,
            organization=settings.BACKBONE_ORGANIZATION,
            signer_name=countersigner.name,
            signer_title=countersigner.title,
            signer_email=countersigner.email,
            created_at=now,
        )
    )
    for signature in requests:
        signature.full_clean(validate_constraints=False)
        signature.save()
    return requests


def version_freeze(
    *,
    version: MouVersion,
    actor: Actor,
    signing_deadline: datetime,
    countersigner: Countersigner,
    leave_out: Iterable[int] = (),
) -> FrozenMou:
    """Freeze an open version and start its signing round.

    Every partner without an accepted block must be in ``leave_out`` (partner ids), or the
    freeze is refused naming them. The included blocks, their partners' names and kinds,
    the signing leaders, the backbone organization and its countersigner and the needs
    matrix are copied onto the frozen record with the SHA-256 of their canonical JSON.
    Each included partner's signing leader is e-mailed a personal signing link.
    """
    if not actor.is_coordinator_or_system():
        raise NotAllowed("Only coordinators freeze MOU versions.")
    now = timezone.now()
    _signing_deadline_check(signing_deadline, now=now)
    countersigner = _clean_countersigner(countersigner)
    leave_out = {int(pk) for pk in leave_out}
    with transaction.atomic():
        current = _version_lock_open(version)
        included, left_out = _blocks_split(version=current, leave_out=leave_out)
        frozen = _frozen_store(
            version=current,
            included=included,
            left_out=left_out,
            countersigner=countersigner,
            signing_deadline=signing_deadline,
            frozen_by=actor.user,
            now=now,
        )
        current.status = MouVersion.Status.FROZEN
        current.save(update_fields=["status", "updated_at"])
        event_record(
            action="mou.version_frozen",
            actor=actor,
            subject=current,
            summary=f"{current} frozen for signature by {len(included)} partners; "
            f"signing closes {deadline_display(signing_deadline)}",
            data={
                "from": MouVersion.Status.OPEN,
                "to": current.status,
                "content_sha256": frozen.content_sha256,
                "included": [b.partner_id for b in included],
                "left_out": [
                    {"partner": b.partner_id, "name": b.partner.name, "block_status": b.status}
                    for b in left_out
                ],
                "countersigner": countersigner.email,
            },
        )
        requests = _signature_requests_create(
            frozen=frozen, included=included, countersigner=countersigner, now=now
        )
        for signature in requests:
            if not signature.is_countersignature:
                signing_request_send(signature=signature, frozen=frozen)
    version.refresh_from_db()
    return frozen
