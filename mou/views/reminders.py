"""The reminder stages of a version: the coordinator changes them per version."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core.services import reminders
from core.views_helpers import request_actor, require
from mou.forms import ReminderStagesForm
from mou.models import MouVersion
from mou.views.common import version_for


@require("mou.version.manage")
@require_http_methods(["GET", "POST"])
def version_reminders(request, pk: int):
    version = version_for(request, pk, "mou.version.manage")
    spec = reminders.schedule_spec(version)
    form = ReminderStagesForm(
        request.POST or None,
        initial={
            "days_before": ", ".join(str(d) for d in spec.days_before),
            "overdue_every_days": spec.overdue_every_days,
            "overdue_max": spec.overdue_max,
        },
    )
    if request.method == "POST":
        if version.status not in (MouVersion.Status.DRAFT, MouVersion.Status.OPEN):
            messages.error(
                request, "Reminders can only change while the version is a draft or open."
            )
            return _page(request, version, form, spec, status=409)
        if not form.is_valid():
            return _page(request, version, form, spec, status=400)
        reminders.schedule_set(owner=version, actor=request_actor(request), **form.cleaned_data)
        messages.success(request, "Reminder stages saved.")
        return redirect("mou:version_reminders", pk=version.pk)
    return _page(request, version, form, spec)


def _page(request, version, form, spec, *, status=200):
    return render(
        request,
        "mou/version_reminders.html",
        {
            "version": version,
            "form": form,
            "stages": reminders.stages_for(deadline=version.deadline, spec=spec),
        },
        status=status,
    )
