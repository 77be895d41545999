"""Named moments a lower app announces and higher apps act on.

A lower app may not import a higher one (``partnership`` knows nothing of ``mou``), yet a
higher app must act when something happens below: when a partner becomes active, the MOU
gives it a block of the open version. The lower app runs the hook; the higher app
registers a receiver in its ``hooks`` module, which ``core.apps`` discovers at start-up::

    hook_register(PARTNER_ACTIVATED, blocks_for_partner_activated)

Receivers run in the caller's transaction, in registration order, with the keyword
arguments the hook declares; an exception in one aborts the caller's change.
"""

from collections.abc import Callable

# name -> the keyword arguments its receivers are called with
PARTNER_ACTIVATED = "partner.activated"

# Moments when a partner may just have done a portal task (core.portal_tasks): the app that
# owns the data runs one; ``subject`` is what the task is about (an MOU version), or None.
BLOCK_SUBMITTED = "mou.block_submitted"
BLOCK_ACCEPTED = "mou.block_accepted"
SIGNATURE_SIGNED = "mou.signature_signed"
MATRIX_ROW_SAVED = "needs_matrix.row_saved"
PORTAL_TASK_MOMENTS = (BLOCK_SUBMITTED, BLOCK_ACCEPTED, SIGNATURE_SIGNED, MATRIX_ROW_SAVED)

HOOKS: dict[str, tuple[str, ...]] = {
    PARTNER_ACTIVATED: ("partner", "actor"),
    **dict.fromkeys(PORTAL_TASK_MOMENTS, ("subject", "partner", "actor")),
}

_RECEIVERS: dict[str, list[Callable[..., object]]] = {name: [] for name in HOOKS}


def hook_register(name: str, receiver: Callable[..., object]) -> Callable[..., object]:
    if name not in HOOKS:
        raise LookupError(f"No hook named {name!r}")
    if receiver not in _RECEIVERS[name]:
        _RECEIVERS[name].append(receiver)
    return receiver


def hook_run(name: str, **kwargs) -> None:
    if name not in HOOKS:
        raise LookupError(f"No hook named {name!r}")
    if set(kwargs) != set(HOOKS[name]):
        raise TypeError(f"Hook {name!r} takes {', '.join(HOOKS[name])}, not {', '.join(kwargs)}")
    for receiver in tuple(_RECEIVERS[name]):
        receiver(**kwargs)
