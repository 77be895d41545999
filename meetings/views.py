"""Meetings pages: parse the request, call one service or selector, render or redirect."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.permissions import is_coordinator
from core.services.signin import safe_next_path
from core.services.submissions import submission_once
from core.views_helpers import check, form_sent_before, form_token, require
from meetings import selectors, services
from meetings.forms import (
    ActionItemEditForm,
    ActionItemForm,
    AttachmentForm,
    AttendanceAddForm,
    AttendanceStatusFormSet,
    InvitePartnerForm,
    MeetingFilterForm,
    MeetingForm,
    SearchForm,
)
from meetings.ical import calendar_render
from meetings.models import ActionItem, Attachment, Attendance, Meeting

PAGE_SIZE = 25


def _conflict(request, message: str, back: str) -> HttpResponse:
    """409: the action does not fit the current state; say why and link back."""
    return render(request, "meetings/conflict.html", {"message": message, "back": back}, status=409)


def _meeting_page(request, meeting: Meeting, *, status: int = 200, **forms) -> HttpResponse:
    context = selectors.meeting_detail(meeting=meeting, user=request.user)
    context["attachment_form"] = forms.get("attachment_form") or AttachmentForm()
    return render(request, "meetings/meeting_detail.html", context, status=status)


# --- meetings -----------------------------------------------------------------------------


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
        done = submission_once(
            token=form_token(request),
            user=request.user,
            create=lambda: services.meeting_create(
                actor=request.user, request=request, **form.cleaned_data
            ),
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
    return _meeting_page(request, meeting)


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
            meeting=meeting, actor=request.user, values=form.cleaned_data, request=request
        )
        messages.success(request, "The meeting is saved.")
        return redirect(meeting)
    return render(request, "meetings/meeting_form.html", {"form": form, "meeting": meeting})


@require_POST
@require("meeting.manage")
def meeting_publish(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    try:
        services.meeting_notes_publish(meeting=meeting, actor=request.user, request=request)
    except services.MeetingConflict as exc:
        return _conflict(request, str(exc), meeting.get_absolute_url())
    messages.success(request, "The notes are published: every network member can read them.")
    return redirect(meeting)


@require_POST
@require("meeting.manage")
def meeting_send_notes(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    if earlier := form_sent_before(request):
        return redirect(earlier)
    try:
        done = submission_once(
            token=form_token(request),
            user=request.user,
            create=lambda: services.meeting_notes_send(
                meeting=meeting, actor=request.user, request=request
            ),
            url_of=lambda count: meeting.get_absolute_url(),
        )
    except services.MeetingConflict as exc:
        return _conflict(request, str(exc), meeting.get_absolute_url())
    if done.result is not None:
        messages.success(request, f"The notes are on their way to {done.result} people.")
    return redirect(done.url)


@require_GET
@require("meeting.list")
def meeting_ics(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    check(request, "meeting.view", meeting)
    body = calendar_render(entries=[selectors.meeting_calendar_entry(meeting)], name=meeting.title)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="meeting-{meeting.pk}.ics"'
    return response


# --- attendance ---------------------------------------------------------------------------


def _attendance_page(
    request, meeting, *, formset=None, add_form=None, invite_form=None, status=200
):
    queryset = meeting.attendances.select_related("user", "partner")
    formset = formset or AttendanceStatusFormSet(queryset=queryset)
    return render(
        request,
        "meetings/attendance_edit.html",
        {
            "meeting": meeting,
            "formset": formset,
            "add_form": add_form or AttendanceAddForm(),
            "invite_form": invite_form or InvitePartnerForm(),
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
        meeting=meeting, statuses=statuses, actor=request.user, request=request
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
            actor=request.user,
            request=request,
        )
    except services.MeetingConflict as exc:
        form.add_error("email", str(exc))
        return _attendance_page(request, meeting, add_form=form, status=409)
    messages.success(request, f"{form.cleaned_data['user']} is on the list.")
    return redirect("meetings:attendance", pk=meeting.pk)


@require_POST
@require("meeting.manage")
def attendance_invite_partner(request, pk: int):
    meeting = get_object_or_404(Meeting, pk=pk)
    form = InvitePartnerForm(request.POST)
    if not form.is_valid():
        return _attendance_page(request, meeting, invite_form=form, status=400)
    partner = form.cleaned_data["partner"]
    added = services.attendance_invite_partner(
        meeting=meeting, partner=partner, actor=request.user, request=request
    )
    messages.success(request, f"{added} people of {partner} added to the list.")
    return redirect("meetings:attendance", pk=meeting.pk)


@require_POST
@require("meeting.manage")
def attendance_remove(request, pk: int, attendance_pk: int):
    attendance = get_object_or_404(
        Attendance.objects.select_related("meeting", "user"), pk=attendance_pk, meeting_id=pk
    )
    services.attendance_remove(attendance=attendance, actor=request.user, request=request)
    messages.success(request, f"{attendance.user} is no longer on the list.")
    return redirect("meetings:attendance", pk=pk)


# --- attachments --------------------------------------------------------------------------


@require_POST
@require("meeting.manage")
def attachment_upload(request, pk: int):
    meeting = get_object_or_404(Meeting.objects.select_related("workgroup"), pk=pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _meeting_page(request, meeting, status=400, attachment_form=form)
    try:
        attachment = services.attachment_add(
            meeting=meeting, upload=form.cleaned_data["file"], actor=request.user, request=request
        )
    except ValidationError as exc:
        form.add_error("file", exc)
        return _meeting_page(request, meeting, status=400, attachment_form=form)
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
    services.attachment_delete(attachment=attachment, actor=request.user, request=request)
    messages.success(request, f"{attachment.original_name} is removed.")
    return redirect(reverse("meetings:detail", args=[meeting.pk]) + "#attachments")


# --- action items -------------------------------------------------------------------------


def _people_suggestions(meeting: Meeting | None) -> list:
    if meeting is None:
        return []
    return [a.user for a in meeting.attendances.select_related("user")]


@require_http_methods(["GET", "POST"])
@require("meeting.manage")
def item_create(request, pk: int | None = None):
    meeting = get_object_or_404(Meeting, pk=pk) if pk is not None else None
    if earlier := form_sent_before(request):
        return redirect(earlier)
    form = ActionItemForm(request.POST or None)
    context = {"form": form, "meeting": meeting, "people": _people_suggestions(meeting)}
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "meetings/item_form.html", context, status=400)
        data = form.cleaned_data
        done = submission_once(
            token=form_token(request),
            user=request.user,
            create=lambda: services.action_item_create(
                actor=request.user,
                meeting=meeting,
                description=data["description"],
                owner_kind=data["owner_kind"],
                owner_user=data.get("owner_user"),
                owner_partner=data.get("owner_partner"),
                due_on=data["due_on"],
                subject_label=data["subject_label"],
                subject_url=data["subject_url"],
                request=request,
            ),
            url_of=lambda item: (meeting or item).get_absolute_url(),
        )
        item = done.result
        if item is None:  # the same form sent again: the item exists
            return redirect(done.url)
        if item.is_all_partners:
            messages.success(
                request, f"The item is added for {item.children.count()} active partners."
            )
        else:
            messages.success(request, f"The item is added for {item.owner_display}.")
        return redirect(meeting if meeting else item)
    return render(request, "meetings/item_form.html", context)


@require_GET
@require("meeting.list")
def item_detail(request, pk: int):
    item = get_object_or_404(ActionItem, pk=pk)
    check(request, "action_item.view", item)
    context = selectors.action_item_detail(item=item, user=request.user)
    return render(request, "meetings/item_detail.html", context)


@require_http_methods(["GET", "POST"])
@require("meeting.manage")
def item_edit(request, pk: int):
    item = get_object_or_404(
        ActionItem.objects.select_related("meeting", "owner_user", "owner_partner", "parent"),
        pk=pk,
    )
    initial = {
        "description": item.description,
        "owner_kind": item.owner_kind,
        "owner_email": item.owner_user.email if item.owner_user else "",
        "owner_partner": item.owner_partner_id,
        "due_on": item.due_on,
        "subject_label": item.subject_label,
        "subject_url": item.subject_url,
        "status": item.status,
    }
    form = ActionItemEditForm(request.POST or None, initial=initial, item=item)
    context = {"form": form, "item": item, "meeting": item.meeting,
               "people": _people_suggestions(item.meeting)}  # fmt: skip
    if request.method == "POST":
        if not form.is_valid():
            return render(request, "meetings/item_form.html", context, status=400)
        data = form.cleaned_data
        try:
            services.action_item_update(
                item=item,
                actor=request.user,
                description=data["description"],
                due_on=data["due_on"],
                status=data["status"],
                owner_kind=data.get("owner_kind"),
                owner_user=data.get("owner_user"),
                owner_partner=data.get("owner_partner"),
                subject_label=data["subject_label"],
                subject_url=data["subject_url"],
                request=request,
            )
        except services.MeetingConflict as exc:
            form.add_error("status", str(exc))
            return render(request, "meetings/item_form.html", context, status=409)
        messages.success(request, "The item is saved.")
        return redirect(item)
    return render(request, "meetings/item_form.html", context)


def _tick(request, pk: int, service) -> HttpResponse:
    item = get_object_or_404(
        ActionItem.objects.select_related("owner_user", "owner_partner", "parent"), pk=pk
    )
    check(request, "action_item.tick", item)
    next_path = safe_next_path(request.POST.get("next") or item.get_absolute_url())
    try:
        item = service(item=item, actor=request.user, request=request)
    except services.MeetingConflict as exc:
        return _conflict(request, str(exc), next_path)
    item = ActionItem.objects.select_related(
        "owner_user", "owner_partner", "completed_by", "parent"
    ).get(pk=item.pk)
    selectors.action_items_mark_tickable([item], user=request.user)
    if request.htmx:
        return render(request, "meetings/_item_status.html", {"item": item, "next_path": next_path})
    if item.status == ActionItem.Status.DONE:
        messages.success(request, f"Marked done for {item.owner_display}.")
    else:
        messages.info(request, f"Open again for {item.owner_display}.")
    return redirect(next_path)


@require_POST
@login_required
def item_complete(request, pk: int):
    return _tick(request, pk, services.action_item_complete)


@require_POST
@login_required
def item_reopen(request, pk: int):
    return _tick(request, pk, services.action_item_reopen)


@require_GET
@login_required
def my_items(request):
    status = request.GET.get("status", "open")
    if status not in {"open", "done", "all"}:
        status = "open"
    scope = "network" if request.GET.get("scope") == "network" else "mine"
    if scope == "network" and is_coordinator(request.user):
        items = selectors.action_items_network(status=status)
    else:
        scope = "mine"
        items = selectors.action_items_for_user(user=request.user, status=status)
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.action_items_mark_tickable(page.object_list, user=request.user)
    return render(
        request,
        "meetings/item_list.html",
        {
            "page": page,
            "status": status,
            "scope": scope,
            "querystring": urlencode({"status": status, "scope": scope}),
            "is_coordinator": is_coordinator(request.user),
        },
    )


# --- calendar -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@require("calendar.manage")
def calendar_page(request):
    token = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            token = services.calendar_feed_create(user=request.user, request=request)
        elif action == "revoke":
            services.calendar_feed_revoke(user=request.user, request=request)
            messages.success(request, "Your calendar address no longer works.")
            return redirect("meetings:calendar")
        else:
            return render(request, "400.html", status=400)
    feed = getattr(request.user, "calendar_feed", None)
    feed_url = (
        settings.SITE_URL + reverse("meetings:calendar_feed", kwargs={"token": token})
        if token
        else None
    )
    return render(request, "meetings/calendar.html", {"feed": feed, "feed_url": feed_url})


@require_GET
def calendar_feed(request, token: str):
    """The secret address is the credential: no session, nothing changes on GET."""
    user = selectors.calendar_feed_owner(token_hash=services.calendar_token_hash(token))
    if user is None:
        raise Http404("No calendar at this address.")
    entries = selectors.calendar_entries(user=user, now=timezone.now())
    body = calendar_render(entries=entries, name=f"{settings.NETWORK_NAME} — {user}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- search -------------------------------------------------------------------------------


@require_GET
@require("meeting.list")
def search(request):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    results = selectors.meetings_search(user=request.user, query=query)
    return render(
        request,
        "meetings/search.html",
        {"form": form, "query": query, **results},
        status=200 if form.is_valid() or not request.GET else 400,
    )
