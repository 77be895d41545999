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


def account_is_privileged(user) -> bool:
    """Coordinators, staff and superusers: accounts that sign in with a password only and
    that only a superuser may change."""
    return bool(user.is_coordinator or user.is_staff or user.is_superuser)


def account_change_allowed(actor, person) -> bool:
    """Whether ``actor`` may change ``person``'s account: address, name, role, access,
    roles at partners. ``actor`` None is the system (a task, a management command)."""
    if actor is None:
        return True
    if not (actor.is_authenticated and actor.is_active):
        return False
    if actor.is_superuser:
        return True
    return is_coordinator(actor) and not account_is_privileged(person)


@rule("coordinator")
def _coordinator(user, obj) -> bool:
    return is_coordinator(user)


@rule("second_factor.reset")
def _second_factor_reset(user, person) -> bool:
    """A coordinator resets another coordinator's or staff member's second factor (a lost
    phone); only a superuser resets a superuser's; nobody their own this way."""
    if not is_coordinator(user) or person is None or person.pk == user.pk:
        return False
    if not (person.is_coordinator or person.is_staff or person.is_superuser):
        return False
    return user.is_superuser or not person.is_superuser


@rule("person.change")
def _person_change(user, person) -> bool:
    return account_change_allowed(user, person)
