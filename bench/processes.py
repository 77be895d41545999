"""Measurement processes: each task runs in a fresh interpreter on one bench database."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.databases import ROOT, child_env


def run_task(url: str, task: str, *args: str) -> object:
    """``python -m bench.measure <task>`` on one database; its JSON (or text) result."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "out"
        subprocess.run(  # noqa: S603 (our own interpreter and module, fixed arguments)
            [sys.executable, "-m", "bench.measure", task, "--out", str(out), *args],
            cwd=ROOT,
            env=child_env(url),
            check=True,
        )
        text = out.read_text()
    return text if task.startswith("profile") else json.loads(text)


def generate(url: str, partners: int) -> float:
    started = time.perf_counter()
    subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "bench.generate", "--partners", str(partners)],
        cwd=ROOT,
        env=child_env(url),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started
