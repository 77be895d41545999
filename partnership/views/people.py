"""People (coordinators only): list, add, edit, deactivate, invite."""

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.actor import Actor
from core.forms import errors_into_form
from core.models import User
from core.permissions import user_may
from core.services.signin import link_signs_in, safe_next_path
from core.services.submissions import submission_once
from core.views_helpers import check, form_sent_before, form_token, request_actor, require
from partnership import selectors, services
from partnership.forms import (
    InviteForm,
    PersonCreateForm,
    PersonForm,
)
from partnership.views.common import list_page, querystring


@require_GET
@require("person.manage")
def person_list(request):
    filterset = selectors.person_filterset(filters=request.GET)
    people = selectors.people_list(filters=request.GET)
    return render(
        request,
        "partnership/person_list.html",
        {
            "filter_form": filterset.form,
            "page": list_page(request, people),
            "querystring": querystring(request),
            "filtered": any(request.GET.get(k) for k in filterset.filters),
        },
    )


@require_http_methods(["GET", "POST"])
@require("person.manage")
def person_create(request):
    if earlier := form_sent_before(request):
        return redirect(earlier)
    form = PersonCreateForm(request.POST or None, initial={"partner": request.GET.get("partner")})
    if request.method == "POST":
        if form.is_valid():
            actor = request_actor(request)
            try:
                done = submission_once(
                    token=form_token(request),
                    user=request.user,
                    create=lambda: _person_create(request, form.cleaned_data, actor=actor),
                    url_of=lambda person: reverse("partnership:person_detail", args=[person.pk]),
                )
            except ValidationError as error:
                errors_into_form(form, error)
            else:
                return redirect(done.url)
        return render(request, "partnership/person_form.html", {"form": form}, status=400)
    return render(request, "partnership/person_form.html", {"form": form})


def _person_create(request, data: dict, *, actor: Actor) -> User:
    person = services.person_create(
        email=data["email"],
        full_name=data["full_name"],
        title=data["title"],
        phone=data["phone"],
        actor=actor,
    )
    note = f"{person.full_name} was added."
    if data["partner"] is not None:
        services.membership_set(
            user=person,
            partner=data["partner"],
            role=data["role"],
            actor=actor,
        )
        if data["send_invitation"]:
            services.person_invite(person=person, partner=data["partner"], actor=actor)
            note += f" An invitation is on its way to {person.email}."
    messages.success(request, note)
    return person


def _person(request, pk: int) -> User:
    try:
        person = selectors.person_detail(pk=pk)
    except User.DoesNotExist:
        raise Http404("No such person.") from None
    check(request, "person.manage", person)
    return person


def _person_locked(request, person: User, message: str | None = None):
    """403 with the reason: only a superuser changes staff, superusers and coordinators."""
    return render(
        request,
        "partnership/person_locked.html",
        {"person": person, "message": message or services.PERSON_LOCKED},
        status=403,
    )


def _person_page(request, person: User, *, form=None, invite_form=None, status=200, **extra):
    if form is None:
        form = PersonForm(
            person=person,
            initial={field: getattr(person, field) for field in services.PERSON_FIELDS},
        )
    context = {
        "person": person,
        "can_change": user_may(request.user, "person.change", person),
        "link_signs_in": link_signs_in(person),
        "form": form,
        "invite_form": invite_form or InviteForm(person=person),
        "invitations": selectors.person_invitations(person=person),
        **extra,
    }
    return render(request, "partnership/person_detail.html", context, status=status)


@require_http_methods(["GET", "POST"])
@require("person.manage")
def person_detail(request, pk: int):
    person = _person(request, pk)
    if request.method == "GET":
        return _person_page(request, person)
    if not user_may(request.user, "person.change", person):
        return _person_locked(request, person)
    form = PersonForm(request.POST, person=person)
    if form.is_valid():
        actor = request_actor(request)
        try:
            services.person_update(person=person, data=form.cleaned_data, actor=actor)
        except PermissionDenied as denied:
            return _person_locked(request, person, str(denied))
        except ValidationError as error:
            errors_into_form(form, error)
        else:
            if person.pk == request.user.pk:
                # A new address signs out every session but the one that made the change.
                update_session_auth_hash(request, person)
            messages.success(request, f"{person.full_name} was saved.")
            return redirect("partnership:person_detail", pk=person.pk)
    return _person_page(request, _person(request, pk), form=form, status=400)


@require_POST
@require("person.manage")
def person_deactivate(request, pk: int):
    person = _person(request, pk)
    actor = request_actor(request)
    try:
        services.person_deactivate(person=person, actor=actor)
    except PermissionDenied as denied:
        return _person_locked(request, person, str(denied))
    except ValidationError as error:
        return _person_page(request, person, status=409, page_error=" ".join(error.messages))
    messages.success(
        request,
        f"{person} is deactivated: they cannot sign in, and links sent to them no longer work.",
    )
    return redirect("partnership:person_detail", pk=person.pk)


@require_POST
@require("person.manage")
def person_reactivate(request, pk: int):
    person = _person(request, pk)
    if not user_may(request.user, "person.change", person):
        return _person_locked(request, person)
    actor = request_actor(request)
    try:
        services.person_reactivate(person=person, actor=actor)
    except PermissionDenied as denied:
        return _person_locked(request, person, str(denied))
    messages.success(request, f"{person} is active again. Send an invitation so they can sign in.")
    return redirect("partnership:person_detail", pk=person.pk)


@require_POST
@require("person.manage")
def person_invite(request, pk: int):
    person = _person(request, pk)
    if earlier := form_sent_before(request):
        return redirect(earlier)
    form = InviteForm(request.POST, person=person)
    if not form.is_valid():
        return _person_page(request, person, invite_form=form, status=400)
    # Sent from a partner's page, the coordinator goes back there.
    back = safe_next_path(request.POST.get("next"))
    back = back if back != "/" else reverse("partnership:person_detail", args=[person.pk])
    actor = request_actor(request)
    try:
        done = submission_once(
            token=form_token(request),
            user=request.user,
            create=lambda: services.person_invite(
                person=person,
                partner=form.cleaned_data["partner"],
                actor=actor,
            ),
            url_of=lambda message: back,
        )
    except ValidationError as error:
        return _person_page(request, person, status=409, page_error=" ".join(error.messages))
    if done.result is not None:  # a second click sends no second e-mail
        messages.success(request, f"An invitation is on its way to {person.email}.")
    return redirect(done.url)
