"""The executed MOU: rendered once by a Celery task when the last signature lands, sealed
when a certificate is configured, stored with its SHA-256, e-mailed, never re-rendered.

A retried or duplicated task stores one file: the render is checked and recorded under a
lock on the version row, and the one-to-one link to the frozen record is unique, so a
second file that lost the race is deleted again.
"""

import hashlib
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from core.actor import Actor
from core.deferred import task_after_commit, task_send
from core.services.events import event_record
from core.services.outbox import outbox_send_templated
from mou.models import ExecutedPdf, FrozenMou, MouVersion, SignatureRequest
from mou.pdf_render import EXECUTED_PDF_OPTIONS, pdf_write
from mou.rules import deadline_display
from mou.selectors.signing import (
    signature_audit,
    signature_requests,
    signing_document,
    signing_progress,
)
from partnership.selectors import partner_leads_active

logger = logging.getLogger(__name__)


def executed_pdf_enqueue(*, frozen: FrozenMou) -> None:
    """Hand the render to Celery once the current transaction commits."""
    task_after_commit(
        "mou.tasks.executed_pdf_render", frozen.pk, waits="the periodic executed-PDF check"
    )


def signed_requests(*, frozen: FrozenMou) -> list[SignatureRequest]:
    return [
        r for r in signature_requests(frozen=frozen) if r.status == SignatureRequest.Status.SIGNED
    ]


def executed_pdf_html(*, frozen: FrozenMou) -> str:
    """The executed MOU's HTML: one document for every party, so it shows no one's e-mail
    address or phone number (mou.selectors.signing_document leaves them out)."""
    from mou.pdf_fetcher import static_file_uri

    signatures = signed_requests(frozen=frozen)
    executed_at = max((r.decided_at for r in signatures), default=timezone.now())
    context = {
        "mou": signing_document(frozen=frozen),
        "signatures": signatures,
        "audit": signature_audit(frozen=frozen),
        "executed_at": executed_at,
        "css": render_to_string("mou/pdf/document.css") + render_to_string("mou/pdf/executed.css"),
        "logo_uri": static_file_uri("img/favicon.svg"),
        "site_url": settings.SITE_URL,
        "time_zone": settings.TIME_ZONE,
    }
    return render_to_string("mou/pdf/executed.html", context)


def executed_pdf_bytes(*, frozen: FrozenMou, fetcher=None) -> bytes:
    """The executed MOU as PDF bytes (unsealed)."""
    from mou.pdf_fetcher import StaticOnlyFetcher

    html = executed_pdf_html(frozen=frozen)
    return pdf_write(
        html=html, fetcher=fetcher or StaticOnlyFetcher(), options=EXECUTED_PDF_OPTIONS
    )


def _recipients(*, frozen: FrozenMou, signatures: list[SignatureRequest]) -> list:
    """Every signer (by e-mail) and every active lead of an included partner, once each."""
    seen: set[str] = set()
    out: list = []
    for signature in signatures:
        if signature.signer_email.lower() not in seen:
            seen.add(signature.signer_email.lower())
            out.append(signature.signer_email)
    leads = partner_leads_active(partners=frozen.partner_ids)
    for membership in leads.order_by("user__email"):
        if membership.user.email.lower() not in seen:
            seen.add(membership.user.email.lower())
            out.append(membership.user)
    return out


def executed_pdf_render(*, frozen_id: int, actor: Actor) -> ExecutedPdf | None:
    """Render, seal, store and e-mail the executed MOU once (called by the Celery task, as
    the system).
    Returns the stored record, or None while signatures are missing."""
    from mou.pdf_seal import pdf_seal, seal_configured

    frozen = FrozenMou.objects.select_related("version").filter(pk=frozen_id).first()
    if frozen is None:
        return None
    existing = ExecutedPdf.objects.filter(frozen=frozen).first()
    if existing is not None:
        return existing
    signatures = signed_requests(frozen=frozen)
    if not signing_progress(requests=signature_requests(frozen=frozen)).complete:
        logger.warning("Executed PDF of %s asked for before every signature is in", frozen.pk)
        return None
    data = executed_pdf_bytes(frozen=frozen)
    sealed = seal_configured()
    if sealed:
        data = pdf_seal(data)
    sha256 = hashlib.sha256(data).hexdigest()
    executed_at = max(r.decided_at for r in signatures)
    with transaction.atomic():
        version = MouVersion.objects.select_for_update().get(pk=frozen.version_id)
        existing = ExecutedPdf.objects.filter(frozen=frozen).first()
        if existing is not None:
            return existing
        record = ExecutedPdf(
            frozen=frozen,
            sha256=sha256,
            size=len(data),
            sealed=sealed,
            executed_at=executed_at,
        )
        name = f"mou-v{version.number}-executed-{sha256[:12]}.pdf"
        record.file.save(name, ContentFile(data), save=False)
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            # Another run stored it first (no row locks on SQLite): keep theirs only.
            record.file.storage.delete(record.file.name)
            return ExecutedPdf.objects.get(frozen=frozen)
        version.status = MouVersion.Status.EXECUTED
        version.save(update_fields=["status", "updated_at"])
        event_record(
            action="mou.version_executed",
            actor=actor,
            subject=version,
            summary=f"{version} executed; PDF SHA-256 {sha256}",
            data={
                "from": MouVersion.Status.FROZEN,
                "to": version.status,
                "sha256": sha256,
                "content_sha256": frozen.content_sha256,
                "sealed": sealed,
            },
        )
        attachment = {
            "path": record.file.name,
            "filename": f"MOU v{version.number} executed.pdf",
            "mimetype": "application/pdf",
        }
        for recipient in _recipients(frozen=frozen, signatures=signatures):
            outbox_send_templated(
                to=recipient,
                template="mou_executed",
                kind="mou_executed",
                context={
                    "version": version,
                    "executed_at": deadline_display(executed_at),
                    "sha256": sha256,
                    "verify_link": settings.SITE_URL + "/verify/",
                    "signatories": len(signatures),
                },
                attachments=[attachment],
            )
    return record


def executed_pdfs_pending() -> int:
    """Hand over the render of every fully signed version without its PDF (a missed task:
    the broker was down when the last signature landed). Run periodically."""
    waiting = FrozenMou.objects.filter(
        version__status=MouVersion.Status.FROZEN, executed_pdf__isnull=True
    ).exclude(signature_requests__status=SignatureRequest.Status.PENDING)
    handed = 0
    for frozen in waiting.defer("canonical"):
        requests = signature_requests(frozen=frozen)
        if signing_progress(requests=requests).complete:
            if not task_send("mou.tasks.executed_pdf_render", frozen.pk):
                logger.warning("Broker unavailable; executed PDF of %s waits", frozen.pk)
                break
            handed += 1
    return handed
