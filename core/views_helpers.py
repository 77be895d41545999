"""Small helpers views use to apply the permission module."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from core.permissions import user_may


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
