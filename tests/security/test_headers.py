"""Security headers and settings.

- The Content-Security-Policy forbids inline script, and the templates are written to
  satisfy it: no <script> without src, no on*= handler, no javascript: URL anywhere (the
  browser tests also fail on any CSP violation a page logs: tests/browser/conftest.py).
- Production settings (read in a subprocess, as tests/core/test_settings.py does, which
  also checks that `check --deploy` is clean) turn on HSTS, secure and HTTP-only cookies,
  the HTTPS redirect and frame denial, and turn the development mailbox off; the portal's
  responses then carry them.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.conf import settings as django_settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.security.conftest import COORDINATOR_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "production-like-secret-key-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:////tmp/portal-security-headers.sqlite3",
    "SITE_URL": "https://portal.example.org",
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.org:587",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}
SECURITY_SETTINGS = [
    "DEBUG",
    "DEV_MAILBOX",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "X_FRAME_OPTIONS",
    "REQUEST_MAX_BYTES",
]


@pytest.fixture(scope="module")
def production():
    """The security settings as config.settings.production computes them."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_DEBUG"}
    }
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {SECURITY_SETTINGS!r}}}))"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code, "--settings=config.settings.production"],
        cwd=ROOT,
        env={**clean, **PRODUCTION_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_turns_on_the_transport_and_cookie_protections(production):
    assert production["DEBUG"] is False
    assert production["DEV_MAILBOX"] is False
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["CSRF_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] in {"Lax", "Strict"}
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production["SECURE_REFERRER_POLICY"] in {"same-origin", "no-referrer"}
    assert production["REQUEST_MAX_BYTES"] <= 64 * 1024 * 1024


@pytest.mark.django_db
def test_responses_carry_the_production_headers_and_cookie_flags(production):
    from tests import factories

    values = {k: v for k, v in production.items() if k not in {"DEBUG", "SECURE_PROXY_SSL_HEADER"}}
    values["SECURE_PROXY_SSL_HEADER"] = tuple(production["SECURE_PROXY_SSL_HEADER"])
    user = factories.UserFactory(is_coordinator=True, email="lita@example.org")
    user.set_password(COORDINATOR_PASSWORD)
    user.save()
    with override_settings(**values):
        client = Client(HTTP_X_FORWARDED_PROTO="https")
        plain = Client().get(reverse("accounts:login"))
        assert plain.status_code == 301 and plain["Location"].startswith("https://")
        page = client.get(reverse("accounts:login"))
        assert page.status_code == 200
        assert "max-age=31536000" in page["Strict-Transport-Security"]
        assert "includeSubDomains" in page["Strict-Transport-Security"]
        assert page["X-Frame-Options"] == "DENY"
        assert page["X-Content-Type-Options"] == "nosniff"
        signed_in = client.post(
            reverse("accounts:login"),
            {"username": "lita@example.org", "password": COORDINATOR_PASSWORD},
        )
        assert signed_in.status_code == 302
        for name in (django_settings.SESSION_COOKIE_NAME, django_settings.CSRF_COOKIE_NAME):
            cookie = signed_in.cookies[name]
            assert cookie["secure"] and cookie["httponly"], name
            assert cookie["samesite"] in {"Lax", "Strict"}, name


def csp_directives(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "role"),
    [
        ("/accounts/login/", None),
        ("/verify/", None),
        ("/no-such-page/", None),
        ("/", "lead"),
        ("/dashboard/", "coordinator"),
        ("/matrix/", "lead"),
        ("/meetings/", "lead"),
        ("/partners/", "coordinator"),
        ("/admin/login/", None),
    ],
)
def test_every_page_forbids_inline_script_and_framing(world, path, role):
    client = Client()
    if role:
        client.force_login(world.people[role])
    response = client.get(path)
    assert response.status_code in (200, 302, 404)
    csp = csp_directives(response["Content-Security-Policy"])
    assert csp["script-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert "'unsafe-eval'" not in str(csp) and "*" not in csp.get("default-src", [])
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_signing_page_is_private(world):
    response = Client().get(reverse("mou:sign", args=[world.signing_token]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    # The token in the address must never reach another site in a Referer header.
    assert response["Referrer-Policy"] in {"same-origin", "no-referrer"}
    assert "noindex" in response["X-Robots-Tag"]


# --- the templates satisfy the policy ----------------------------------------------------


def template_files() -> list[Path]:
    folders = [ROOT / "templates"] + sorted(ROOT.glob("*/templates"))
    return sorted(p for folder in folders for p in folder.rglob("*.html") if ".venv" not in p.parts)


DJANGO_TAG = re.compile(r"{%.*?%}|{{.*?}}|{#.*?#}", re.S)


def test_templates_are_found():
    names = {p.name for p in template_files()}
    assert {"base.html", "block_editor.html", "sign_page.html"} <= names


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_has_inline_script_or_event_handlers(path):
    source = path.read_text()
    # Template tags are replaced by a neutral word so they cannot hide or fake markup.
    markup = DJANGO_TAG.sub("x", source)
    soup = BeautifulSoup(markup, "html.parser")
    problems = []
    for tag in soup.find_all(True):
        if tag.name == "script":
            kind = (tag.get("type") or "").lower()
            if not tag.get("src") and kind not in {"application/json", "application/ld+json"}:
                problems.append(f"inline <script>: {str(tag)[:120]}")
        for attribute, value in tag.attrs.items():
            if attribute.lower().startswith("on"):
                problems.append(f"<{tag.name} {attribute}=…>: event handler attribute")
            text = " ".join(value) if isinstance(value, list) else str(value)
            if "javascript:" in text.replace(" ", "").lower():
                problems.append(f"<{tag.name} {attribute}={text[:60]}>: javascript: URL")
    # Handlers hidden inside template logic that the parser cannot see as attributes.
    problems += [
        f"event handler in raw source: {m.group(0)}"
        for m in re.finditer(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", source)
    ]
    assert not problems, f"{path.relative_to(ROOT)}: " + "; ".join(problems)
