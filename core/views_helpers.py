"""Small helpers views use to apply the permission module."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core.actor import Actor
from core.permissions import user_may


def client_ip(request) -> str | None:
    """The address the request came from. Behind a proxy, the proxy is configured to set
    REMOTE_ADDR (gunicorn --forwarded-allow-ips)."""
    return request.META.get("REMOTE_ADDR") or None


def request_actor(request) -> Actor:
    """Who is acting in this request, from which address and browser. A view builds it once
    and hands it to every service it calls (after a sign-in, build it again)."""
    return Actor.of(
        getattr(request, "user", None),
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


def require(action: str, obj=None) -> Callable:
    """Decorator: anonymous people go to sign-in, signed-in people without the right get 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not user_may(request.user, action, obj):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def check(request, action: str, obj=None) -> None:
    """Inside a view, once the object is loaded."""
    if not user_may(request.user, action, obj):
        raise PermissionDenied


def form_token(request) -> str:
    """The one-time token a create form was rendered with (``{% form_token %}``)."""
    from core.services.submissions import FORM_TOKEN_FIELD

    return request.POST.get(FORM_TOKEN_FIELD, "")


def form_sent_before(request) -> str | None:
    """Where a create form sent again already led: the view redirects there at once."""
    from core.services.submissions import submission_earlier

    if request.method != "POST":
        return None
    return submission_earlier(token=form_token(request), user=request.user)
