"""`make run` on the embedded default, in a terminal: it migrates, loads the demo, prints the
sign-in details, serves the sign-in page and its stylesheet, the lead's link opens the lead's
block, and Ctrl-C typed in the terminal stops the web server, the worker and beat, with exit
status 0 and no error from make."""

import fcntl
import http.cookiejar
import os
import pty
import re
import signal
import socket
import subprocess
import termios
import threading
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


def _in_a_terminal(command: list[str], *, env: dict, log: Path):
    """Start ``command`` as a terminal would: its own session, with a pseudo-terminal as
    the controlling terminal. Returns the process and the terminal's master end; what the
    terminal shows is copied to ``log``."""
    master, slave = pty.openpty()

    def become_terminal_session():
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=env,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        preexec_fn=become_terminal_session,
    )
    os.close(slave)

    def copy():
        with log.open("wb") as out:
            while True:
                try:
                    data = os.read(master, 4096)
                except OSError:
                    return
                if not data:
                    return
                out.write(data)
                out.flush()

    threading.Thread(target=copy, daemon=True).start()
    return process, master


def test_make_run_serves_the_demo_and_ctrl_c_stops_everything(embedded_env, tmp_path):
    port = _free_port()
    log = tmp_path / "make-run.log"
    process, terminal = _in_a_terminal(["make", "run", f"PORT={port}"], env=embedded_env, log=log)
    base = f"http://127.0.0.1:{port}"
    try:
        page = None
        deadline = time.monotonic() + 300
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
        # The banner's lead link opens the lead's block of the open MOU version.
        assert re.match(rf"{re.escape(base)}/mou/\d+/blocks/\d+/", response.url), response.url
        assert "Salem-Keizer School District" in landed and "Sign out" in landed
        assert any((tmp_path / "run").glob("celerybeat-schedule*"))
    finally:
        if process.poll() is None:
            os.write(terminal, b"\x03")  # Ctrl-C, typed in the terminal
        try:
            exit_status = process.wait(timeout=60)
        finally:
            stopped_by = time.monotonic() + 30
            while _group_alive(process.pid) and time.monotonic() < stopped_by:
                time.sleep(0.2)
            alive = _group_alive(process.pid)
            if alive:
                os.killpg(process.pid, signal.SIGKILL)
            os.close(terminal)
    assert not alive, "a process of make run outlived Ctrl-C"
    shown = log.read_text()
    assert "Portal stopped." in shown
    assert exit_status == 0, shown[-2000:]
    assert "make: ***" not in shown and "Error" not in shown.split("Portal stopped.")[-1]
