"""The draft PDF of a whole MOU version: rendered by WeasyPrint in a Celery task, stored.

WeasyPrint fetches nothing from the network: its URL fetcher serves ``data:`` URIs and the
project's own static files (read from disk), and refuses everything else. The stylesheet
is read from disk and embedded in the document.
"""

import hashlib
import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone

from core.actor import Actor
from core.deferred import task_after_commit
from core.models import User
from core.services.events import event_record
from mou.models import DraftPdf, MouVersion
from mou.pdf_render import DRAFT_PDF_OPTIONS, pdf_write
from mou.rules import deadline_display
from mou.selectors import document_for

logger = logging.getLogger(__name__)

# A render still pending after this long is taken for lost (broker down) and may be asked again.
PENDING_TIMEOUT = timedelta(minutes=10)


def document_pdf_html(*, version: MouVersion, viewer: User | None) -> str:
    """The draft PDF's HTML: the whole MOU as ``viewer`` may read it (the page's rule)."""
    from mou.pdf_fetcher import static_file_uri

    context = {
        **document_for(version=version, viewer=viewer),
        "deadline": deadline_display(version.deadline),
        "generated_at": deadline_display(timezone.now()),
        "css": render_to_string("mou/pdf/document.css"),
        "logo_uri": static_file_uri("img/favicon.svg"),
        "draft": True,
        "network_name": settings.NETWORK_NAME,
    }
    return render_to_string("mou/pdf/document.html", context)


def document_pdf_bytes(*, version: MouVersion, viewer: User | None, fetcher=None) -> bytes:
    from mou.pdf_fetcher import StaticOnlyFetcher

    html = document_pdf_html(version=version, viewer=viewer)
    return pdf_write(html=html, fetcher=fetcher or StaticOnlyFetcher(), options=DRAFT_PDF_OPTIONS)


def draft_pdf_request(*, version: MouVersion, actor: Actor) -> DraftPdf:
    """Ask for a fresh draft PDF; the work happens in a Celery task after the commit. The
    draft is rendered for the actor and only they get it: another person's pending draft
    holds what that person may read, not what this one may."""
    pending = version.draft_pdfs.filter(
        requested_by=actor.user,
        status=DraftPdf.Status.PENDING,
        requested_at__gte=timezone.now() - PENDING_TIMEOUT,
    ).first()
    if pending is not None:
        return pending
    draft = DraftPdf.objects.create(version=version, requested_by=actor.user)
    event_record(
        action="mou.draft_pdf_requested",
        actor=actor,
        subject=version,
        summary=f"Draft PDF of {version} requested",
        data={"draft_pdf": draft.pk},
    )

    # Broker down: the page lets the person ask again once PENDING_TIMEOUT has passed.
    task_after_commit("mou.tasks.draft_pdf_render", draft.pk, waits="a new request")
    return draft


def draft_pdf_render(*, draft_id: int, actor: Actor) -> DraftPdf | None:
    """Render and store one requested draft PDF (called by the Celery task, as the system)."""
    draft = DraftPdf.objects.select_related("version", "requested_by").filter(pk=draft_id).first()
    if draft is None or draft.status == DraftPdf.Status.READY:
        return draft
    try:
        pdf = document_pdf_bytes(version=draft.version, viewer=draft.requested_by)
    except Exception as exc:
        logger.exception("Draft PDF %s failed", draft.pk)
        draft.status = DraftPdf.Status.FAILED
        draft.error = f"{type(exc).__name__}: {exc}"[:2000]
        draft.finished_at = timezone.now()
        draft.save(update_fields=["status", "error", "finished_at"])
        return draft
    draft.file.save(
        f"mou-v{draft.version.number}-draft-{draft.pk}.pdf", ContentFile(pdf), save=False
    )
    draft.sha256 = hashlib.sha256(pdf).hexdigest()
    draft.status = DraftPdf.Status.READY
    draft.finished_at = timezone.now()
    draft.save(update_fields=["file", "sha256", "status", "finished_at"])
    event_record(
        action="mou.draft_pdf_rendered",
        actor=actor,
        subject=draft.version,
        summary=f"Draft PDF of {draft.version} ready",
        data={"draft_pdf": draft.pk, "sha256": draft.sha256},
    )
    return draft
