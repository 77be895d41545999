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


def test_web_and_worker_have_healthchecks_that_ask_the_real_thing():
    services = yaml.safe_load((ROOT / "docker-compose.yml").read_text())["services"]
    web = " ".join(services["web"]["healthcheck"]["test"])
    assert "http://127.0.0.1:8000/healthz" in web
    worker = services["worker"]
    # The worker pings its own node, so its hostname must be the one the check names.
    assert "--hostname=celery@%h" in worker["command"]
    assert "inspect ping --destination celery@$$HOSTNAME" in " ".join(worker["healthcheck"]["test"])
    # The web and worker start only once the database and the broker are up.
    for name in ("db", "redis"):
        assert services[name]["healthcheck"]["test"]
        assert services["web"]["depends_on"][name]["condition"] == "service_healthy"
