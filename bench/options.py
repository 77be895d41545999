"""What a benchmark run measures and what it is held to."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bench.databases import ROOT

TARGET_PAGE_RATIO = 3.0
TARGET_SWEEP_S = 10.0
TARGET_PDF_S = 60.0
TARGET_PDF_MIB = 1024.0
TARGET_PDF_RATIO = 1.3
TARGET_THROUGHPUT = 0.40
HTTP_TARGETS = (("baseline", "coordinator"), ("block_editor", "lead"), ("dashboard", "coordinator"))


@dataclass
class Options:
    sizes: list[int] = field(default_factory=lambda: [10, 500, 2000, 5000])
    pdf_sizes: list[int] = field(default_factory=lambda: [50, 500])
    repeat: int = 20
    page_budget_s: float = 20.0
    http_seconds: float = 20.0
    http_clients: int = 20
    http_processes: int = 2
    output: Path = ROOT / "bench" / "results.md"
    chart: Path = ROOT / "bench" / "page-times.svg"
    raw: Path | None = None  # the run's raw results; var/bench/<output name>.json by default
    database_url: str = ""
    profiles: bool = True
    # The security suite's locust scenario (bench/load/run.py): leads editing, a coordinator.
    scenario_users: int = 50
    scenario_seconds: int = 60

    @property
    def raw_path(self) -> Path:
        return self.raw or ROOT / "var" / "bench" / self.output.with_suffix(".json").name

    @property
    def small(self) -> int:
        return min(self.sizes)

    @property
    def large(self) -> int:
        return max(self.sizes)
