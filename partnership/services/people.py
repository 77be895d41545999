"""Writes about people: accounts, their roles at partners, and invitations."""

from collections.abc import Mapping

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from core.actor import Actor
from core.identity import email_identity
from core.models import OutboxMessage, User
from core.permissions import account_change_allowed
from core.services.accounts import account_email_changed, account_signout_everywhere
from core.services.db import instance_lock_apply, unique_race_settle
from core.services.events import event_record
from core.services.outbox import outbox_send_templated
from core.services.signin import signin_link_make
from core.text import duration_words
from partnership.models import Membership, Partner
from partnership.services.common import save_validated, text_clean

PERSON_FIELDS = ("full_name", "email", "title", "phone")
# The field's own constraint and the case-insensitive one: a race on one address breaks either.
EMAIL_UNIQUE = ("email", "user_email_ci_unique")


def _email_error(email: str) -> dict:
    return {"email": [f"Someone with the e-mail address {email} is already in the portal."]}


PERSON_LOCKED = (
    "Only a superuser can change a coordinator's, staff member's or superuser's account "
    "(their details, access and roles at partners)."
)


def _email_normalize(email: str) -> str:
    return email_identity(text_clean(email))


def _email_check(*, email: str, exclude_pk: int | None = None) -> None:
    if User.objects.by_email(email).exclude(pk=exclude_pk).exists():
        raise ValidationError(_email_error(email))


def person_change_check(*, person: User, actor: Actor) -> None:
    """Refuse a change to ``person`` that ``actor`` may not make (the permission module
    decides); every service that changes a person asks here first."""
    if actor.user is None and not actor.is_system:
        raise PermissionDenied(PERSON_LOCKED)
    if not account_change_allowed(actor.user, person):
        raise PermissionDenied(PERSON_LOCKED)


def person_create(
    *,
    email: str,
    full_name: str,
    title: str = "",
    phone: str = "",
    actor: Actor,
) -> User:
    """A person who signs in with e-mailed links (no usable password)."""
    email = _email_normalize(email)
    _email_check(email=email)
    person = User(
        email=email,
        full_name=text_clean(full_name),
        title=text_clean(title),
        phone=text_clean(phone),
    )
    person.set_unusable_password()
    save_validated(person, constraints=EMAIL_UNIQUE, check=lambda: _email_check(email=email))
    event_record(
        action="person.created",
        actor=actor,
        subject=person,
        summary=f"Person {person.full_name} <{person.email}> added",
    )
    return person


@transaction.atomic
def person_update(*, person: User, data: Mapping, actor: Actor) -> User:
    person_change_check(person=person, actor=actor)
    data = {field: text_clean(data[field]) for field in PERSON_FIELDS if field in data}
    if "email" in data:
        data["email"] = email_identity(data["email"])
        _email_check(email=data["email"], exclude_pk=person.pk)
    old_email = person.email
    changed = instance_lock_apply(person, data)
    if not changed:
        return person
    save_validated(
        person,
        constraints=EMAIL_UNIQUE,
        check=lambda: _email_check(email=person.email, exclude_pk=person.pk),
        update_fields=changed,
    )
    if "email" in changed:
        # Links mailed to the old address and open sessions stop working; the old
        # address hears of it.
        account_email_changed(user=person, old_email=old_email, actor=actor)
    event_record(
        action="person.updated",
        actor=actor,
        subject=person,
        summary=f"Person {person.full_name} edited: {', '.join(changed)}",
        data={"changed": changed},
    )
    return person


def person_deactivate(*, person: User, actor: Actor) -> User:
    """No more sign-in: the account is inactive and every link sent before is void."""
    if actor.user is not None and person.pk == actor.user.pk:
        raise ValidationError("You cannot deactivate yourself.")
    person_change_check(person=person, actor=actor)
    if not person.is_active:
        return person
    person.is_active = False
    person.save(update_fields=["is_active"])
    account_signout_everywhere(user=person)
    event_record(
        action="person.deactivated",
        actor=actor,
        subject=person,
        summary=f"Person {person.full_name} <{person.email}> deactivated",
    )
    return person


def person_reactivate(*, person: User, actor: Actor) -> User:
    person_change_check(person=person, actor=actor)
    if person.is_active:
        return person
    person.is_active = True
    person.save(update_fields=["is_active"])
    event_record(
        action="person.reactivated",
        actor=actor,
        subject=person,
        summary=f"Person {person.full_name} <{person.email}> reactivated",
    )
    return person


def membership_set(
    *,
    user: User,
    partner: Partner,
    role: str,
    actor: Actor,
) -> Membership:
    """Give ``user`` the role at ``partner``, or change the role they already have."""
    person_change_check(person=user, actor=actor)

    def write() -> tuple[Membership, str | None]:
        membership = (
            Membership.objects.select_for_update().filter(user=user, partner=partner).first()
        )
        previous = membership.role if membership else None
        if membership is None:
            membership = Membership(user=user, partner=partner, role=role)
        elif previous == role:
            return membership, previous
        membership.role = role
        membership.full_clean()
        membership.save()
        return membership, previous

    # Two coordinators adding the same person at once: the one that loses the insert runs
    # again, finds the other's row and changes its role, as it would have a moment later.
    membership, previous = unique_race_settle(
        write, model=Membership, constraints=("membership_unique",), retries=1
    )
    if previous == role:
        return membership
    event_record(
        action="membership.set",
        actor=actor,
        subject=partner,
        summary=f"{user.full_name} is {membership.get_role_display().lower()} at {partner.name}",
        data={"user": user.pk, "from": previous, "to": role},
    )
    return membership


def membership_remove(*, membership: Membership, actor: Actor) -> None:
    user, partner, role = membership.user, membership.partner, membership.role
    person_change_check(person=user, actor=actor)
    membership.delete()
    event_record(
        action="membership.removed",
        actor=actor,
        subject=partner,
        summary=f"{user.full_name} no longer has a role at {partner.name}",
        data={"user": user.pk, "role": role},
    )


def person_invite(
    *,
    person: User,
    partner: Partner | None = None,
    actor: Actor,
) -> OutboxMessage:
    """E-mail ``person`` an invitation with a sign-in link that opens the partner's page.

    Without ``partner`` the link opens the person's first active partner (or the home
    page for a coordinator). An invitation is refused when the link could not let the
    person in.
    """
    if not person.is_active:
        raise ValidationError(f"{person} is deactivated. Reactivate them before inviting them.")
    active = list(
        Membership.objects.filter(user=person, partner__status=Partner.Status.ACTIVE)
        .select_related("partner")
        .order_by("partner__name")
    )
    if partner is not None and partner.status != Partner.Status.ACTIVE:
        raise ValidationError(
            f"{partner.name} is {partner.get_status_display().lower()}: its people can be "
            "invited once it is active."
        )
    membership = next((m for m in active if partner is None or m.partner_id == partner.pk), None)
    if membership is None and not person.is_coordinator:
        where = partner.name if partner is not None else "an active partner"
        raise ValidationError(
            f"{person} has no role at {where}, so a sign-in link would not let them in. "
            "Give them a role first."
        )
    if membership is not None:
        partner = membership.partner
    next_path = reverse("partnership:partner_detail", args=[partner.pk]) if partner else "/"
    message = outbox_send_templated(
        to=person,
        template="invitation",
        context={
            "link": signin_link_make(user=person, next_path=next_path),
            "partner": partner,
            "role": membership.get_role_display().lower() if membership else "coordinator",
            "inviter": actor.user,
            "valid_for": duration_words(settings.SIGNIN_LINK_MAX_AGE),
        },
        kind="invitation",
    )
    event_record(
        action="person.invited",
        actor=actor,
        subject=person,
        summary=f"Invitation sent to {person.email}"
        + (f" for {partner.name}" if partner is not None else ""),
        data={"partner": partner.pk if partner is not None else None, "outbox": message.pk},
    )
    return message
