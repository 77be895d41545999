"""Files attached to a meeting."""

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from core.actor import Actor
from core.services.events import event_record
from core.text import clean_text
from meetings.attachments import attachment_check
from meetings.models import Attachment, Meeting


def attachment_add(
    *,
    meeting: Meeting,
    upload: UploadedFile,
    actor: Actor,
) -> Attachment:
    name, content_type = attachment_check(upload)
    attachment = Attachment(
        meeting=meeting,
        original_name=clean_text(name),
        content_type=content_type,
        size=upload.size,
        uploaded_by=actor.user,
    )
    attachment.file.save(name, upload, save=False)
    # Files are not transactional: if the row cannot be recorded, remove the stored file.
    try:
        attachment.full_clean()
        attachment.save()
        event_record(
            action="meeting.attachment_add",
            actor=actor,
            subject=meeting,
            summary=f"{attachment.original_name} attached to {meeting.title}",
            data={"attachment": attachment.pk, "size": attachment.size},
        )
    except Exception:
        attachment.file.delete(save=False)
        raise
    return attachment


def attachment_delete(*, attachment: Attachment, actor: Actor) -> None:
    meeting, name, stored = attachment.meeting, attachment.original_name, attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    # Remove the stored file only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(stored))
    event_record(
        action="meeting.attachment_delete",
        actor=actor,
        subject=meeting,
        summary=f"{name} removed from {meeting.title}",
    )
