"""docker-compose.yml stays a valid compose file with web, worker, beat, db and redis."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_file_has_every_service():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}


def test_compose_file_validates():
    if shutil.which("docker-compose") is None:
        pytest.skip("docker-compose is not installed (CI installs it)")
    result = subprocess.run(
        ["docker-compose", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "SECRET_KEY": "compose-validation"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
