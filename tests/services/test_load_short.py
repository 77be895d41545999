"""The load scenario, short: 10 leads editing their blocks and a coordinator on the
dashboard for 10 seconds, against gunicorn (2 workers) on PostgreSQL, with no error.
`make bench` runs the full one (bench/load/run.py --users 50 --seconds 60)."""

import json
import os
import subprocess
import sys

from django.db import connection

from bench.load.run import summarize
from tests.services.conftest import ROOT


def test_ten_leads_and_a_coordinator_for_ten_seconds_without_an_error(real_services, tmp_path):
    db = connection.settings_dict
    server = os.environ.get("DATABASE_URL") or (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    result = subprocess.run(
        [
            sys.executable,
            "bench/load/run.py",
            "--users",
            "10",
            "--seconds",
            "10",
            "--label",
            f"ci{os.getpid()}",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": server},
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-3000:]
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["engine"] == "postgresql"
    assert summary["errors"] == 0
    names = {row["name"] for row in summary["per_request"]}
    assert {"GET block editor", "POST autosave", "GET dashboard"} <= names
    assert summary["requests"] >= 50, summary
    assert 0 < summary["p50_ms"] <= summary["p95_ms"]
    assert "load: " in result.stdout and " 0 errors" in result.stdout


def test_the_summary_counts_every_failure_and_reads_percentiles(tmp_path):
    (tmp_path / "locust.json").write_text(
        json.dumps(
            [
                {
                    "name": "autosave",
                    "method": "POST",
                    "num_requests": 10,
                    "num_failures": 1,
                    "response_times": {"10": 5, "20": 4, "900": 1},
                },
                {
                    "name": "dashboard",
                    "method": "GET",
                    "num_requests": 10,
                    "num_failures": 0,
                    "response_times": {"100": 10},
                },
            ]
        )
    )
    summary = summarize(tmp_path / "locust")
    assert summary["requests"] == 20 and summary["errors"] == 1
    # 20 requests: 5 at 10 ms, 4 at 20 ms, 10 at 100 ms, 1 at 900 ms.
    assert summary["p50_ms"] == 100 and summary["p95_ms"] == 100
    autosave = summary["per_request"][0]
    assert autosave["name"] == "POST autosave"
    assert autosave["p50_ms"] == 10 and autosave["p95_ms"] == 900
