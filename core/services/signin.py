"""Sign-in links: signed, expiring, bound to one user, reusable until they expire.

A link is a bearer credential for one person. Opening it (GET) signs that person in and
changes nothing else, so a mail scanner that pre-fetches it neither uses it up nor breaks
it. Raising ``User.link_version`` voids every link issued before.

Coordinators, staff and superusers sign in with their password only: no link is made for
them, a link made before they became one is refused when it is opened, and every e-mail
to them points at the page itself (which asks for the password).
"""

import time
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from core.models import User
from core.permissions import account_is_privileged

SALT = "core.signin-link"


class LinkInvalid(Exception):
    """Tampered, unknown, or for a user who no longer exists or is inactive."""


class LinkPasswordOnly(LinkInvalid):
    """A valid link for an account that signs in with its password only."""


class LinkExpired(Exception):
    def __init__(self, user: User):
        super().__init__("This sign-in link has expired.")
        self.user = user


@dataclass(frozen=True)
class LinkTarget:
    user: User
    next_path: str


def safe_next_path(next_path: str | None) -> str:
    if (
        next_path
        and next_path.startswith("/")
        and url_has_allowed_host_and_scheme(next_path, allowed_hosts=None)
    ):
        return next_path
    return "/"


def signin_token_make(
    *, user: User, next_path: str = "/", expires_at: datetime | None = None
) -> str:
    if account_is_privileged(user):
        raise ValueError(f"{user} signs in with a password: no sign-in link is made for them.")
    if expires_at is None:
        expiry = int(time.time()) + settings.SIGNIN_LINK_MAX_AGE
    else:
        expiry = int(expires_at.timestamp())
    payload = {"u": user.pk, "v": user.link_version, "n": safe_next_path(next_path), "e": expiry}
    return signing.dumps(payload, salt=SALT, compress=True)


def signin_link_make(
    *, user: User, next_path: str = "/", expires_at: datetime | None = None
) -> str:
    """An absolute sign-in URL built from SITE_URL, never from a request.

    For an account that signs in with its password only, the page's own address: the
    e-mail still leads there, and the page asks for the password.
    """
    if not link_signs_in(user):
        return settings.SITE_URL + safe_next_path(next_path)
    token = signin_token_make(user=user, next_path=next_path, expires_at=expires_at)
    return settings.SITE_URL + reverse("accounts:link", kwargs={"token": token})


def link_signs_in(user: User | None) -> bool:
    """Whether a link e-mailed to ``user`` signs them in (e-mails word themselves on it)."""
    return user is not None and not account_is_privileged(user)


def signin_link_read(*, token: str) -> LinkTarget:
    try:
        payload = signing.loads(token, salt=SALT)
        user_id, version, next_path, expiry = (
            int(payload["u"]),
            int(payload["v"]),
            str(payload["n"]),
            int(payload["e"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise LinkInvalid("This sign-in link is not valid.") from exc
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.link_version != version:
        raise LinkInvalid("This sign-in link is no longer valid.")
    if account_is_privileged(user):
        # Issued before the person became a coordinator or staff, or forged: refused
        # before its expiry is looked at, so it cannot be renewed either.
        raise LinkPasswordOnly("This account signs in with its password.")
    if expiry < int(timezone.now().timestamp()):
        raise LinkExpired(user)
    return LinkTarget(user=user, next_path=safe_next_path(next_path))


def login_url_with_next(next_path: str) -> str:
    return reverse("accounts:login") + "?" + urlencode({"next": safe_next_path(next_path)})
