"""Thin Celery tasks: take ids, call a service."""

from celery import shared_task

from mou.services import pdf


@shared_task(acks_late=True)
def draft_pdf_render(draft_id: int) -> None:
    pdf.draft_pdf_render(draft_id=draft_id)
