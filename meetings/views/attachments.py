"""A meeting's attachments: upload, download, remove."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from core.views_helpers import check, request_actor, require
from meetings import services
from meetings.forms import AttachmentForm
from meetings.models import Attachment, Meeting
from meetings.views.common import meeting_page


@require_POST
@require("meeting.manage")
def attachment_upload(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("workgroup"), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return meeting_page(request, meeting, status=400, attachment_form=form)
    try:
        attachment = services.attachment_add(
            meeting=meeting, upload=form.cleaned_data["file"], actor=request_actor(request)
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return meeting_page(request, meeting, status=400, attachment_form=form)
    messages.success(request, f"{attachment.original_name} is attached.")
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#attachments")


@require_GET
@require("meeting.list")
def attachment_download(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("meeting"), pk=pk)
    check(request, "attachment.download", attachment)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_POST
@require("meeting.manage")
def attachment_delete(request, pk: int):
    attachment = get_object_or_404(Attachment.objects.select_related("meeting"), pk=pk)
    meeting = attachment.meeting
    services.attachment_delete(attachment=attachment, actor=request_actor(request))
    messages.success(request, f"{attachment.original_name} is removed.")
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#attachments")
