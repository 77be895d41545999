"""A person's calendar feed: the page that makes or revokes its address, and the feed."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from core.tokens import token_hash
from core.views_helpers import request_actor, require
from meetings import selectors, services
from meetings.ical import calendar_render


@require_http_methods(["GET", "POST"])
@require("calendar.manage")
def calendar_page(request):
    token = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "create":
            token = services.calendar_feed_create(user=request.user, actor=request_actor(request))
        elif action == "revoke":
            services.calendar_feed_revoke(user=request.user, actor=request_actor(request))
            messages.success(request, "Your calendar address no longer works.")
            return redirect("meetings:calendar")
        else:
            return render(request, "400.html", status=400)
    feed = getattr(request.user, "calendar_feed", None)
    feed_url = (
        settings.SITE_URL + reverse("meetings:calendar_feed", kwargs={"token": token})
        if token
        else None
    )
    # Calendar applications subscribe to webcal:// (the same address, their scheme).
    webcal_url = "webcal://" + feed_url.split("://", 1)[1] if feed_url else None
    return render(
        request,
        "meetings/calendar.html",
        {"feed": feed, "feed_url": feed_url, "webcal_url": webcal_url},
    )


@require_GET
def calendar_feed(request, token: str):
    """The secret address is the credential: no session, nothing changes on GET."""
    user = selectors.calendar_feed_owner(token_hash=token_hash(token))
    if user is None:
        raise Http404("No calendar at this address.")
    entries = selectors.calendar_entries(user=user, now=timezone.now())
    body = calendar_render(entries=entries, name=f"{settings.NETWORK_NAME} — {user}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
