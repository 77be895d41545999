from django.conf import settings
from django.contrib.auth.models import AnonymousUser

from core.permissions import is_coordinator, user_may


def portal(request) -> dict:
    # An error page can be rendered for a request that never reached the session and auth
    # middlewares (a foreign Host header is refused before them): treat it as signed out.
    user = getattr(request, "user", None) or AnonymousUser()
    signed_in = user.is_authenticated
    return {
        "network_name": settings.NETWORK_NAME,
        "dev_mailbox": settings.DEV_MAILBOX,
        "nav_coordinator": signed_in and is_coordinator(user),
        "nav_member": signed_in and user_may(user, "network.view"),
    }
