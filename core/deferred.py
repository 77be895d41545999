"""Work handed to Celery: after the commit, by the task's name, surviving a broker outage.

Services never import tasks (tasks import services, so the other direction would be a
circle). They name the task instead::

    task_after_commit("mou.tasks.draft_pdf_render", draft.pk, waits="a new request")

The hand-over runs once the current transaction commits (at once outside one), so a
worker never looks for a row that is not there yet. If the broker is down the hand-over
is logged and dropped: the row that holds the work stays as it is, and whatever ``waits``
names (a periodic sweep, the person asking again) hands it over later.
"""

import logging

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def task_send(name: str, *args) -> bool:
    """Hand the task ``name`` its arguments now; False when the broker did not take it."""
    task = current_app.tasks[name]  # an unknown name is a programming error: KeyError
    try:
        task.delay(*args)
    except Exception:  # broker down or unreachable
        return False
    return True


def task_after_commit(name: str, *args, waits: str) -> None:
    """Hand the task ``name`` its arguments once the current transaction commits."""
    current_app.tasks[name]  # fail in the caller, not later in on_commit, on a wrong name

    def hand_over() -> None:
        if not task_send(name, *args):
            logger.warning("Broker unavailable; %s%r waits for %s", name, args, waits)

    transaction.on_commit(hand_over)
