"""HTTP throughput: gunicorn (2 sync workers) on 127.0.0.1 and concurrent clients in
separate processes (``bench.client``)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.client import LoadResult, http_load
from bench.databases import ROOT, child_env
from bench.options import HTTP_TARGETS, Options
from bench.processes import run_task


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def gunicorn_start(url: str, port: int) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 (our own interpreter and gunicorn)
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "120",
        ],
        cwd=ROOT,
        env=child_env(url),
    )
    return process


def wait_ready(port: int, path: str, cookie: str, timeout: float = 60.0) -> None:
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path, headers={"Cookie": cookie})
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def _load_part(args: dict) -> dict:
    result = http_load(**args)
    return {"seconds": result.seconds, "latencies": result.latencies_ms, "errors": result.errors}


def load(
    *, port: int, path: str, cookie: str, target: str, options: Options, seconds: float
) -> LoadResult:
    """``http_clients`` clients spread over ``http_processes`` processes (one Python process
    cannot keep 20 connections busy on its own: the GIL)."""
    import multiprocessing

    parts = max(1, options.http_processes)
    per = [options.http_clients // parts + (i < options.http_clients % parts) for i in range(parts)]
    jobs = [
        {
            "host": "127.0.0.1",
            "port": port,
            "path": path,
            "cookie": cookie,
            "clients": n,
            "seconds": seconds,
            "target": target,
        }
        for n in per
        if n
    ]
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        results = pool.map(_load_part, jobs, chunksize=1)
    latencies = [ms for r in results for ms in r["latencies"]]
    return LoadResult(
        target=target,
        clients=options.http_clients,
        seconds=max(r["seconds"] for r in results),
        requests=len(latencies),
        errors=sum(r["errors"] for r in results),
        latencies_ms=latencies,
    )


def http_measure(url: str, options: Options) -> dict:
    sessions = run_task(url, "sessions")
    cookies = {
        role: f"{sessions['cookie_name']}={sessions[role]}" for role in ("coordinator", "lead")
    }
    port = free_port()
    server = gunicorn_start(url, port)
    try:
        wait_ready(port, sessions["urls"]["baseline"], cookies["coordinator"])
        for target, role in HTTP_TARGETS:  # warm both workers on every page
            load(
                port=port,
                path=sessions["urls"][target],
                cookie=cookies[role],
                target=target,
                options=options,
                seconds=2,
            )
        rounds: dict[str, list[LoadResult]] = {target: [] for target, _ in HTTP_TARGETS}
        # Two rounds, the targets in turn: a busy moment of the machine is shared.
        for _ in range(2):
            for target, role in HTTP_TARGETS:
                rounds[target].append(
                    load(
                        port=port,
                        path=sessions["urls"][target],
                        cookie=cookies[role],
                        target=target,
                        options=options,
                        seconds=options.http_seconds / 2,
                    )
                )
    finally:
        server.terminate()
        server.wait(timeout=30)
    out = {}
    for target, results in rounds.items():
        latencies = [ms for r in results for ms in r.latencies_ms]
        merged = LoadResult(
            target=target,
            clients=options.http_clients,
            seconds=sum(r.seconds for r in results),
            requests=sum(r.requests for r in results),
            errors=sum(r.errors for r in results),
            latencies_ms=latencies,
        )
        out[target] = {
            "requests": merged.requests,
            "errors": merged.errors,
            "seconds": merged.seconds,
            "throughput": merged.throughput,
            "median_ms": merged.median_ms,
            "p95_ms": merged.p95_ms,
            "user": dict(HTTP_TARGETS)[target],
        }
    return out


# --- the realistic load: the security suite's locust scenario ------------------------------

SCENARIO = ROOT / "bench" / "load" / "run.py"


def scenario_run(options: Options) -> dict | None:
    """``bench/load/run.py``: leads opening, autosaving and saving their blocks with a few
    seconds between actions, and a coordinator on the dashboard (locust, on a network of
    its own beside the portal's database). Latency and errors under a realistic load, where
    ``http_measure`` gives the most each page can serve. None when the scenario is absent."""
    if not SCENARIO.exists() or options.scenario_users <= 0:
        return None
    with tempfile.TemporaryDirectory() as folder:
        command = [
            sys.executable,
            str(SCENARIO),
            "--users",
            str(options.scenario_users),
            "--seconds",
            str(options.scenario_seconds),
            "--label",
            "scenario",
            "--out",
            folder,
        ]
        done = subprocess.run(  # noqa: S603 (our own interpreter and the project's script)
            command, cwd=ROOT, env=dict(os.environ), capture_output=True, text=True
        )
        summary_file = Path(folder) / "summary.json"
        if not summary_file.exists():
            raise RuntimeError(f"The load scenario failed:\n{done.stdout}\n{done.stderr}")
        summary = json.loads(summary_file.read_text())
    summary["exit_code"] = done.returncode
    return summary
