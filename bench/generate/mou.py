"""The MOU part of the synthetic network: a frozen version with its signed record and an
open version with blocks in every status, carried over from it."""

from __future__ import annotations

from datetime import timedelta
from itertools import cycle

from bench.generate.sizes import BATCH, BLOCK_STATUS_CYCLE, bulk


class MouParts:
    """Mixed into the builder: uses its ``rng``, ``text``, ``now``, people and partners."""

    def mou(self) -> None:
        from simple_history.utils import bulk_create_with_history

        from core.actor import Actor
        from mou.models import BlockReview, BlockSeen, MouVersion, RoleBlock
        from mou.services import version_create

        shared = "\n\n".join(
            f"## {title}\n\n{self.text.paragraph(5)}\n\n{self.text.paragraph(4)}"
            for title in ("Purpose", "Principles", "Shared commitments", "Terms", "Governance")
        )
        frozen = version_create(
            actor=Actor.system(),
            title="Network agreement 2025",
            shared_text=shared,
            deadline=self.now - timedelta(days=200),
        )
        # The deadline is six days away: the "a week before" stage came due in the last
        # day or two for every pending block, so a sweep has a network's worth of e-mail.
        MouVersion.objects.filter(pk=frozen.pk).update(
            status=MouVersion.Status.FROZEN, opened_at=self.now - timedelta(days=260)
        )
        frozen.refresh_from_db()
        opened = version_create(
            actor=Actor.system(),
            title="Network agreement 2026",
            shared_text=shared,
            deadline=self.now + timedelta(days=6),
            previous=frozen,
        )
        MouVersion.objects.filter(pk=opened.pk).update(
            status=MouVersion.Status.OPEN, opened_at=self.now - timedelta(days=30)
        )
        self.frozen_version = MouVersion.objects.get(pk=frozen.pk)
        self.open_version = MouVersion.objects.get(pk=opened.pk)

        old_blocks = []
        for partner in self.active:
            lead = self.lead_of[partner.pk]
            old_blocks.append(
                RoleBlock(
                    version=self.frozen_version,
                    partner=partner,
                    status="accepted",
                    revision=3,
                    last_edited_by=lead,
                    last_edited_at=self.now - timedelta(days=210),
                    submitted_at=self.now - timedelta(days=205),
                    submitted_by=lead,
                    reviewed_at=self.now - timedelta(days=201),
                    **self._content(partner, lead),
                )
            )
        old_blocks = bulk(RoleBlock, old_blocks)
        previous = {b.partner_id: b for b in old_blocks}

        statuses = cycle(BLOCK_STATUS_CYCLE)
        blocks = []
        for i, partner in enumerate(self.active):
            lead = self.lead_of[partner.pk]
            status = next(statuses)
            carried = previous[partner.pk]
            started = status != "not_started"
            done = status in ("submitted", "accepted", "changes_requested")
            content = self._content(partner, lead) if started else {}
            if not started:
                content = {name: getattr(carried, name) for name in RoleBlock.CONTENT_FIELDS}
            blocks.append(
                RoleBlock(
                    version=self.open_version,
                    partner=partner,
                    status=status,
                    carried_over_from=carried,
                    revision=(i % 7) + (1 if started else 0),
                    last_edited_by=lead if started else None,
                    last_edited_at=self.now - timedelta(hours=i % 500) if started else None,
                    submitted_at=self.now - timedelta(days=i % 20) if done else None,
                    submitted_by=lead if done else None,
                    reviewed_at=self.now - timedelta(days=i % 5)
                    if status in ("accepted", "changes_requested")
                    else None,
                    review_comment=self.text.sentence(14) if status == "changes_requested" else "",
                    extension_until=self.now + timedelta(days=12) if i % 40 == 3 else None,
                    created_at=self.now - timedelta(days=30),
                    **content,
                )
            )
        bulk_create_with_history(
            blocks, RoleBlock, batch_size=BATCH, default_change_reason="bench generator"
        )
        self.blocks = list(
            RoleBlock.objects.filter(version=self.open_version).order_by("partner__name")
        )
        coordinator = self.coordinators[0]
        reviews, seen = [], []
        for block in self.blocks:
            if block.status in ("changes_requested", "accepted"):
                reviews.append(
                    BlockReview(
                        block=block,
                        kind=block.status,
                        comment=block.review_comment or "Thank you: accepted.",
                        author=coordinator,
                        created_at=block.reviewed_at,
                        block_revision=block.revision,
                    )
                )
            if block.status != "not_started" and block.pk % 3 == 0:
                seen.append(
                    BlockSeen(user=coordinator, block=block, revision=max(0, block.revision - 1))
                )
        bulk(BlockReview, reviews)
        bulk(BlockSeen, seen)
        self.count("blocks", len(old_blocks) + len(self.blocks))
        self.count("block_reviews", len(reviews))

    def frozen_record(self) -> None:
        """The frozen version's signed record, made as the freeze makes it (its content
        built by the freezing service), with every signature in: the state in which the
        executed PDF is rendered."""
        from django.contrib.contenttypes.models import ContentType

        from core.models import Event
        from mou.models import FrozenMou, RoleBlock, SignatureRequest
        from mou.services.freezing import (
            Countersigner,
            canonical_json,
            content_hash,
            frozen_content,
        )
        from mou.services.signing import signature_consent_text

        coordinator = self.coordinators[0]
        frozen_at = self.now - timedelta(days=199)
        blocks = list(
            RoleBlock.objects.filter(version=self.frozen_version)
            .select_related("partner")
            .order_by("partner__name", "pk")
        )
        countersigner = Countersigner(
            name=coordinator.full_name, title=coordinator.title, email=coordinator.email
        )
        content = frozen_content(
            version=self.frozen_version,
            included=blocks,
            left_out=[],
            countersigner=countersigner,
            signing_deadline=frozen_at + timedelta(days=30),
            frozen_by=coordinator,
            now=frozen_at,
        )
        canonical = canonical_json(content)
        frozen = FrozenMou.objects.create(
            version=self.frozen_version,
            canonical=canonical,
            content_sha256=content_hash(canonical),
            signing_deadline=frozen_at + timedelta(days=30),
            frozen_at=frozen_at,
            frozen_by=coordinator,
        )
        requests = [
            SignatureRequest(
                frozen=frozen,
                role=SignatureRequest.Role.PARTNER,
                partner=block.partner,
                organization=block.partner.name,
                signer_name=block.signing_leader_name,
                signer_title=block.signing_leader_title,
                signer_email=block.signing_leader_email,
                created_at=frozen_at,
            )
            for block in blocks
        ]
        requests.append(
            SignatureRequest(
                frozen=frozen,
                role=SignatureRequest.Role.COUNTERSIGNER,
                organization="Backbone organization",
                signer_name=countersigner.name,
                signer_title=countersigner.title,
                signer_email=countersigner.email,
                created_at=frozen_at,
            )
        )
        for i, request in enumerate(requests):
            request.status = SignatureRequest.Status.SIGNED
            request.sent_at = frozen_at
            request.decided_at = frozen_at + timedelta(days=1 + i % 20, minutes=i)
            request.signed_name = request.signer_name
            request.signed_title = request.signer_title or "Director"
            request.consent_text = signature_consent_text(signature=request)
            request.signed_ip = f"192.0.2.{i % 250 + 1}"
            request.signed_user_agent = "Mozilla/5.0 (bench)"
        requests = bulk(SignatureRequest, requests)
        signature_type = ContentType.objects.get_for_model(SignatureRequest)
        events = []
        for request in requests:
            for action, at in (
                ("mou.signature_sent", request.sent_at),
                ("mou.signature_signed", request.decided_at),
            ):
                events.append(
                    Event(
                        created_at=at,
                        action=action,
                        subject_type=signature_type,
                        subject_id=request.pk,
                        summary=f"{action.split('_')[-1].title()}: {request.organization}"[:300],
                        ip_address=request.signed_ip if action.endswith("signed") else None,
                        user_agent=request.signed_user_agent if action.endswith("signed") else "",
                    )
                )
        bulk(Event, events)
        self.count("signature_requests", len(requests))

    def _content(self, partner, lead) -> dict:
        return {
            "role_in_partnership": self.text.block_text(),
            "commitments": self.text.block_text(),
            "asks_of_network": self.text.paragraph(2),
            "contact_name": lead.full_name,
            "contact_email": lead.email,
            "contact_phone": lead.phone,
            "signing_leader_name": f"Leader of {partner.name}"[:200],
            "signing_leader_title": "Superintendent"
            if partner.kind == "school_district"
            else "CEO",
            "signing_leader_email": f"leader{partner.pk}@bench.example.org",
        }
