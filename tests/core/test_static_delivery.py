"""Static files reach the browser quickly in every setting, `make run` included: hashed names
from collectstatic, served by WhiteNoise compressed when the browser asks, with a year-long
cache; and the layout's scripts never hold up the first paint."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
YEAR = 365 * 24 * 3600

# Run in a fresh interpreter under the settings module given: collect, then ask WhiteNoise
# (through the whole middleware stack) for the stylesheet and a script.
PROBE = r"""
import json, django
django.setup()
from django.core.management import call_command
from django.templatetags.static import static
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin"])
client = Client()
out = {}
for name in ("vendor/bootstrap/portal-bootstrap.min.css", "vendor/htmx/htmx.min.js"):
    for label, url in (("hashed", static(name)), ("plain", "/static/" + name)):
        r = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br", secure=True)
        out[f"{name} {label}"] = {
            "url": url,
            "status": r.status_code,
            "encoding": r.get("Content-Encoding", ""),
            "cache": r.get("Cache-Control", ""),
            "vary": r.get("Vary", ""),
        }
        if hasattr(r, "close"):
            r.close()
print(json.dumps(out))
"""


def _env(tmp_path: Path, module: str) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PORTAL_"))}
    env.update(
        DJANGO_SETTINGS_MODULE=module,
        STATIC_ROOT=str(tmp_path / "static"),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_FOLDER=str(tmp_path / "broker"),
        MEDIA_ROOT=str(tmp_path / "media"),
    )
    if module.endswith("production"):
        env.update(
            SECRET_KEY="probe-" + "x" * 50,
            ALLOWED_HOSTS="testserver",
            SITE_URL="https://testserver",
        )
    return env


def _max_age(cache_control: str) -> int:
    match = re.search(r"max-age=(\d+)", cache_control)
    return int(match.group(1)) if match else 0


@pytest.mark.parametrize("module", ["config.settings.local", "config.settings.production"])
def test_static_files_are_hashed_compressed_and_cached_for_a_year(tmp_path, module):
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=_env(tmp_path, module),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    for name in ("vendor/bootstrap/portal-bootstrap.min.css", "vendor/htmx/htmx.min.js"):
        hashed, plain = answers[f"{name} hashed"], answers[f"{name} plain"]
        assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", hashed["url"]), hashed
        assert hashed["status"] == 200 and hashed["encoding"] in ("gzip", "br"), hashed
        assert "Accept-Encoding" in hashed["vary"], hashed
        assert _max_age(hashed["cache"]) >= YEAR and "immutable" in hashed["cache"], hashed
        # The unhashed name may change content at the next release: never cached for long.
        assert plain["status"] == 200 and _max_age(plain["cache"]) < 3600, plain


def test_the_layouts_scripts_are_deferred_and_page_scripts_need_none_of_them():
    base = (ROOT / "templates" / "base.html").read_text()
    head, body = base.split("</head>", 1)
    layout_scripts = re.findall(r"<script[^>]*>", head)
    assert len(layout_scripts) == 3 and all(" defer " in tag for tag in layout_scripts)
    assert "<script" not in body.split("{% block scripts %}")[0]
    # A page's own scripts (the scripts block, at the end of the body) run before the
    # deferred ones, so they may not use their globals at load time.
    for script in (ROOT / "static" / "js").glob("*.js"):
        if script.name == "portal.js":
            continue
        assert not re.search(r"\b(htmx|bootstrap)\.", script.read_text()), script.name
