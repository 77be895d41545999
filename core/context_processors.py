from django.conf import settings

from core.permissions import is_coordinator, memberships


def portal(request) -> dict:
    user = request.user
    signed_in = user.is_authenticated
    return {
        "network_name": settings.NETWORK_NAME,
        "dev_mailbox": settings.DEV_MAILBOX,
        "nav_coordinator": signed_in and is_coordinator(user),
        "nav_member": signed_in and (is_coordinator(user) or bool(memberships(user))),
    }
