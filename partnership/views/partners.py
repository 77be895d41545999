"""Partner directory and pages: parse, call a selector or a service, render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.actor import Actor
from core.forms import errors_into_form
from core.permissions import user_may
from core.services.submissions import submission_once
from core.views_helpers import check, form_sent_before, form_token, request_actor, require
from partnership import selectors, services
from partnership.forms import (
    MembershipRoleForm,
    PartnerForm,
    PartnerPersonAddForm,
    PartnerStatusForm,
)
from partnership.models import Membership, Partner
from partnership.views.common import list_page, querystring


def _partner(request, pk: int, action: str) -> Partner:
    try:
        partner = selectors.partner_detail(pk=pk)
    except Partner.DoesNotExist:
        raise Http404("No such partner.") from None
    check(request, action, partner)
    return partner


@require_GET
@require("partner.list")
def partner_list(request):
    filterset = selectors.partner_filterset(user=request.user, filters=request.GET)
    partners = selectors.partner_list(user=request.user, filters=request.GET)
    return render(
        request,
        "partnership/partner_list.html",
        {
            "filter_form": filterset.form,
            "page": list_page(request, partners),
            "querystring": querystring(request),
            "filtered": any(request.GET.get(k) for k in filterset.filters),
        },
    )


@require_http_methods(["GET", "POST"])
@require("partner.manage")
def partner_create(request):
    if earlier := form_sent_before(request):
        return redirect(earlier)
    form = PartnerForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            actor = request_actor(request)
            try:
                done = submission_once(
                    token=form_token(request),
                    user=request.user,
                    create=lambda: services.partner_create(**form.cleaned_data, actor=actor),
                    url_of=lambda partner: reverse("partnership:partner_detail", args=[partner.pk]),
                )
            except ValidationError as error:
                errors_into_form(form, error)
            else:
                if done.result is not None:
                    messages.success(request, f"{done.result.name} was added. Now add its lead.")
                return redirect(done.url)
        return render(request, "partnership/partner_form.html", {"form": form}, status=400)
    return render(request, "partnership/partner_form.html", {"form": form})


@require_GET
@require("network.view")
def partner_detail(request, pk: int):
    partner = _partner(request, pk, "partner.view")
    return _partner_page(request, partner)


def _partner_page(request, partner: Partner, *, status: int = 200, **extra):
    see_contacts = user_may(request.user, "partner.see_contacts", partner)
    manage = user_may(request.user, "partner.manage", partner)
    context = {
        "partner": partner,
        "see_contacts": see_contacts,
        "manage": manage,
        "people": selectors.partner_people(partner=partner) if see_contacts else [],
        "roles": Membership.Role.choices,
        **extra,
    }
    return render(request, "partnership/partner_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@require("network.view")
def partner_edit(request, pk: int):
    partner = _partner(request, pk, "partner.manage")
    initial = {field: getattr(partner, field) for field in services.PARTNER_FIELDS}
    form = PartnerForm(request.POST or None, partner=partner, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            actor = request_actor(request)
            try:
                services.partner_update(partner=partner, data=form.cleaned_data, actor=actor)
            except ValidationError as error:
                errors_into_form(form, error)
            else:
                messages.success(request, f"{partner.name} was saved.")
                return redirect("partnership:partner_detail", pk=partner.pk)
        # The page shows the saved partner, not the values that failed to save.
        partner = _partner(request, pk, "partner.manage")
        return render(
            request, "partnership/partner_form.html", {"form": form, "partner": partner}, status=400
        )
    return render(request, "partnership/partner_form.html", {"form": form, "partner": partner})


@require_POST
@require("network.view")
def partner_status(request, pk: int):
    partner = _partner(request, pk, "partner.manage")
    form = PartnerStatusForm(request.POST)
    if not form.is_valid():
        return _partner_page(
            request,
            partner,
            status=400,
            page_error="Choose whether to deactivate or activate the partner.",
        )
    actor = request_actor(request)
    if form.cleaned_data["action"] == "deactivate":
        services.partner_deactivate(partner=partner, actor=actor)
        messages.success(request, f"{partner.name} is inactive: its people no longer have access.")
    else:
        services.partner_reactivate(partner=partner, actor=actor)
        messages.success(request, f"{partner.name} is active.")
    return redirect("partnership:partner_detail", pk=partner.pk)


@require_http_methods(["GET", "POST"])
@require("network.view")
def partner_person_add(request, pk: int):
    partner = _partner(request, pk, "partner.manage")
    if earlier := form_sent_before(request):
        return redirect(earlier)
    form = PartnerPersonAddForm(request.POST or None, partner=partner)
    context = {"form": form, "partner": partner}
    if request.method == "POST":
        if form.is_valid():
            actor = request_actor(request)
            try:
                done = submission_once(
                    token=form_token(request),
                    user=request.user,
                    create=lambda: _partner_person_add(request, partner, form, actor=actor),
                    url_of=lambda response: response.url,
                )
                return redirect(done.url)
            except PermissionDenied as denied:
                form.add_error("email", str(denied))
                return render(request, "partnership/partner_person_add.html", context, status=403)
            except ValidationError as error:
                errors_into_form(form, error)
        return render(request, "partnership/partner_person_add.html", context, status=400)
    return render(request, "partnership/partner_person_add.html", context)


def _partner_person_add(request, partner: Partner, form: PartnerPersonAddForm, *, actor: Actor):
    data = form.cleaned_data
    person = form.existing
    if person is None:
        person = services.person_create(
            email=data["email"],
            full_name=data["full_name"],
            title=data["title"],
            actor=actor,
        )
        note = f"{person.full_name} was added as {data['role']}."
    else:
        note = f"{person.full_name} was already in the portal and is now {data['role']} here."
    services.membership_set(user=person, partner=partner, role=data["role"], actor=actor)
    if data["send_invitation"]:
        services.person_invite(person=person, partner=partner, actor=actor)
        note += f" An invitation is on its way to {person.email}."
    messages.success(request, note)
    return redirect("partnership:partner_detail", pk=partner.pk)


@require_POST
@require("network.view")
def membership_role(request, pk: int, membership_pk: int):
    partner = _partner(request, pk, "partner.manage")
    membership = get_object_or_404(
        Membership.objects.select_related("user"), pk=membership_pk, partner=partner
    )
    form = MembershipRoleForm(request.POST)
    if not form.is_valid():
        return _partner_page(request, partner, status=400, page_error="Choose a valid role.")
    actor = request_actor(request)
    try:
        services.membership_set(
            user=membership.user,
            partner=partner,
            role=form.cleaned_data["role"],
            actor=actor,
        )
    except PermissionDenied as denied:
        return _partner_page(request, partner, status=403, page_error=str(denied))
    messages.success(request, f"{membership.user} is now {form.cleaned_data['role']}.")
    return redirect("partnership:partner_detail", pk=partner.pk)


@require_POST
@require("network.view")
def membership_remove(request, pk: int, membership_pk: int):
    partner = _partner(request, pk, "partner.manage")
    membership = get_object_or_404(
        Membership.objects.select_related("user", "partner"), pk=membership_pk, partner=partner
    )
    actor = request_actor(request)
    try:
        services.membership_remove(membership=membership, actor=actor)
    except PermissionDenied as denied:
        return _partner_page(request, partner, status=403, page_error=str(denied))
    messages.success(request, f"{membership.user} no longer has a role at {partner.name}.")
    return redirect("partnership:partner_detail", pk=partner.pk)
