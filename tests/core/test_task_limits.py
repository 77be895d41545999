"""Every Celery task has a soft and a hard time limit, and the limits fit together: the
outbox's claim outlasts the delivery's hard limit, and Redis hands a task out again only
after the longest hard limit."""

from datetime import timedelta

from django.conf import settings

from config.celery import app
from core.services import outbox


def _limits(task) -> tuple[float | None, float | None]:
    soft = task.soft_time_limit or app.conf.task_soft_time_limit
    hard = task.time_limit or app.conf.task_time_limit
    return soft, hard


def _registered():
    app.loader.import_default_modules()  # autodiscovery: every app's tasks module
    return dict(app.tasks)


def test_every_registered_task_has_a_soft_and_a_hard_limit():
    tasks = _registered()
    ours = {name for name in tasks if not name.startswith("celery.")}
    assert {
        "core.tasks.outbox_deliver",
        "core.tasks.outbox_flush",
        "core.tasks.reminders_sweep",
        "mou.tasks.draft_pdf_render",
        "mou.tasks.executed_pdf_render",
        "mou.tasks.executed_pdfs_pending",
    } <= ours
    for name, task in tasks.items():
        soft, hard = _limits(task)
        assert soft and hard, f"{name} has no time limit"
        assert soft < hard, f"{name}: the soft limit must come first so the task can record it"
        # acks late: a task still running when Redis's visibility timeout passes is handed
        # to a second worker.
        assert hard < settings.BROKER_VISIBILITY_TIMEOUT, name


def test_pdf_rendering_gets_longer_than_the_default():
    tasks = _registered()
    default = app.conf.task_time_limit
    for name in ("mou.tasks.draft_pdf_render", "mou.tasks.executed_pdf_render"):
        assert tasks[name].time_limit and tasks[name].time_limit > default, name


def test_the_outbox_lease_outlasts_the_delivery_task():
    _, hard = _limits(_registered()["core.tasks.outbox_deliver"])
    assert timedelta(seconds=hard) < outbox.SENDING_LEASE


def test_mail_has_a_timeout():
    assert settings.EMAIL_TIMEOUT == 10
