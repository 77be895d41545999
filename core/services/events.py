"""Every state change is an event."""

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.actor import USER_AGENT_MAX, Actor
from core.models import Event


def event_record(
    *,
    action: str,
    actor: Actor,
    subject: models.Model | None = None,
    summary: str = "",
    data: dict | None = None,
) -> Event:
    """Store one event: what happened, to what, by whom, from which address and browser."""
    if not isinstance(actor, Actor):
        raise TypeError(f"event_record needs an Actor, not {type(actor).__name__}")
    event = Event(
        action=action,
        actor=actor.user,
        summary=summary[:300],
        data=data or {},
        ip_address=actor.ip,
        user_agent=actor.user_agent[:USER_AGENT_MAX],
    )
    if subject is not None:
        event.subject_type = ContentType.objects.get_for_model(subject, for_concrete_model=False)
        event.subject_id = subject.pk
    event.save()
    return event
