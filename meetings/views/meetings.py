"""A meeting's own pages: the list, the form, the page, publishing and sending its notes,
its calendar file."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.permissions import is_coordinator
from core.services.submissions import submission_once
from core.views_helpers import check, form_sent_before, form_token, request_actor, require
from meetings import selectors, services
from meetings.forms import MeetingFilterForm, MeetingForm
from meetings.ical import calendar_render
from meetings.models import Meeting
from meetings.views.common import PAGE_SIZE, conflict, meeting_page


@require_GET
@require("meeting.list")
def meeting_list(request):
    filters = MeetingFilterForm(request.GET or None)
    kind, workgroup_id = "", None
    if filters.is_valid():
        kind = filters.cleaned_data["kind"]
        workgroup = filters.cleaned_data["workgroup"]
        workgroup_id = workgroup.pk if workgroup else None
    when = "past" if request.GET.get("when") == "past" else "upcoming"
    upcoming, past = selectors.meeting_list(
        now=timezone.now(), kind=kind, workgroup_id=workgroup_id
    )
    page = Paginator(past if when == "past" else upcoming, PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    keep = {k: v for k, v in (("kind", kind), ("workgroup", workgroup_id)) if v}
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "filters": filters,
            "when": when,
            "page": page,
            "querystring": urlencode({**keep, "when": when}),
            "tab_upcoming": urlencode({**keep, "when": "upcoming"}),
            "tab_past": urlencode({**keep, "when": "past"}),
            "can_manage": is_coordinator(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
@require("meeting.manage")
def meeting_create(request):
    if earlier := form_sent_before(request):
        return redirect(earlier)
    form = MeetingForm(request.POST or None)
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "meetings/meeting_form.html", {"form": form}, status=400)
        actor = request_actor(request)
        done = submission_once(
            token=form_token(request),
            user=request.user,
            create=lambda: services.meeting_create(actor=actor, **form.cleaned_data),
            url_of=lambda meeting: meeting.get_absolute_url(),
        )
        if done.result is not None:
            messages.success(request, "The meeting is recorded.")
        return redirect(done.url)
    return render(request, "meetings/meeting_form.html", {"form": form})


@require_GET
@require("meeting.list")
def meeting_detail(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("workgroup"), pk=pk)
    check(request, "meeting.view", meeting)
    # Items tied to a portal task show what partners have really done, not a stale tick.
    services.meeting_items_settle(meeting=meeting)
    return meeting_page(request, meeting)


@require_http_methods(["GET", "POST"])
@require("meeting.manage")
def meeting_edit(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    if request.method == "POST":
        if not form.is_valid():
            return render(
                request,
                "meetings/meeting_form.html",
                {"form": form, "meeting": meeting},
                status=400,
            )
        services.meeting_update(
            meeting=meeting, actor=request_actor(request), values=form.cleaned_data
        )
        messages.success(request, "The meeting is saved.")
        return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@require_POST
@require("meeting.manage")
def meeting_publish(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        services.meeting_notes_publish(meeting=meeting, actor=request_actor(request))
    except services.MeetingConflict as exc:
        return conflict(request, str(exc), meeting.get_absolute_url())
    messages.success(request, "The notes are published: every network member can read them.")
    return redirect(meeting)


@require_POST
@require("meeting.manage")
def meeting_send_notes(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    if earlier := form_sent_before(request):
        return redirect(earlier)
    actor = request_actor(request)
    try:
        done = submission_once(
            token=form_token(request),
            user=request.user,
            create=lambda: services.meeting_notes_send(meeting=meeting, actor=actor),
            url_of=lambda count: meeting.get_absolute_url(),
        )
    except services.MeetingConflict as exc:
        return conflict(request, str(exc), meeting.get_absolute_url())
    if done.result is not None:
        messages.success(request, f"The notes are on their way to {done.result} people.")
    return redirect(done.url)


@require_GET
@require("meeting.list")
def meeting_ics(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    check(request, "meeting.view", meeting)
    entry = selectors.meeting_calendar_entry(meeting, reader=request.user)
    body = calendar_render(entries=[entry], name=meeting.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response
