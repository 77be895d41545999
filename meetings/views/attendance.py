"""A meeting's attendance list: who is invited, who came."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from core.text import people_count
from core.views_helpers import request_actor, require
from meetings import selectors, services
from meetings.forms import (
    AttendanceAddForm,
    AttendanceStatusFormSet,
    GuestAddForm,
    InvitePartnerForm,
)
from meetings.models import Attendance, Meeting

# The invite form and the add-a-person form both have a "partner" field: ids must differ.
INVITE_IDS = "id_invite_%s"


def _attendance_page(
    request, meeting, *, formset=None, add_form=None, invite_form=None, guest_form=None, status=200
):
    queryset = meeting.attendances.select_related("user", "partner")
    formset = formset or AttendanceStatusFormSet(queryset=queryset)
    rows = [form.instance for form in formset.forms]
    return render(
        request,
        "meetings/attendance_edit.html",
        {
            "meeting": meeting,
            "formset": formset,
            "summary": selectors.attendance_summary(meeting=meeting, attendances=rows),
            "add_form": add_form or AttendanceAddForm(),
            "guest_form": guest_form or GuestAddForm(),
            "invite_form": invite_form or InvitePartnerForm(auto_id=INVITE_IDS),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require("meeting.manage")
def attendance_edit(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    if request.method == "GET":
        return _attendance_page(request, meeting)
    formset = AttendanceStatusFormSet(
        request.POST, queryset=meeting.attendances.select_related("user", "partner")
    )
    if not formset.is_valid():
        return _attendance_page(request, meeting, formset=formset, status=400)
    statuses = {
        form.instance.pk: form.cleaned_data["status"]
        for form in formset.forms
        if form.instance.pk and form.cleaned_data
    }
    changed = services.attendance_set_statuses(
        meeting=meeting, statuses=statuses, actor=request_actor(request)
    )
    messages.success(request, f"Attendance saved ({changed} changed).")
    return redirect("meetings:attendance", pk=meeting.pk)


@require_POST
@require("meeting.manage")
def attendance_add(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = AttendanceAddForm(request.POST)
    if not form.is_valid():
        return _attendance_page(request, meeting, add_form=form, status=400)
    try:
        services.attendance_add(
            meeting=meeting,
            user=form.cleaned_data["user"],
            partner=form.cleaned_data["partner"],
            status=form.cleaned_data["status"],
            actor=request_actor(request),
        )
    except services.MeetingConflict as exc:
        form.add_error("email", str(exc))
        return _attendance_page(request, meeting, add_form=form, status=409)
    messages.success(request, f"{form.cleaned_data['user']} is on the list.")
    return redirect("meetings:attendance", pk=meeting.pk)


@require_POST
@require("meeting.manage")
def attendance_add_guest(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = GuestAddForm(request.POST)
    if not form.is_valid():
        return _attendance_page(request, meeting, guest_form=form, status=400)
    data = form.cleaned_data
    try:
        attendance = services.attendance_add_guest(
            meeting=meeting,
            name=data["guest_name"],
            email=data["guest_email"],
            organization=data["guest_organization"],
            partner=data["guest_partner"],
            status=data["guest_status"],
            actor=request_actor(request),
        )
    except services.MeetingConflict as exc:
        form.add_error("guest_email", str(exc))
        return _attendance_page(request, meeting, guest_form=form, status=409)
    messages.success(request, f"{attendance.name}, a guest, is on the list.")
    return redirect("meetings:attendance", pk=meeting.pk)


@require_POST
@require("meeting.manage")
def attendance_invite_partner(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = InvitePartnerForm(request.POST, auto_id=INVITE_IDS)
    if not form.is_valid():
        return _attendance_page(request, meeting, invite_form=form, status=400)
    partner = form.cleaned_data["partner"]
    added = services.attendance_invite_partner(
        meeting=meeting, partner=partner, actor=request_actor(request)
    )
    messages.success(request, f"{people_count(added)} of {partner} added to the list.")
    return redirect("meetings:attendance", pk=meeting.pk)


@require_POST
@require("meeting.manage")
def attendance_remove(request, pk: int, attendance_pk: int):
    attendance = get_object_or_404(
        Attendance.objects.select_related("meeting", "user"), pk=attendance_pk, meeting_id=pk
    )
    services.attendance_remove(attendance=attendance, actor=request_actor(request))
    messages.success(request, f"{attendance.name} is no longer on the list.")
    return redirect("meetings:attendance", pk=pk)
