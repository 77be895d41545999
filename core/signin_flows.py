"""The sign-in flows: the HTTP side of signing in, which changes the session.

Every way in (password, e-mailed link) finishes through django-allauth's login flow, so
its MFA stage, its rate limits and its record of how this session authenticated apply to
all of them. Views and the second-factor middleware call these; services never do (they
know no request).
"""

from allauth.account.internal.flows.login import (
    get_authentication_records,
    perform_login,
    perform_password_login,
    record_authentication,
)
from allauth.account.models import Login
from allauth.mfa.models import Authenticator
from django.http import HttpRequest, HttpResponse

from core.models import User


def signin_by_password(
    *, request: HttpRequest, user: User, email: str, redirect_url: str
) -> HttpResponse:
    """The password was checked: allauth's flow records it, asks for the code when the user
    has an authenticator, and only then logs the user in."""
    login = Login(user=user, redirect_url=redirect_url, email=email)
    return perform_password_login(request, {"email": email}, login)


def signin_by_link(*, request: HttpRequest, user: User, redirect_url: str) -> HttpResponse:
    """An e-mailed link: completes at once for someone without an authenticator, asks for
    the code otherwise."""
    record_authentication(request, user, method="link")
    return perform_login(request, Login(user=user, redirect_url=redirect_url, email=user.email))


def session_second_factor_state(*, request: HttpRequest, user: User) -> str:
    """How far this session is from what the user must show.

    "ok": password and a code from one of the user's current authenticators;
    "enrol": password, but the user has no TOTP yet (new, or reset) and this session never
    passed a code;
    "refuse": anything else (a link, a session older than the requirement, a code from an
    authenticator that was since reset, even when none is left to enrol over).
    """
    records = get_authentication_records(request, user)
    if not any(record.get("method") == "password" for record in records):
        return "refuse"
    authenticators = dict(Authenticator.objects.filter(user_id=user.pk).values_list("pk", "type"))
    if Authenticator.Type.TOTP not in authenticators.values():
        # A session that passed a code from an authenticator since reset (a lost or stolen
        # phone) is ended, not let enrol a new one: whoever holds that old session cookie
        # must show the password again from a fresh sign-in.
        if any(record.get("method") == "mfa" for record in records):
            return "refuse"
        return "enrol"
    passed = any(
        record.get("method") == "mfa" and record.get("id") in authenticators for record in records
    )
    return "ok" if passed else "refuse"


def second_factor_enrolled(*, request: HttpRequest, user: User) -> None:
    """Activating TOTP proves the code there and then: the session counts it as passed."""
    totp = Authenticator.objects.get(user_id=user.pk, type=Authenticator.Type.TOTP)
    record_authentication(request, user, method="mfa", id=totp.pk, type=totp.type, enrolled=True)
