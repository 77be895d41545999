"""Workgroups: members read, coordinators manage."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.forms import errors_into_form
from core.models import User
from core.permissions import user_may
from core.services.submissions import submission_once
from core.views_helpers import check, form_sent_before, form_token, request_actor, require
from partnership import selectors, services
from partnership.forms import (
    WorkgroupForm,
    WorkgroupMemberForm,
    WorkgroupPartnerForm,
)
from partnership.models import Partner, Workgroup


@require_GET
@require("workgroup.view")
def workgroup_list(request):
    return render(
        request, "partnership/workgroup_list.html", {"workgroups": selectors.workgroup_list()}
    )


@require_http_methods(["GET", "POST"])
@require("workgroup.manage")
def workgroup_create(request):
    if earlier := form_sent_before(request):
        return redirect(earlier)
    form = WorkgroupForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            actor = request_actor(request)
            try:
                done = submission_once(
                    token=form_token(request),
                    user=request.user,
                    create=lambda: services.workgroup_create(**form.cleaned_data, actor=actor),
                    url_of=lambda wg: reverse("partnership:workgroup_detail", args=[wg.pk]),
                )
            except ValidationError as error:
                errors_into_form(form, error)
            else:
                if done.result is not None:
                    messages.success(request, f"Workgroup {done.result.name} was added.")
                return redirect(done.url)
        return render(request, "partnership/workgroup_form.html", {"form": form}, status=400)
    return render(request, "partnership/workgroup_form.html", {"form": form})


def _workgroup(request, pk: int, action: str) -> Workgroup:
    try:
        workgroup = selectors.workgroup_detail(pk=pk, user=request.user)
    except Workgroup.DoesNotExist:
        raise Http404("No such workgroup.") from None
    check(request, action, workgroup)
    return workgroup


def _workgroup_page(request, workgroup: Workgroup, *, status: int = 200, **forms):
    manage = user_may(request.user, "workgroup.manage", workgroup)
    context = {"workgroup": workgroup, "manage": manage}
    if manage:
        context["member_form"] = forms.get("member_form") or WorkgroupMemberForm()
        context["partner_form"] = forms.get("partner_form") or WorkgroupPartnerForm(
            choices=selectors.workgroup_partner_choices(workgroup=workgroup)
        )
    return render(request, "partnership/workgroup_detail.html", context, status=status)


@require_GET
@require("network.view")
def workgroup_detail(request, pk: int):
    workgroup = _workgroup(request, pk, "workgroup.view")
    return _workgroup_page(request, workgroup)


@require_http_methods(["GET", "POST"])
@require("network.view")
def workgroup_edit(request, pk: int):
    workgroup = _workgroup(request, pk, "workgroup.manage")
    form = WorkgroupForm(
        request.POST or None,
        workgroup=workgroup,
        initial={"name": workgroup.name, "description": workgroup.description},
    )
    context = {"form": form, "workgroup": workgroup}
    if request.method == "POST":
        if form.is_valid():
            actor = request_actor(request)
            try:
                services.workgroup_update(workgroup=workgroup, data=form.cleaned_data, actor=actor)
            except ValidationError as error:
                errors_into_form(form, error)
            else:
                messages.success(request, f"Workgroup {workgroup.name} was saved.")
                return redirect("partnership:workgroup_detail", pk=workgroup.pk)
        context["workgroup"] = _workgroup(request, pk, "workgroup.manage")
        return render(request, "partnership/workgroup_form.html", context, status=400)
    return render(request, "partnership/workgroup_form.html", context)


@require_POST
@require("network.view")
def workgroup_member_add(request, pk: int):
    workgroup = _workgroup(request, pk, "workgroup.manage")
    form = WorkgroupMemberForm(request.POST)
    if form.is_valid():
        actor = request_actor(request)
        try:
            services.workgroup_member_add(workgroup=workgroup, user=form.person, actor=actor)
        except ValidationError as error:
            errors_into_form(form, error)
        else:
            messages.success(request, f"{form.person} is a member of {workgroup.name}.")
            return redirect("partnership:workgroup_detail", pk=workgroup.pk)
    return _workgroup_page(request, workgroup, member_form=form, status=400)


@require_POST
@require("network.view")
def workgroup_member_remove(request, pk: int, user_pk: int):
    workgroup = _workgroup(request, pk, "workgroup.manage")
    person = get_object_or_404(User, pk=user_pk)
    services.workgroup_member_remove(workgroup=workgroup, user=person, actor=request_actor(request))
    messages.success(request, f"{person} is no longer a member of {workgroup.name}.")
    return redirect("partnership:workgroup_detail", pk=workgroup.pk)


@require_POST
@require("network.view")
def workgroup_partner_add(request, pk: int):
    workgroup = _workgroup(request, pk, "workgroup.manage")
    form = WorkgroupPartnerForm(
        request.POST, choices=selectors.workgroup_partner_choices(workgroup=workgroup)
    )
    if not form.is_valid():
        return _workgroup_page(request, workgroup, partner_form=form, status=400)
    partner = form.cleaned_data["partner"]
    services.workgroup_partner_add(
        workgroup=workgroup, partner=partner, actor=request_actor(request)
    )
    messages.success(request, f"{partner.name} takes part in {workgroup.name}.")
    return redirect("partnership:workgroup_detail", pk=workgroup.pk)


@require_POST
@require("network.view")
def workgroup_partner_remove(request, pk: int, partner_pk: int):
    workgroup = _workgroup(request, pk, "workgroup.manage")
    partner = get_object_or_404(Partner, pk=partner_pk)
    services.workgroup_partner_remove(
        workgroup=workgroup, partner=partner, actor=request_actor(request)
    )
    messages.success(request, f"{partner.name} no longer takes part in {workgroup.name}.")
    return redirect("partnership:workgroup_detail", pk=workgroup.pk)
