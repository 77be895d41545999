"""/healthz: 200 when the database and the broker answer, 503 naming the part that is down
(never the error text), never cached, and reachable the way a container healthcheck asks
(plain HTTP, Host 127.0.0.1) under production's host list and HTTPS redirect."""

import json

import pytest
from django.db import OperationalError, connections
from django.test import override_settings

from config.celery import app

PRODUCTION_LIKE = {
    "DEBUG": False,
    "ALLOWED_HOSTS": ["portal.example.org"],
    "SECURE_SSL_REDIRECT": True,
    "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
}
SECRET_ERROR = "password authentication failed for user portal-secret-4711"


def _assert_never_cached(response):
    cache_control = response["Cache-Control"]
    assert "no-cache" in cache_control and "no-store" in cache_control
    assert "max-age=0" in cache_control
    assert not response.cookies


@pytest.mark.django_db
def test_healthz_is_up_from_inside_a_container_under_production_settings(client):
    with override_settings(**PRODUCTION_LIKE):
        response = client.get("/healthz", HTTP_HOST="127.0.0.1:8000")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "broker": "ok"}
    _assert_never_cached(response)


@pytest.mark.django_db
def test_the_rest_of_the_site_still_checks_the_host_and_redirects(client):
    with override_settings(**PRODUCTION_LIKE):
        assert client.get("/accounts/login/", HTTP_HOST="127.0.0.1:8000").status_code == 400
        redirect = client.get("/accounts/login/", HTTP_HOST="portal.example.org")
    assert redirect.status_code == 301
    assert redirect["Location"].startswith("https://portal.example.org/")


@pytest.mark.django_db
def test_healthz_refuses_a_post(client):
    response = client.post("/healthz")
    assert response.status_code == 405
    _assert_never_cached(response)


@pytest.mark.django_db
def test_healthz_answers_503_when_the_database_is_down(client, monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError(SECRET_ERROR)

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    with override_settings(**PRODUCTION_LIKE):
        response = client.get("/healthz", HTTP_HOST="127.0.0.1")
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body == {"status": "unavailable", "database": "down", "broker": "ok"}
    assert "portal-secret" not in response.content.decode()
    _assert_never_cached(response)


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_down(client, monkeypatch):
    # Nothing listens on port 1; the password in the address must not leak either.
    monkeypatch.setattr(app.conf, "broker_write_url", "redis://:hunter2@127.0.0.1:1/0")
    with override_settings(**PRODUCTION_LIKE):
        response = client.get("/healthz", HTTP_HOST="127.0.0.1")
    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "database": "ok",
        "broker": "down",
    }
    assert "hunter2" not in response.content.decode()
    _assert_never_cached(response)
