"""Signing in: password for coordinators, e-mailed links for everyone."""

from django.conf import settings

from core.models import User
from core.ratelimit import ratelimit_hit
from core.services.events import event_record
from core.services.outbox import outbox_send_templated
from core.services.signin import signin_link_make


class RateLimited(Exception):
    pass


def signin_link_request(*, email: str, ip: str | None, next_path: str = "/", request=None) -> None:
    """E-mail a sign-in link if the address belongs to an active person.

    The caller answers the same way whether or not the address is known; the limits count
    per address and per IP address before the lookup, so they reveal nothing either.
    """
    email = email.strip().lower()
    within_ip = ratelimit_hit(
        scope="signin-link-ip", ident=ip or "", limit=settings.RATELIMIT_SIGNIN_PER_IP_PER_HOUR
    )
    within_address = ratelimit_hit(
        scope="signin-link-email", ident=email, limit=settings.RATELIMIT_SIGNIN_PER_HOUR
    )
    if not (within_ip and within_address):
        raise RateLimited
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    if user is None:
        return
    signin_link_send(user=user, next_path=next_path, reason="requested", request=request)


def signin_link_send(*, user: User, next_path: str = "/", reason: str, request=None) -> None:
    link = signin_link_make(user=user, next_path=next_path)
    outbox_send_templated(
        to=user,
        template="signin_link",
        context={"link": link, "reason": reason, "hours": settings.SIGNIN_LINK_MAX_AGE // 3600},
        kind="signin_link",
    )
    event_record(
        action="signin.link_sent",
        subject=user,
        summary=f"Sign-in link sent to {user.email}",
        data={"reason": reason},
        request=request,
    )


def password_attempt_allowed(*, email: str, ip: str | None) -> bool:
    within_ip = ratelimit_hit(
        scope="password-ip", ident=ip or "", limit=settings.RATELIMIT_PASSWORD_PER_HOUR * 3
    )
    within_address = ratelimit_hit(
        scope="password-email",
        ident=email.strip().lower(),
        limit=settings.RATELIMIT_PASSWORD_PER_HOUR,
    )
    return within_ip and within_address


def reminder_preference_save(*, user: User, delegate_email: str, editor_opt_in: bool, request=None):
    from core.models import ReminderPreference

    pref, _ = ReminderPreference.objects.get_or_create(user=user)
    pref.delegate_email = delegate_email
    pref.editor_opt_in = editor_opt_in
    pref.full_clean()
    pref.save()
    event_record(
        action="reminders.preferences_changed",
        actor=user,
        subject=user,
        summary="Reminder settings changed",
        request=request,
        data={"delegate": bool(delegate_email), "editor_opt_in": editor_opt_in},
    )
    return pref
