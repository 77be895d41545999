"""The load scenario, end to end: ``python bench/load/run.py --users 50 --seconds 60``.

Interface (``make bench`` calls it this way; a test in tests/services runs the short one):

    python bench/load/run.py [--users N] [--seconds S] [--spawn-rate R] [--label NAME]
                             [--out DIR] [--keep]

- ``--users``: simulated partner leads (default 50), one partner each; a coordinator on
  the dashboard comes on top.
- ``--seconds``: how long the load runs (default 60), after the users have started.
- The database is a throwaway one next to ``DATABASE_URL`` (``<name>_bench_<label>`` on
  PostgreSQL) or a SQLite file under var/bench/ when DATABASE_URL is unset; it is dropped
  at the end unless ``--keep``. The portal's own database is never touched.
- gunicorn (2 workers) serves the portal with the bench settings on 127.0.0.1; locust
  (headless) sends all traffic there, nowhere else.
- Prints one line per request kind and a last line
  ``load: <requests> requests, p50 <ms> ms, p95 <ms> ms, <errors> errors``; writes locust's
  CSV files and ``summary.json`` into ``--out`` (default var/bench/load/). Exits 1 when
  any request failed or none was made.

People sign in with session cookies made for them (as Django's test client's force_login
does); the CSRF token comes from the pages, as in a browser.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.databases import Databases, child_env  # noqa: E402

HERE = Path(__file__).resolve().parent


def seed(*, users: int, out: Path) -> None:
    """Runs inside a child process with the bench settings: a network of ``users`` partners,
    each with a lead, an open MOU version, and a session for every lead and the coordinator."""
    import django

    django.setup()
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.urls import reverse
    from django.utils import timezone

    from core.actor import Actor
    from core.models import User
    from mou import services
    from mou.models import RoleBlock
    from partnership.models import Membership, Partner

    def cookie(user: User) -> dict:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        return {"name": settings.SESSION_COOKIE_NAME, "value": session.session_key}

    unusable = make_password(None)
    coordinator = User.objects.create(
        email="coordinator@load.example.org",
        full_name="Load Coordinator",
        is_coordinator=True,
        password=unusable,
    )
    partners = Partner.objects.bulk_create(
        Partner(name=f"Load partner {i:05d}", kind="school_district", status="active")
        for i in range(users)
    )
    leads = User.objects.bulk_create(
        User(email=f"lead{i:05d}@load.example.org", full_name=f"Lead {i}", password=unusable)
        for i in range(users)
    )
    Membership.objects.bulk_create(
        Membership(user=lead, partner=partner, role="lead")
        for lead, partner in zip(leads, partners, strict=True)
    )
    version = services.version_create(
        actor=Actor.of(coordinator),
        title="Load MOU",
        shared_text="## Purpose\n\nWe build a STEM learning community.\n",
        deadline=timezone.now() + timedelta(days=30),
    )
    services.version_open(version=version, actor=Actor.of(coordinator))
    blocks = {b.partner_id: b for b in RoleBlock.objects.filter(version=version)}
    data = {
        "coordinator": {"cookie": cookie(coordinator)},
        "leads": [
            {
                "cookie": cookie(lead),
                "block": reverse("mou:block", args=[version.pk, blocks[partner.pk].pk]),
                "autosave": reverse("mou:block_autosave", args=[version.pk, blocks[partner.pk].pk]),
                "save": reverse("mou:block_save", args=[version.pk, blocks[partner.pk].pk]),
            }
            for lead, partner in zip(leads, partners, strict=True)
        ],
    }
    out.write_text(json.dumps(data))


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_ready(port: int, timeout: float = 60.0) -> None:
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/accounts/login/")
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer in time")


def _percentile(histogram: dict[int, int], share: float) -> float:
    """Locust keeps response times as {rounded ms: count}; the value below which
    ``share`` of the requests fall."""
    total = sum(histogram.values())
    if total == 0:
        return 0.0
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= share * total:
            return float(value)
    return float(max(histogram))


def _row(name: str, entries: list[dict]) -> dict:
    histogram: dict[int, int] = {}
    for entry in entries:
        for value, count in entry["response_times"].items():
            histogram[int(float(value))] = histogram.get(int(float(value)), 0) + count
    return {
        "name": name,
        "requests": sum(e["num_requests"] for e in entries),
        "errors": sum(e["num_failures"] for e in entries),
        "p50_ms": _percentile(histogram, 0.50),
        "p95_ms": _percentile(histogram, 0.95),
    }


def summarize(prefix: Path) -> dict:
    """Every request locust made, from its final statistics (``--json-file``)."""
    entries = json.loads(Path(f"{prefix}.json").read_text())
    total = _row("all", entries)
    del total["name"]
    return {
        **total,
        "per_request": [_row(f"{e['method']} {e['name']}", [e]) for e in entries],
    }


def run(args: argparse.Namespace) -> int:
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    databases = Databases(url=os.environ.get("DATABASE_URL", ""))
    url = databases.create_migrated(args.label)
    env = child_env(url)
    server = None
    try:
        data_file = out / "data.json"
        subprocess.run(  # noqa: S603 (our own interpreter and script)
            [sys.executable, str(Path(__file__).resolve()), "seed", "--users", str(args.users)],
            cwd=ROOT,
            env={**env, "PORTAL_LOAD_DATA": str(data_file)},
            check=True,
        )
        port = _free_port()
        server = subprocess.Popen(  # noqa: S603 (our own interpreter and gunicorn)
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
            env=env,
        )
        _wait_ready(port)
        prefix = out / "locust"
        spawn_seconds = (args.users + 1) / args.spawn_rate
        subprocess.run(  # noqa: S603 (our own interpreter and locust)
            [
                sys.executable,
                "-m",
                "locust",
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--users",
                str(args.users + 1),
                "--spawn-rate",
                str(args.spawn_rate),
                "--run-time",
                f"{int(args.seconds + spawn_seconds + 0.999)}s",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--json-file",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
                "--stop-timeout",
                "10",
            ],
            cwd=ROOT,
            env={**os.environ, "PORTAL_LOAD_DATA": str(data_file)},
            stdout=(out / "locust.log").open("w"),
            stderr=subprocess.STDOUT,
            check=False,
        )
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
        if not args.keep:
            databases.drop(args.label)
    summary = summarize(prefix)
    summary.update(users=args.users, seconds=args.seconds, engine=databases.engine)
    (out / "summary.json").write_text(json.dumps(summary, indent=2))
    for row in summary["per_request"]:
        print(
            f"  {row['name']:<28} {row['requests']:>6} requests  p50 {row['p50_ms']:>6.0f} ms  "
            f"p95 {row['p95_ms']:>6.0f} ms  {row['errors']} errors"
        )
    print(
        f"load: {summary['requests']} requests, p50 {summary['p50_ms']:.0f} ms, "
        f"p95 {summary['p95_ms']:.0f} ms, {summary['errors']} errors "
        f"({args.users} leads and a coordinator, {args.seconds} s, {databases.engine})"
    )
    return 0 if summary["errors"] == 0 and summary["requests"] > 0 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", nargs="?", default="run", choices=["run", "seed"])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=25)
    parser.add_argument("--label", default="load")
    parser.add_argument("--out", default=str(ROOT / "var" / "bench" / "load"))
    parser.add_argument("--keep", action="store_true", help="keep the load database")
    args = parser.parse_args(argv)
    if args.command == "seed":
        seed(users=args.users, out=Path(os.environ["PORTAL_LOAD_DATA"]))
        return 0
    return run(args)


if __name__ == "__main__":
    sys.exit(main())
