"""Action items: the form, an item's page, ticking done and reopening, the list of mine or
the network's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.permissions import is_coordinator
from core.services.signin import safe_next_path
from core.services.submissions import submission_once
from core.views_helpers import check, form_sent_before, form_token, request_actor, require
from meetings import selectors, services
from meetings.forms import ActionItemEditForm, ActionItemForm
from meetings.models import ActionItem, Meeting
from meetings.views.common import PAGE_SIZE, conflict
from partnership.permissions import memberships


def _people_suggestions(meeting: Meeting | None) -> list:
    if meeting is None:
        return []
    return [a.user for a in meeting.attendances.filter(user__isnull=False).select_related("user")]


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
        actor = request_actor(request)
        done = submission_once(
            token=form_token(request),
            user=request.user,
            create=lambda: services.action_item_create(
                actor=actor,
                meeting=meeting,
                description=data["description"],
                owner_kind=data["owner_kind"],
                owner_user=data.get("owner_user"),
                owner_partner=data.get("owner_partner"),
                due_on=data["due_on"],
                subject_label=data["subject_label"],
                subject_url=data["subject_url"],
                task_key=data.get("task_key") or "",
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
    services.action_item_settle(item=item)
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
                actor=request_actor(request),
                description=data["description"],
                due_on=data["due_on"],
                status=data["status"],
                owner_kind=data.get("owner_kind"),
                owner_user=data.get("owner_user"),
                owner_partner=data.get("owner_partner"),
                subject_label=data["subject_label"],
                subject_url=data["subject_url"],
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
        item = service(item=item, actor=request_actor(request))
    except services.MeetingConflict as exc:
        return conflict(request, str(exc), next_path)
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
        services.partner_items_settle(partner_ids=memberships(request.user))
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
