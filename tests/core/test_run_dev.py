"""`make run`'s last step, bin/run-dev, on the embedded default: after migrate and load_demo
it prints the sign-in details, serves the sign-in page and its stylesheet, the lead's link
signs in, and Ctrl-C (SIGINT to the whole group, as a terminal sends it) stops the web
server, the worker and beat."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.fixture
def embedded_env(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_URL", "DJANGO_SETTINGS_MODULE"}
    }
    return {
        **env,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "CELERY_BROKER_FOLDER": str(tmp_path / "broker"),
        "MEDIA_ROOT": str(tmp_path / "media"),
        "PORTAL_RUN_DIR": str(tmp_path / "run"),
        "PYTHONUNBUFFERED": "1",
    }


def test_run_dev_serves_the_demo_and_ctrl_c_stops_everything(embedded_env, tmp_path):
    for command in (["migrate", "--noinput"], ["load_demo"]):
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=embedded_env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
    port = _free_port()
    log = tmp_path / "run-dev.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            ["bin/run-dev", "127.0.0.1", str(port)],
            cwd=ROOT,
            env=embedded_env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        page = None
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and process.poll() is None:
            try:
                with urllib.request.urlopen(f"{base}/accounts/login/", timeout=5) as response:
                    page = response.read().decode()
                break
            except OSError:
                time.sleep(0.5)
        assert page is not None, log.read_text()[-3000:]
        assert "Sign in" in page and "Mid-Valley STEM Partnership" in page

        stylesheet = re.search(r'<link[^>]+href="(/static/[^"]+\.css)"', page).group(1)
        with urllib.request.urlopen(base + stylesheet, timeout=10) as response:
            assert response.status == 200 and len(response.read()) > 1000

        banner = log.read_text()
        assert "password: partnership-demo" in banner
        link = re.search(rf"({re.escape(base)}/accounts/link/\S+)", banner).group(1)
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with opener.open(link, timeout=10) as response:
            landed = response.read().decode()
        assert response.url.startswith(f"{base}/partners/")
        assert "Salem-Keizer School District" in landed and "Sign out" in landed
        assert any((tmp_path / "run").glob("celerybeat-schedule*"))
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGINT)
        try:
            process.wait(timeout=30)
        finally:
            stopped_by = time.monotonic() + 30
            while _group_alive(process.pid) and time.monotonic() < stopped_by:
                time.sleep(0.2)
            alive = _group_alive(process.pid)
            if alive:
                os.killpg(process.pid, signal.SIGKILL)
    assert not alive, "a process of bin/run-dev outlived Ctrl-C"
    assert "Portal stopped." in log.read_text()
