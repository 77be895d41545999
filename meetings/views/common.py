"""Helpers the meetings pages share."""

from django.http import HttpResponse
from django.shortcuts import render

from meetings import selectors
from meetings.forms import AttachmentForm
from meetings.models import Meeting

PAGE_SIZE = 25


def conflict(request, message: str, back: str) -> HttpResponse:
    """409: the action does not fit the current state; say why and link back."""
    return render(request, "meetings/conflict.html", {"message": message, "back": back}, status=409)


def meeting_page(request, meeting: Meeting, *, status: int = 200, **forms) -> HttpResponse:
    context = selectors.meeting_detail(meeting=meeting, user=request.user)
    context["attachment_form"] = forms.get("attachment_form") or AttachmentForm()
    return render(request, "meetings/meeting_detail.html", context, status=status)
