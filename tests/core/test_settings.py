"""Production settings refuse to start without their secrets, and pass check --deploy."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "SECRET_KEY": "k" * 20 + "production-like-secret-key-0123456789-abcdefghij",
    "ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": "sqlite:////tmp/portal-deploy-check.sqlite3",
    "SITE_URL": "https://portal.example.org",
    "EMAIL_URL": "smtp+tls://portal:secret@smtp.example.org:587",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV
        and k not in {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args, "--settings=config.settings.production"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_a_production_like_environment():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stderr


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL"])
def test_production_refuses_to_start_without(missing):
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != missing}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "Production settings need these environment variables" in result.stderr
    assert missing in result.stderr


@pytest.mark.parametrize(("value", "expected"), [(None, "True"), ("false", "False")])
def test_production_requires_the_second_factor_unless_told_not_to(value, expected):
    env = dict(PRODUCTION_ENV) if value is None else {**PRODUCTION_ENV, "MFA_REQUIRED": value}
    code = "from django.conf import settings; print(settings.MFA_REQUIRED)"
    result = manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == expected


@pytest.mark.parametrize(("given", "expected"), [(None, "10"), ("4", "4")])
def test_mail_has_a_timeout_read_from_the_environment(given, expected):
    env = {**PRODUCTION_ENV, **({"EMAIL_TIMEOUT": given} if given else {})}
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; from django.core.mail import get_connection; "
        "print(settings.EMAIL_TIMEOUT, get_connection().timeout)",
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == [expected, expected]
