"""A person's secret calendar feed address."""

import secrets

from django.db import transaction
from django.utils import timezone

from core.actor import Actor
from core.models import User
from core.services.db import unique_race_settle
from core.services.events import event_record
from core.tokens import token_hash
from meetings.models import CalendarFeed


def calendar_feed_create(*, user: User, actor: Actor) -> str:
    """Make (or remake) ``user``'s secret feed address; any earlier address stops working.
    Returns the token, which is stored only as its hash."""
    token = secrets.token_urlsafe(32)

    def write() -> CalendarFeed:
        feed = CalendarFeed.objects.select_for_update().filter(user=user).first()
        feed = feed or CalendarFeed(user=user)
        feed.token_hash = token_hash(token)
        feed.created_at = timezone.now()
        feed.revoked_at = None
        feed.full_clean()
        feed.save()
        return feed

    replaced = CalendarFeed.objects.filter(user=user).exists()
    # Two clicks at once: the one that loses the insert replaces the other's address.
    with transaction.atomic():
        feed = unique_race_settle(write, model=CalendarFeed, constraints=("user",), retries=1)
    event_record(
        action="calendar_feed.create",
        actor=actor,
        subject=feed,
        summary="Calendar address replaced" if replaced else "Calendar address made",
    )
    return token


def calendar_feed_revoke(*, user: User, actor: Actor) -> bool:
    """Stop ``user``'s feed address working; False when there was none to stop."""
    updated = CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if updated:
        event_record(
            action="calendar_feed.revoke",
            actor=actor,
            subject=user.calendar_feed,
            summary="Calendar address revoked",
        )
    return bool(updated)
