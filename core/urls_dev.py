"""The development mailbox: every e-mail the portal wrote, sign-in links included.

Routed only where the settings turn DEV_MAILBOX on (local and test settings; production
never), and answered only to the machine itself: a request from any other address gets a
404, whoever it is, so a development server reachable on a network does not hand out
everyone's sign-in links.
"""

import ipaddress
from functools import wraps

from django.conf import settings
from django.http import Http404
from django.urls import path

from core import views

app_name = "dev"


def _loopback(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    mapped = getattr(ip, "ipv4_mapped", None)
    return (mapped or ip).is_loopback


def _loopback_only(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # REMOTE_ADDR only: a forwarded-for header is whatever the client says it is.
        if not settings.DEV_MAILBOX or not _loopback(request.META.get("REMOTE_ADDR", "")):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapped


urlpatterns = [
    path("mailbox/", _loopback_only(views.mailbox_list), name="mailbox"),
    path("mailbox/<int:pk>/", _loopback_only(views.mailbox_detail), name="mailbox_detail"),
    path("mailbox/<int:pk>/html/", _loopback_only(views.mailbox_html), name="mailbox_html"),
]
