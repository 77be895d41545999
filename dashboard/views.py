"""The coordinator dashboard, its exports and "remind now", and the partner home."""

import json
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.permissions import is_coordinator
from core.services.reminders import (
    ManualLimitReached,
    NotRemindable,
    RecentlyReminded,
    reminded_recently,
    reminder_send_now,
    reminders_plan_now,
    reminders_send_now_many,
)
from core.services.signin import safe_next_path
from core.views_helpers import request_actor, require
from dashboard import exports, selectors
from dashboard.tables import BlockTable
from dashboard.wording import remind_all_report
from meetings.selectors import action_item_counts
from mou.models import MouVersion, RoleBlock
from mou.selectors import block_by_pk, blocks_to_remind
from needs_matrix.selectors import matrix_completeness

ROWS_PER_PAGE = 50


def _version(request) -> tuple[list[MouVersion], MouVersion | None]:
    versions = selectors.dashboard_versions()
    wanted = request.GET.get("version") or None
    version = selectors.dashboard_version_pick(versions=versions, wanted=wanted)
    if wanted and (version is None or str(version.pk) != wanted):
        raise Http404("No such MOU version.")
    return versions, version


@require("coordinator")
@require_GET
def index(request):
    now = timezone.now()
    versions, version = _version(request)
    context = {"versions": versions, "version": version, "now": now}
    if version is None:
        return render(request, "dashboard/index.html", context)
    filterset = selectors.dashboard_filterset(version=version, filters=request.GET, now=now)
    page = Paginator(filterset.qs, ROWS_PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    params["version"] = str(version.pk)
    table = BlockTable(
        selectors.rows_with_last_email(page.object_list),
        request=request,
        now=now,
        params=params,
        sort=filterset.sort_value,
        back=request.get_full_path(),
        caption=f"Partners and their blocks of {version}, page {page.number} "
        f"of {page.paginator.num_pages}",
    )
    context.update(
        summary=selectors.dashboard_summary(version=version, now=now),
        filter=filterset,
        page=page,
        table=table,
        querystring=params.urlencode(),
        matrix=matrix_completeness(),
        items=action_item_counts(now=now),
        events=selectors.recent_events(),
        filtered=any(
            request.GET.get(name) for name in ("q", "status", "kind", "workgroup", "overdue")
        ),
    )
    status = 400 if filterset.errors else 200
    return render(request, "dashboard/index.html", context, status=status)


def _export(request, extension: str):
    now = timezone.now()
    _, version = _version(request)
    if version is None:
        raise Http404("There is no MOU version to export.")
    filterset = selectors.dashboard_filterset(version=version, filters=request.GET, now=now)
    if filterset.errors:
        problems = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()
        )
        return HttpResponse(
            f"These filters cannot be used: {problems}", status=400, content_type="text/plain"
        )
    name = exports.filename(version_number=version.number, extension=extension)
    if extension == "csv":
        response = HttpResponse(
            exports.blocks_csv(filterset.qs, title=f"{version} — blocks"),
            content_type="text/csv; charset=utf-8",
        )
    else:
        response = HttpResponse(
            exports.blocks_xlsx(filterset.qs, title=f"{version} — blocks"),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require("coordinator")
@require_GET
def export_csv(request):
    return _export(request, "csv")


@require("coordinator")
@require_GET
def export_xlsx(request):
    return _export(request, "xlsx")


def _trigger(level: str, text: str) -> str:
    return json.dumps({"dashboard:message": {"level": level, "text": text}})


def _block_or_404(pk: int) -> RoleBlock:
    block = block_by_pk(pk=pk)
    if block is None:
        raise Http404("No such block.")
    return block


def _remind_problem(request, *, block: RoleBlock, text: str, status: int, back: str):
    if request.htmx:
        response = HttpResponse(text, status=status, content_type="text/plain; charset=utf-8")
        response["HX-Trigger"] = _trigger("danger", text)
        return response
    return render(
        request,
        "dashboard/remind_problem.html",
        {"role_block": block, "text": text, "back": back},
        status=status,
    )


@require("coordinator")
@require_POST
def remind(request, pk: int):
    """The coordinator's "remind now" for one block: the leads (and opted-in editors) get the
    block's reminder at once, at most twice a day."""
    block = _block_or_404(pk)
    back = safe_next_path(request.POST.get("next") or reverse("dashboard:index"))
    actor = request_actor(request)
    try:
        sent = reminder_send_now(
            source="mou.block",
            subject=block,
            actor=actor,
            confirmed=request.POST.get("confirm") == "yes",
        )
    except NotRemindable as refused:
        return _remind_problem(request, block=block, text=refused.reason, status=409, back=back)
    except RecentlyReminded as recent:
        confirm = (
            reverse("dashboard:remind_confirm", args=[block.pk]) + "?" + urlencode({"next": back})
        )
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = confirm
            return response
        return _remind_confirm_page(request, block=block, last_at=recent.last_at, back=back)
    except ManualLimitReached as limit:
        text = f"No reminder sent to {block.partner}: {limit} Try again tomorrow."
        return _remind_problem(request, block=block, text=text, status=429, back=back)
    if not sent:
        text = (
            f"{block.partner} has no lead (or editor who asked for reminders) to remind. "
            "Add a lead on the partner's page first."
        )
        return _remind_problem(request, block=block, text=text, status=409, back=back)
    text = f"Reminder sent to {sent} {'person' if sent == 1 else 'people'} at {block.partner}."
    if request.htmx:
        table = BlockTable(
            selectors.rows_with_last_email([block]), request=request, now=timezone.now(), back=back
        )
        response = render(
            request, "dashboard/_table_row.html", {"table": table, "row": table.rows[0]}
        )
        response["HX-Trigger"] = _trigger("success", text)
        return response
    messages.success(request, text)
    return redirect(back)


def _remind_confirm_page(request, *, block: RoleBlock, last_at, back: str, status: int = 409):
    return render(
        request,
        "dashboard/remind_confirm.html",
        {"role_block": block, "last_at": last_at, "back": back},
        status=status,
    )


@require("coordinator")
@require_GET
def remind_confirm(request, pk: int):
    """Asks before a second reminder within 24 hours: when the last one went out."""
    block = _block_or_404(pk)
    back = safe_next_path(request.GET.get("next") or reverse("dashboard:index"))
    recent = reminded_recently(subjects=[block], now=timezone.now())
    if block.pk not in recent:
        return redirect(back)
    return _remind_confirm_page(
        request, block=block, last_at=recent[block.pk], back=back, status=200
    )


@require("coordinator")
@require_http_methods(["GET", "POST"])
def remind_all(request):
    """ "Remind all pending": a confirmation saying how many partners and people get an
    e-mail (those reminded in the last 24 hours only if the coordinator says so too), then
    the reminders and a report of what was sent."""
    versions, version = _version(request)
    if version is None or version.status != MouVersion.Status.OPEN:
        raise Http404("No MOU version is open for blocks.")
    blocks = blocks_to_remind(version=version)
    back = reverse("dashboard:index") + f"?version={version.pk}"
    if request.method == "GET":
        plan = reminders_plan_now(source="mou.block", subjects=blocks)
        return render(
            request,
            "dashboard/remind_all.html",
            {
                "version": version,
                "plan": plan,
                "fresh_people": plan.people(plan.fresh),
                "recent_people": plan.people(plan.recent),
                "back": back,
            },
        )
    actor = request_actor(request)
    result = reminders_send_now_many(
        source="mou.block",
        subjects=blocks,
        actor=actor,
        include_recent=request.POST.get("include_recent") == "yes",
        about=version,
    )
    messages.success(request, remind_all_report(result))
    return redirect(back)


@require_GET
def home(request):
    """Partner people's own tasks; coordinators go to the dashboard."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if is_coordinator(request.user):
        return redirect("dashboard:index")
    home = selectors.partner_home(user=request.user, now=timezone.now())
    if not home.cards:
        return render(request, "dashboard/home_no_partner.html")
    return render(request, "dashboard/home.html", {"home": home})
