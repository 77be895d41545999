"""Thin Celery tasks: take ids, call a service."""

from celery import shared_task

from core.actor import Actor
from mou.services import executed, pdf


# WeasyPrint takes about 20 s for 500 partners; the soft limit marks the draft failed (the
# page offers to ask again), well before a pending draft counts as stale (PENDING_TIMEOUT).
@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def draft_pdf_render(draft_id: int) -> None:
    pdf.draft_pdf_render(draft_id=draft_id, actor=Actor.system())


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=8,
    # The executed copy is about twice the draft (signatures, seal); a cut-short render
    # stores nothing and is retried.
    soft_time_limit=600,
    time_limit=660,
)
def executed_pdf_render(self, frozen_id: int) -> None:
    # Idempotent: a retry after a crash, or a duplicate delivery, stores one file.
    executed.executed_pdf_render(frozen_id=frozen_id, actor=Actor.system())


@shared_task
def executed_pdfs_pending() -> int:
    return executed.executed_pdfs_pending()
