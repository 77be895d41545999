"""The one place that answers "may this user do this to this object?".

Rules are small functions registered under an action name ("partner.edit",
"block.edit", ...). Each app declares its rules in its own ``permissions`` module, which
``core.apps`` imports at start-up; everything else asks ``user_may``. An unknown action
is an error, never a silent yes.
"""

from collections.abc import Callable
from typing import Any

Rule = Callable[[Any, Any], bool]
_RULES: dict[str, Rule] = {}


def rule(action: str) -> Callable[[Rule], Rule]:
    def register(func: Rule) -> Rule:
        if action in _RULES and _RULES[action] is not func:
            raise ValueError(f"Permission rule {action!r} is declared twice")
        _RULES[action] = func
        return func

    return register


def user_may(user, action: str, obj: Any = None) -> bool:
    try:
        check = _RULES[action]
    except KeyError:
        raise LookupError(f"No permission rule named {action!r}") from None
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return bool(check(user, obj))


def is_coordinator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_coordinator)


def memberships(user) -> dict[int, str]:
    """{partner id: role} for the user's memberships in active partners, cached per user
    object (one query per request)."""
    cached = getattr(user, "_portal_memberships", None)
    if cached is None:
        from partnership.models import Membership, Partner

        cached = dict(
            Membership.objects.filter(user=user, partner__status=Partner.Status.ACTIVE).values_list(
                "partner_id", "role"
            )
        )
        user._portal_memberships = cached
    return cached


def partner_role(user, partner_id: int | None) -> str | None:
    if partner_id is None or not user.is_authenticated:
        return None
    return memberships(user).get(partner_id)


def is_network_member(user) -> bool:
    """Coordinators and anyone with a role at an active partner."""
    return is_coordinator(user) or bool(memberships(user))


@rule("network.view")
def _network_view(user, obj) -> bool:
    return is_network_member(user)


@rule("coordinator")
def _coordinator(user, obj) -> bool:
    return is_coordinator(user)


def sees_partner_private(user, partner_id: int | None) -> bool:
    """Coordinators and the partner's own people: who may read what a partner has not had
    accepted yet, and the personal contact details (e-mail addresses, phone numbers) it
    typed. Everyone else in the network sees a partner's accepted work and names only."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return is_coordinator(user) or partner_role(user, partner_id) is not None
