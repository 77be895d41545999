"""Things a partner does in the portal that an action item can be tied to.

A meeting's homework is often a portal task: "submit your block of the MOU", "fill in your
row of the needs matrix", "sign the agreement". The meetings app sits below the MOU and
beside the matrix, so it cannot ask them whether a partner has done it; instead each app
registers its tasks here, from its own ``portal_tasks`` module (discovered by
``core.apps``)::

    portal_task_register(PortalTask(key="mou.block_submit", label=..., ...))

and runs one of the ``PORTAL_TASK_MOMENTS`` hooks (``core.hooks``) when a partner may
have just done one, so the items tied to it complete themselves.

A task answers, for a subject (an MOU version; None for a task without one) and a list of
partner ids, which of those partners have done it, with a fixed number of queries.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class PortalTask:
    key: str
    label: str
    # "app_label.ModelName" of the subject, or "" for a task that has none.
    subject_model: str
    # done_partner_ids(subject_id=..., partner_ids=[...]) -> the ids of those who did it
    done_partner_ids: Callable[..., set[int]]
    # The subject a new item is tied to by default (the open MOU version), or None.
    current_subject: Callable[[], models.Model | None] = lambda: None


_TASKS: dict[str, PortalTask] = {}


def portal_task_register(task: PortalTask) -> PortalTask:
    _TASKS[task.key] = task
    return task


def portal_task(key: str) -> PortalTask | None:
    return _TASKS.get(key)


def portal_tasks() -> tuple[PortalTask, ...]:
    return tuple(sorted(_TASKS.values(), key=lambda task: task.label))


def portal_task_choices(keys: Iterable[str] | None = None) -> list[tuple[str, str]]:
    tasks = portal_tasks() if keys is None else [t for k in keys if (t := portal_task(k))]
    return [(task.key, task.label) for task in tasks]
