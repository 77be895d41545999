"""Every state change is an event."""

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import HttpRequest

from core.models import Event, User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    # Behind a proxy, the proxy is configured to set REMOTE_ADDR (gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None


def event_record(
    *,
    action: str,
    actor: User | None = None,
    subject: models.Model | None = None,
    summary: str = "",
    data: dict | None = None,
    request: HttpRequest | None = None,
) -> Event:
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    event = Event(
        action=action,
        actor=actor,
        summary=summary[:300],
        data=data or {},
        ip_address=client_ip(request),
        user_agent=(request.META.get("HTTP_USER_AGENT", "") if request else "")[:400],
    )
    if subject is not None:
        event.subject_type = ContentType.objects.get_for_model(subject, for_concrete_model=False)
        event.subject_id = subject.pk
    event.save()
    return event
