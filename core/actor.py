"""Who acted: the one value every service that changes something is told.

A view builds it once from the request (``core.views_helpers.request_actor``); tasks and
management commands pass ``Actor.system()``. Services take it as the keyword ``actor`` and
never see the request: the address and browser they record come from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from core.models import User

USER_AGENT_MAX = 400


@dataclass(frozen=True, slots=True)
class Actor:
    """``user`` is None for the system (a task, a command: ``Actor.system()``) and for
    someone not signed in (a signing leader's link, a sign-in request); ``ip`` and
    ``user_agent`` are what the request said, empty for the system."""

    user: User | None = None
    ip: str | None = None
    user_agent: str = ""
    # The system (a task, a command) as against someone not signed in: both have no user,
    # but only the system may do what a rule allows "nobody in particular" to do.
    system_: bool = False

    @classmethod
    def system(cls) -> Actor:
        return cls(system_=True)

    @classmethod
    def of(cls, user: User | None, *, ip: str | None = None, user_agent: str = "") -> Actor:
        """The actor for ``user``; None or someone not signed in is an anonymous actor (a
        signing leader's link, a sign-in request), never the system."""
        if user is not None and not getattr(user, "is_authenticated", False):
            user = None
        return cls(user=user, ip=ip or None, user_agent=(user_agent or "")[:USER_AGENT_MAX])

    @property
    def is_system(self) -> bool:
        return self.system_

    def is_coordinator_or_system(self) -> bool:
        """For the coordinator-only services the system (the demo loader, a command) may run
        too; someone not signed in never may."""
        return self.is_system or bool(self.user is not None and self.user.is_coordinator)

    def unnamed(self) -> Actor:
        """The same request without the account: for what someone asks for without it being
        theirs to ask (a sign-in link to an address, a signing link's action), so the audit
        trail does not name whoever happens to be signed in on that browser."""
        return Actor(ip=self.ip, user_agent=self.user_agent)

    def __bool__(self) -> bool:  # an actor is always given; "if actor" is a mistake
        raise TypeError("Test actor.user or actor.is_system, not the actor itself")
