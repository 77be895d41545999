"""Backup and restore (README, "Backup and restore"): dump the demo network with pg_dump,
restore it into a new database with pg_restore, and the portal serves it unchanged."""

import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
# The dashboard counts down to the deadline by the minute, so it is left out of the
# byte-for-byte comparison; these pages show every kind of restored record.
PAGES = [
    "/partners/",
    "/people/",
    "/mou/",
    "/matrix/",
    "/matrix/summary/",
    "/meetings/",
]

# Renders the pages as the demo coordinator and prints one digest per page. CSRF tokens
# are random per request, so they are taken out before hashing.
RENDER = f"""
import hashlib, re
from django.test import Client
from core.models import User
client = Client()
client.force_login(User.objects.get(email="lita.colligan@midvalleystem.example.org"))
for path in {PAGES!r}:
    response = client.get(path)
    body = re.sub(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', b"", response.content)
    print(path, response.status_code, hashlib.sha256(body).hexdigest())
"""


def _pg_env(db: dict) -> dict:
    return {
        **os.environ,
        "PGHOST": db["HOST"] or "127.0.0.1",
        "PGPORT": str(db["PORT"] or 5432),
        "PGUSER": db["USER"] or "postgres",
        "PGPASSWORD": db["PASSWORD"] or "",
    }


def _url(db: dict, name: str) -> str:
    return (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{name}"
    )


def _row_counts(env: dict, name: str) -> str:
    query = (
        "SELECT string_agg(format('%s=%s', table_name, "
        "(xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I', "
        "table_name), false, true, '')))[1]::text), ',' ORDER BY table_name) "
        "FROM information_schema.tables WHERE table_schema = 'public'"
    )
    result = subprocess.run(
        ["psql", "-tA", "-d", name, "-c", query],
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return result.stdout.strip()


def _render(database_url: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", RENDER],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": database_url,
        },
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_dump_and_restore_serves_the_same_portal(real_services, tmp_path):
    call_command("load_demo", verbosity=0)
    db = connection.settings_dict
    env = _pg_env(db)
    dump = tmp_path / "portal.dump"
    restored = f"{db['NAME']}_restored_{uuid.uuid4().hex[:8]}"
    subprocess.run(
        ["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", db["NAME"]],
        env=env,
        check=True,
        timeout=120,
    )
    subprocess.run(["createdb", restored], env=env, check=True, timeout=60)
    try:
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={restored}", str(dump)],
            env=env,
            check=True,
            timeout=120,
        )
        original = _render(_url(db, db["NAME"]))
        copy = _render(_url(db, restored))
        assert re.findall(r"^/\S+ 200 ", original, re.M) and len(original.splitlines()) == len(
            PAGES
        )
        assert copy == original
        assert _row_counts(env, restored) == _row_counts(env, db["NAME"])
    finally:
        subprocess.run(["dropdb", "--if-exists", restored], env=env, check=False, timeout=60)
