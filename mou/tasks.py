"""Thin Celery tasks: take ids, call a service."""

from celery import shared_task

from mou.services import executed, pdf


@shared_task(acks_late=True)
def draft_pdf_render(draft_id: int) -> None:
    pdf.draft_pdf_render(draft_id=draft_id)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=60,
    retry_backoff_max=3600,
    max_retries=8,
)
def executed_pdf_render(self, frozen_id: int) -> None:
    # Idempotent: a retry after a crash, or a duplicate delivery, stores one file.
    executed.executed_pdf_render(frozen_id=frozen_id)


@shared_task
def executed_pdfs_pending() -> int:
    return executed.executed_pdfs_pending()
