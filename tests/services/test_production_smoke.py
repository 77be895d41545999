"""The production path for real, as the image and docker-compose.yml run it: collectstatic
and migrate under config.settings.production, the demo network seeded, gunicorn started
with the Dockerfile's own command and a Celery worker with compose's, then over HTTP
behind a TLS-terminating proxy (X-Forwarded-Proto: https):

- the styled sign-in page, its stylesheets under their hashed manifest names, served 200;
- a coordinator signs in with a password and sees the dashboard;
- a partner lead asks for a sign-in link on the page, the link arrives on a local SMTP
  server (the worker delivered it) and opens the lead's partner page;
- a draft MOU PDF rendered by the worker and downloaded;
- a foreign Host header gets the portal's 400 page;
- /healthz and compose's healthcheck commands for the web and the worker pass; a second
  gunicorn with a missing database and a third with the broker down answer 503.

Every process is stopped at the end and none is left.
"""

import http.client
import json
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg2
import pytest
import yaml
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from tests.services.conftest import ROOT, SmtpRecorder, free_port, wait_for

HOST = "portal.example.test"
SITE_URL = f"https://{HOST}"
PASSWORD = "smoke-coordinator-password-4711"
COORDINATOR = "lita.colligan@midvalleystem.example.org"
LEAD = "maria.alvarez@salkeiz.example.org"
LEAD_PARTNER = "Salem-Keizer School District"


@dataclass
class Browser:
    """Talks to gunicorn as the proxy in front of it would: the public Host, HTTPS said in
    X-Forwarded-Proto, cookies kept by hand (they are Secure, so a cookie jar would not
    send them over the loopback's plain HTTP), redirects not followed."""

    port: int
    host: str = HOST
    https: bool = True
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, form: dict | None = None):
        headers = {"Host": self.host}
        if self.https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}"
            headers["Referer"] = f"https://{self.host}{path}"
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            content = response.read()
        finally:
            conn.close()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response, content

    def get(self, path: str):
        return self.request("GET", path)

    def post(self, path: str, form: dict):
        form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **form}
        return self.request("POST", path, form)


def _totp_code(secret: str) -> str:
    """The authenticator app's current code, computed with allauth's own TOTP functions."""
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    counters = list(yield_hotp_counters_from_time())
    return format_hotp_value(hotp_value(secret, counters[len(counters) // 2]))


def coordinator_sign_in(browser: Browser, *, email: str, password: str) -> None:
    """Sign a coordinator in as production asks: the password, then (second factor on by
    default) the forced enrolment of an authenticator app, whose code completes the sign-in;
    the recovery codes are shown once. Until then no coordinator page opens."""
    response, _ = browser.get("/accounts/login/")
    assert response.status == 200
    response, content = browser.post(
        "/accounts/login/", {"username": email, "password": password, "next": ""}
    )
    assert response.status == 302, content.decode()[-2000:]
    # A password alone opens nothing: every page leads to the enrolment.
    response, _ = browser.get("/dashboard/")
    assert response.status == 302
    enrolment = urlsplit(response.getheader("Location")).path
    assert enrolment == "/accounts/2fa/totp/activate/", enrolment
    response, content = browser.get(enrolment)
    assert response.status == 200
    secret = re.search(rb'id="authenticator_secret"[^>]*value="([A-Z2-7]+)"', content).group(1)
    response, content = browser.post(enrolment, {"code": _totp_code(secret.decode())})
    assert response.status == 302, content.decode()[-2000:]
    codes_page = urlsplit(response.getheader("Location")).path
    response, content = browser.get(codes_page)
    assert response.status == 200 and b"recovery" in content.lower()


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _dockerfile_cmd() -> list[str]:
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        if line.startswith("CMD "):
            return json.loads(line[4:])
    raise AssertionError("the Dockerfile has no CMD")


def _dockerfile_collectstatic_env() -> dict[str, str]:
    """The variables the Dockerfile's build step gives collectstatic (no broker, no mail)."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    for line in text.splitlines():
        if "collectstatic" in line and line.startswith("RUN "):
            words = shlex.split(line[4:])
            return dict(w.split("=", 1) for w in words[: words.index("python")] if "=" in w)
    raise AssertionError("the Dockerfile no longer runs collectstatic")


def _gunicorn_command(port: int) -> list[str]:
    """The Dockerfile's CMD, on a loopback port with two workers."""
    command = _dockerfile_cmd()
    assert command[:2] == ["gunicorn", "config.wsgi"], command
    command = [sys.executable, "-m", *command]
    command[command.index("--bind") + 1] = f"127.0.0.1:{port}"
    command[command.index("--workers") + 1] = "2"
    return command


@dataclass
class Processes:
    started: list[subprocess.Popen] = field(default_factory=list)

    def start(self, command: list[str], env: dict, log: Path) -> subprocess.Popen:
        with log.open("w") as out:
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.started.append(process)
        return process

    def stop(self, process: subprocess.Popen) -> None:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop_all(self) -> list[int]:
        for process in reversed(self.started):
            self.stop(process)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(map(_group_alive, self.started)):
            time.sleep(0.2)
        left = [p.pid for p in self.started if _group_alive(p)]
        for pid in left:
            os.killpg(pid, signal.SIGKILL)
        return left


def _group_alive(process: subprocess.Popen) -> bool:
    try:
        os.killpg(process.pid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_until_serving(port: int, process: subprocess.Popen, log: Path) -> None:
    def answers() -> bool:
        assert process.poll() is None, log.read_text()[-3000:]
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return True
        except OSError:
            return False

    assert wait_for(answers, timeout=90), log.read_text()[-3000:]


@pytest.fixture
def smoke_database(real_services):
    """A database of its own, made empty, so migrate runs from nothing."""
    db = connection.settings_dict
    name = f"{db['NAME']}_smoke_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        user=db["USER"],
        password=db["PASSWORD"] or None,
        dbname="postgres",
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{name}"
    )
    try:
        yield url
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _run(command: list[str], env: dict, timeout: int = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )


def _manage(*args: str, env: dict) -> str:
    done = _run([sys.executable, "manage.py", *args], env)
    assert done.returncode == 0, (done.stdout + done.stderr)[-3000:]
    return done.stdout


def _first_version_id(database_url: str, title_start: str) -> int:
    parts = urlsplit(database_url)
    with (
        psycopg2.connect(
            host=parts.hostname,
            port=parts.port,
            user=parts.username,
            password=parts.password or None,
            dbname=parts.path.lstrip("/"),
        ) as conn,
        conn.cursor() as cursor,
    ):
        cursor.execute(
            "SELECT id FROM mou_mouversion WHERE title LIKE %s ORDER BY id", [title_start + "%"]
        )
        row = cursor.fetchone()
    conn.close()
    assert row, f"the demo has no MOU version titled {title_start}…"
    return row[0]


def _link_in(content: bytes) -> str:
    text = content.decode("utf-8", "replace").replace("=\r\n", "").replace("=\n", "")
    match = re.search(re.escape(SITE_URL) + r"(/accounts/link/[A-Za-z0-9:_\-]+/)", text)
    assert match, text[-2000:]
    return match.group(1)


def test_the_production_image_path_serves_signs_in_mails_and_renders(smoke_database, tmp_path):
    smtp = SmtpRecorder()
    smtp_port = free_port()
    mail_server = Controller(smtp, hostname="127.0.0.1", port=smtp_port)
    mail_server.start()
    processes = Processes()
    static_root = tmp_path / "static"
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "CELERY_", "EMAIL_", "PORTAL_", "PYTEST_"))
        and k not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "CACHE_URL"}
    }
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "smoke-" + uuid.uuid4().hex + uuid.uuid4().hex,
        "ALLOWED_HOSTS": HOST,
        "SITE_URL": SITE_URL,
        "DATABASE_URL": smoke_database,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        # A queue of this test's own: other tests share the Redis database.
        "CELERY_TASK_DEFAULT_QUEUE": f"smoke-{uuid.uuid4().hex[:10]}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "STATIC_ROOT": str(static_root),
        "DEMO_COORDINATOR_PASSWORD": PASSWORD,
        "PYTHONUNBUFFERED": "1",
    }
    try:
        # The image's build step (with only the variables it has there), then compose's
        # web start-up step, then the demo network.
        build_env = {
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            **_dockerfile_collectstatic_env(),
            "STATIC_ROOT": str(static_root),
        }
        assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL"} <= set(build_env)
        _manage("collectstatic", "--noinput", env=build_env)
        manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
        _manage("migrate", "--noinput", env=env)
        _manage("load_demo", env=env)

        port = free_port()
        web_log = tmp_path / "gunicorn.log"
        web = processes.start(_gunicorn_command(port), env, web_log)
        worker_node = f"smoke-{uuid.uuid4().hex[:8]}@localhost"
        worker_command = shlex.split(_compose()["services"]["worker"]["command"])
        worker_command = [
            worker_node if part == "--hostname=celery@%h" else part for part in worker_command
        ]
        assert worker_node in worker_command  # compose names its node; this test its own
        worker_command[worker_command.index(worker_node)] = f"--hostname={worker_node}"
        worker_log = tmp_path / "worker.log"
        processes.start([sys.executable, "-m", *worker_command, "--concurrency=1"], env, worker_log)
        _wait_until_serving(port, web, web_log)

        _check_health_and_compose_healthchecks(port, env, worker_node, worker_log)
        _check_sign_in_page_and_stylesheets(port, manifest)
        _check_foreign_host(port)
        coordinator = Browser(port)
        coordinator_sign_in(coordinator, email=COORDINATOR, password=PASSWORD)
        response, content = coordinator.get("/dashboard/")
        assert response.status == 200 and b"Sign out" in content
        _check_draft_pdf(coordinator, smoke_database, worker_log)
        _check_lead_signs_in_by_link(port, smtp, worker_log)
        _check_health_when_parts_are_down(env, processes, tmp_path)
    finally:
        left = processes.stop_all()
        mail_server.stop()
    assert not left, f"processes outlived the test: {left}"


def _check_sign_in_page_and_stylesheets(port: int, manifest: dict) -> None:
    response, content = Browser(port).get("/accounts/login/")
    page = content.decode()
    assert response.status == 200, page[-2000:]
    assert "Sign in" in page and "E-mail me a link" in page
    stylesheets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', page) or re.findall(
        r'<link[^>]+href="([^"]+\.css)"', page
    )
    expected = {
        "/static/" + manifest["vendor/bootstrap/portal-bootstrap.min.css"],
        "/static/" + manifest["css/portal.css"],
    }
    assert expected <= set(stylesheets), stylesheets
    for href in expected:
        assert re.search(r"\.[0-9a-f]{12}\.css$", href), href
        served, body = Browser(port).get(href)
        assert served.status == 200 and served.getheader("Content-Type").startswith("text/css")
        assert len(body) > 100
        # Hashed names never change content: the browser may keep them for good.
        assert "immutable" in served.getheader("Cache-Control", "")


def _check_foreign_host(port: int) -> None:
    for https in (True, False):
        response, content = Browser(port, host="attacker.example", https=https).get(
            "/accounts/login/"
        )
        page = content.decode()
        assert response.status == 400, page[-2000:]
        assert "This request could not be understood" in page
        assert "Mid-Valley STEM Partnership" in page


def _check_health_and_compose_healthchecks(
    port: int, env: dict, worker_node: str, worker_log: Path
) -> None:
    # As the container's healthcheck asks: plain HTTP, Host 127.0.0.1.
    response, content = Browser(port, host=f"127.0.0.1:{port}", https=False).get("/healthz")
    assert response.status == 200, content
    assert json.loads(content) == {"status": "ok", "database": "ok", "broker": "ok"}
    assert "no-store" in response.getheader("Cache-Control")

    services = _compose()["services"]
    web_check = services["web"]["healthcheck"]["test"]
    assert web_check[0] == "CMD"
    probe = [part.replace("127.0.0.1:8000", f"127.0.0.1:{port}") for part in web_check[1:]]
    assert probe[0] == "python"
    done = _run([sys.executable, *probe[1:]], env, timeout=60)
    assert done.returncode == 0, done.stderr

    worker_check = services["worker"]["healthcheck"]["test"]
    assert worker_check[0] == "CMD-SHELL"
    # Compose writes $$ for a literal $; the container's shell expands $HOSTNAME.
    shell = worker_check[1].replace("$$", "$").replace("celery@$HOSTNAME", worker_node)
    assert worker_node in shell
    # The worker needs a moment to start consuming; its healthcheck has a start period too.
    bin_dir = str(Path(sys.executable).parent)
    shell_env = {**env, "PATH": bin_dir + os.pathsep + env.get("PATH", "")}

    def pong() -> bool:
        return _run(["sh", "-c", shell], shell_env, timeout=60).returncode == 0

    assert wait_for(pong, timeout=90, interval=2), worker_log.read_text()[-3000:]


def _check_draft_pdf(coordinator: Browser, database_url: str, worker_log: Path) -> None:
    version = _first_version_id(database_url, "Mid-Valley STEM Partnership MOU 2026")
    page = f"/mou/{version}/document/pdf/"
    response, content = coordinator.post(page, {})
    assert response.status == 302, content.decode()[-2000:]
    download = re.compile(rf'href="(/mou/{version}/document/pdf/\d+/download/)"')
    found: list[str] = []

    def ready() -> bool:
        response, content = coordinator.get(page)
        assert response.status == 200
        found[:] = download.findall(content.decode())
        return bool(found)

    assert wait_for(ready, timeout=180, interval=1), worker_log.read_text()[-3000:]
    response, pdf = coordinator.get(found[0])
    assert response.status == 200
    assert response.getheader("Content-Type") == "application/pdf"
    assert pdf.startswith(b"%PDF-") and len(pdf) > 2000


def _check_lead_signs_in_by_link(port: int, smtp: SmtpRecorder, worker_log: Path) -> None:
    lead = Browser(port)
    response, content = lead.get("/accounts/login/")
    page = content.decode()
    # The page's own "e-mail me a link" form: its action and field names.
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*>(.*?)</form>', page, re.S)
    assert form and "E-mail me a link" in form.group(2), page[-3000:]
    field = re.search(r'<input[^>]+type="email"[^>]+name="([^"]+)"', form.group(2)) or re.search(
        r'<input[^>]+name="([^"]+)"[^>]+type="email"', form.group(2)
    )
    assert field, form.group(2)
    before = len(smtp.delivered)
    response, content = lead.post(form.group(1), {field.group(1): LEAD, "next": ""})
    assert response.status == 200, content.decode()[-2000:]

    def arrived() -> list[bytes]:
        # The demo's own e-mails are still going out; this is the one asked for.
        return [
            m
            for m in smtp.delivered[before:]
            if f"To: {LEAD}".encode() in m and b"Subject: Your sign-in link" in m
        ]

    assert wait_for(lambda: bool(arrived()), timeout=90), worker_log.read_text()[-3000:]
    link = _link_in(arrived()[0])
    response, _ = lead.get(link)
    assert response.status == 302
    # The link opens the lead's home page: the partner's tasks.
    assert urlsplit(response.getheader("Location")).path == "/"
    response, content = lead.get("/")
    landed = content.decode()
    assert response.status == 200, landed[-2000:]
    assert LEAD_PARTNER in landed and "Sign out" in landed


def _check_health_when_parts_are_down(env: dict, processes: Processes, tmp_path: Path) -> None:
    no_database = env["DATABASE_URL"].rsplit("/", 1)[0] + "/portal_smoke_no_such_database"
    cases = {
        "database": {**env, "DATABASE_URL": no_database},
        "broker": {**env, "CELERY_BROKER_URL": f"redis://127.0.0.1:{free_port()}/0"},
    }
    started = {}
    for part, part_env in cases.items():
        port = free_port()
        log = tmp_path / f"gunicorn-{part}-down.log"
        started[part] = (port, processes.start(_gunicorn_command(port), part_env, log), log)
    for part, (port, process, log) in started.items():
        _wait_until_serving(port, process, log)
        response, content = Browser(port, host="127.0.0.1", https=False).get("/healthz")
        assert response.status == 503, content
        body = json.loads(content)
        assert body["status"] == "unavailable" and body[part] == "down", body
        assert set(body) == {"status", "database", "broker"}
        assert "no-store" in response.getheader("Cache-Control")
        processes.stop(process)
