"""The second factor (TOTP with recovery codes, django-allauth's MFA): who needs one, who
has one, and resetting it. The sign-in flows that change a session are in
``core.signin_flows`` (they need the request)."""

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from core.actor import Actor
from core.models import User
from core.services.events import event_record


def second_factor_required(*, user: User) -> bool:
    """Coordinators, staff and superusers must sign in with a password and a TOTP code."""
    return bool(
        settings.MFA_REQUIRED
        and user.is_authenticated
        and (user.is_coordinator or user.is_staff or user.is_superuser)
    )


def second_factor_status(*, user: User) -> list[str]:
    """The kinds of authenticator the user has, for the person page."""
    return sorted(set(Authenticator.objects.filter(user_id=user.pk).values_list("type", flat=True)))


@transaction.atomic
def second_factor_reset(*, person: User, actor: Actor) -> int:
    """Delete every authenticator of the person (they enrol again at their next sign-in)
    and record who did it, when and from where. Permission is checked by the caller
    (rule "second_factor.reset")."""
    if actor.user is None or actor.user.pk == person.pk:
        raise ValidationError("You cannot reset your own second factor.")
    authenticators = Authenticator.objects.select_for_update().filter(user_id=person.pk)
    kinds = sorted(set(authenticators.values_list("type", flat=True)))
    if not kinds:
        raise ValidationError(f"{person} has no second factor to reset.")
    deleted, _ = authenticators.delete()
    event_record(
        action="second_factor.reset",
        actor=actor,
        subject=person,
        summary=f"Second factor of {person.email} reset by {actor.user.email}",
        data={"person": person.pk, "kinds": kinds},
    )
    return deleted
