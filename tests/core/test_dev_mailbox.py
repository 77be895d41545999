"""The development mailbox holds everyone's sign-in links: local settings only, and only
for requests from this machine."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from core.services.outbox import outbox_send_templated

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def message(lead):
    return outbox_send_templated(
        to=lead,
        template="signin_link",
        context={"link": "http://127.0.0.1:8000/accounts/link/secret/", "hours": 1},
        kind="signin_link",
    )


def _pages(message) -> list[str]:
    return [
        reverse("dev:mailbox"),
        reverse("dev:mailbox_detail", args=[message.pk]),
        reverse("dev:mailbox_html", args=[message.pk]),
    ]


@pytest.mark.parametrize("address", ["192.0.2.10", "10.0.0.5", "2001:db8::1", "", "garbage"])
def test_the_mailbox_is_a_404_from_any_other_address(message, address):
    client = Client(REMOTE_ADDR=address, HTTP_X_FORWARDED_FOR="127.0.0.1")
    for url in _pages(message):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"/accounts/link/secret/" not in response.content


@pytest.mark.parametrize("address", ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"])
def test_the_mailbox_opens_from_this_machine(message, address):
    client = Client(REMOTE_ADDR=address)
    for url in _pages(message):
        assert client.get(url).status_code == 200, url


def _resolves(settings_module: str, extra_env: dict) -> str:
    script = (
        "import django; django.setup()\n"
        "from django.urls import resolve, Resolver404\n"
        "try:\n"
        "    resolve('/dev/mailbox/')\n"
        "    print('RESOLVES')\n"
        "except Resolver404:\n"
        "    print('NO ROUTE')\n"
    )
    keep = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "EMAIL_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**keep, "DJANGO_SETTINGS_MODULE": settings_module, **extra_env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_never_routes_the_mailbox_whatever_dev_mailbox_says():
    production = {
        "SECRET_KEY": "k" * 20 + "production-like-secret-key-0123456789-abcdefghij",
        "ALLOWED_HOSTS": "portal.example.org",
        "DATABASE_URL": "sqlite:///:memory:",
        "SITE_URL": "https://portal.example.org",
        "DEV_MAILBOX": "true",
    }
    assert _resolves("config.settings.production", production) == "NO ROUTE"


def test_local_settings_route_it_and_can_turn_it_off():
    assert _resolves("config.settings.local", {"DEV_MAILBOX": "true"}) == "RESOLVES"
    assert _resolves("config.settings.local", {"DEV_MAILBOX": "false"}) == "NO ROUTE"
