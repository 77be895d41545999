"""Signing in: password for coordinators, e-mailed links for everyone else."""

from django.conf import settings
from django.db.models import F

from core.actor import Actor
from core.identity import email_identity
from core.models import User
from core.permissions import account_is_privileged
from core.ratelimit import ratelimit_hit
from core.services.events import event_record
from core.services.outbox import outbox_send_templated
from core.services.signin import login_url_with_next, signin_link_make
from core.text import duration_words


class RateLimited(Exception):
    pass


def signin_link_request(*, email: str, next_path: str = "/", actor: Actor) -> None:
    """E-mail a sign-in link if the address belongs to an active person.

    The caller answers the same way whether or not the address is known; the limits count
    per address and per IP address before the lookup, so they reveal nothing either. The
    address limit counts the address's identity (``email_identity``), the spelling the
    lookup uses, so a full-width or differently cased spelling counts as the same address.
    A coordinator or staff member is sent a note that says to sign in with the password
    instead of a link: the same page answers, and one e-mail is written either way.
    """
    email = email_identity(email)
    within_ip = ratelimit_hit(
        scope="signin-link-ip",
        ident=actor.ip or "",
        limit=settings.RATELIMIT_SIGNIN_PER_IP_PER_HOUR,
    )
    within_address = ratelimit_hit(
        scope="signin-link-email", ident=email, limit=settings.RATELIMIT_SIGNIN_PER_HOUR
    )
    if not (within_ip and within_address):
        raise RateLimited
    user = User.objects.by_email(email).filter(is_active=True).first()
    if user is None:
        return
    if account_is_privileged(user):
        signin_password_note_send(user=user, next_path=next_path, actor=actor)
        return
    signin_link_send(user=user, next_path=next_path, reason="requested", actor=actor)


def signin_link_send(*, user: User, next_path: str = "/", reason: str, actor: Actor) -> None:
    """E-mail ``user`` a sign-in link; ``actor`` is who caused it (the person asking, a
    coordinator inviting, the system)."""
    link = signin_link_make(user=user, next_path=next_path)
    outbox_send_templated(
        to=user,
        template="signin_link",
        context={
            "link": link,
            "reason": reason,
            "valid_for": duration_words(settings.SIGNIN_LINK_MAX_AGE),
        },
        kind="signin_link",
    )
    # Whoever asked (signed in on this browser or not) is not who the link is for: the
    # event keeps the address and browser, not an account.
    event_record(
        action="signin.link_sent",
        actor=actor.unnamed(),
        subject=user,
        summary=f"Sign-in link sent to {user.email}",
        data={"reason": reason},
    )


def signin_password_note_send(*, user: User, next_path: str = "/", actor: Actor) -> None:
    """Instead of a link: "sign in with your password", pointing at the sign-in page."""
    outbox_send_templated(
        to=user,
        template="signin_password",
        context={"login_link": settings.SITE_URL + login_url_with_next(next_path)},
        kind="signin_password",
    )
    event_record(
        action="signin.password_note_sent",
        actor=actor.unnamed(),
        subject=user,
        summary=f"Sign-in link asked for {user.email}; told to use the password",
    )


def password_attempt_allowed(*, email: str, ip: str | None) -> bool:
    within_ip = ratelimit_hit(
        scope="password-ip", ident=ip or "", limit=settings.RATELIMIT_PASSWORD_PER_HOUR * 3
    )
    within_address = ratelimit_hit(
        scope="password-email",
        ident=email_identity(email),
        limit=settings.RATELIMIT_PASSWORD_PER_HOUR,
    )
    return within_ip and within_address


def reminder_preference_save(*, delegate_email: str, editor_opt_in: bool, actor: Actor):
    """The signed-in person's own reminder settings."""
    user = actor.user
    from core.models import ReminderPreference

    pref, _ = ReminderPreference.objects.get_or_create(user=user)
    pref.delegate_email = delegate_email
    pref.editor_opt_in = editor_opt_in
    pref.full_clean()
    pref.save()
    event_record(
        action="reminders.preferences_changed",
        actor=actor,
        subject=user,
        summary="Reminder settings changed",
        data={"delegate": bool(delegate_email), "editor_opt_in": editor_opt_in},
    )
    return pref


def account_signout_everywhere(*, user: User) -> None:
    """Void every sign-in link mailed to ``user`` and end their sessions on every device
    (``link_version`` is part of the session hash)."""
    # Raised in the database, so two changes at once both count.
    User.objects.filter(pk=user.pk).update(link_version=F("link_version") + 1)
    user.refresh_from_db(fields=["link_version"])


def account_privileges_gained(*, user: User, actor: Actor) -> None:
    """``user`` just became a coordinator, staff member or superuser. A session opened
    with a sign-in link (perhaps a forwarded one) must not carry the new rights: every
    session ends, and the person signs in again with their password."""
    account_signout_everywhere(user=user)
    event_record(
        action="account.privileges_gained",
        actor=actor,
        subject=user,
        summary=f"{user.email} became coordinator, staff or superuser; signed out everywhere",
        data={
            "coordinator": user.is_coordinator,
            "staff": user.is_staff,
            "superuser": user.is_superuser,
        },
    )


def account_email_changed(*, user: User, old_email: str, actor: Actor) -> None:
    """After ``user``'s address was changed and saved: every sign-in link mailed before
    and every session, on every device, stop working (``link_version`` is part of the
    session hash), and the old address is told, so a takeover does not go unnoticed."""
    account_signout_everywhere(user=user)
    outbox_send_templated(
        to=old_email,
        template="email_changed",
        context={
            "recipient": user,
            "old_email": old_email,
            "new_email": user.email,
            "by": actor.user if actor.user is not None and actor.user.pk != user.pk else None,
        },
        kind="email_changed",
    )
    event_record(
        action="account.email_changed",
        actor=actor,
        subject=user,
        summary=f"E-mail address changed from {old_email} to {user.email}",
        data={"from": old_email, "to": user.email},
    )
