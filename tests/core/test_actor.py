"""Who acted: the Actor value views build once and services take, the hooks lower apps run
for higher ones, and work handed to Celery by name after the commit."""

import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from core import hooks
from core.actor import USER_AGENT_MAX, Actor
from core.deferred import task_after_commit
from core.services.events import event_record
from core.views_helpers import request_actor


def test_a_view_builds_the_actor_from_the_request(lead):
    request = RequestFactory().post(
        "/", REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="x" * (USER_AGENT_MAX + 50)
    )
    request.user = lead
    actor = request_actor(request)
    assert (actor.user, actor.ip, len(actor.user_agent)) == (lead, "203.0.113.9", USER_AGENT_MAX)
    assert not actor.is_system


def test_someone_not_signed_in_is_no_account_and_not_the_system():
    request = RequestFactory().get("/", REMOTE_ADDR="203.0.113.9")
    request.user = AnonymousUser()
    actor = request_actor(request)
    assert actor.user is None and not actor.is_system
    assert not actor.is_coordinator_or_system()
    assert Actor.system().is_system and Actor.system().is_coordinator_or_system()


def test_unnamed_keeps_the_address_and_browser_but_not_the_account(lead):
    actor = Actor.of(lead, ip="203.0.113.9", user_agent="Firefox").unnamed()
    assert (actor.user, actor.ip, actor.user_agent, actor.is_system) == (
        None,
        "203.0.113.9",
        "Firefox",
        False,
    )


def test_an_actor_is_never_tested_for_truth(lead):
    with pytest.raises(TypeError):
        bool(Actor.of(lead))


def test_an_event_records_the_actor_and_refuses_anything_else(lead):
    event = event_record(
        action="partner.created", actor=Actor.of(lead, ip="198.51.100.1", user_agent="Safari")
    )
    event.refresh_from_db()
    assert (event.actor, event.ip_address, event.user_agent) == (lead, "198.51.100.1", "Safari")
    with pytest.raises(TypeError):
        event_record(action="partner.created", actor=lead)


def test_a_hook_runs_its_receivers_with_exactly_the_arguments_it_declares(monkeypatch):
    monkeypatch.setitem(hooks._RECEIVERS, hooks.PARTNER_ACTIVATED, [])
    seen = []
    hooks.hook_register(hooks.PARTNER_ACTIVATED, lambda **kw: seen.append(kw))
    hooks.hook_run(hooks.PARTNER_ACTIVATED, partner="p", actor="a")
    assert seen == [{"partner": "p", "actor": "a"}]
    with pytest.raises(TypeError):
        hooks.hook_run(hooks.PARTNER_ACTIVATED, partner="p")
    with pytest.raises(LookupError):
        hooks.hook_register("partner.typo", print)


def test_the_mou_receives_partner_activated():
    from mou.services import blocks_ensure_for_partner

    assert blocks_ensure_for_partner in hooks._RECEIVERS[hooks.PARTNER_ACTIVATED]


def test_deferred_work_waits_for_the_commit_and_survives_a_broker_that_is_down(
    db, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from core.tasks import outbox_deliver

    def broker_down(*args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(outbox_deliver, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        task_after_commit("core.tasks.outbox_deliver", 41, waits="the outbox flush")
    assert len(waiting) == 1  # nothing handed over before the commit
    with caplog.at_level(logging.WARNING, logger="core.deferred"):
        waiting[0]()
    assert "waits for the outbox flush" in caplog.text
    with pytest.raises(KeyError):
        task_after_commit("core.tasks.no_such_task", 1, waits="nothing")
