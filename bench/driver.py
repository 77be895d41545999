"""``make bench``: build synthetic networks, measure, print one table, write
``bench/results.md`` and ``bench/page-times.svg``.

Every measurement runs in its own process on its own throwaway database (see
``bench.databases``): the embedded SQLite by default, PostgreSQL when DATABASE_URL names
one. Steps:

1. migrate an empty database once, copy it for each network size, fill each copy with
   ``bench.generate``;
2. key pages at each size, in process through the Django test client (``bench.measure``),
   with the baseline page in the same rounds;
3. the reminder sweep twice on a copy of the largest network;
4. the draft and executed PDFs, the portal's service and WeasyPrint alone, one process
   each (peak memory is the process's maximum resident set size);
5. HTTP throughput with gunicorn (2 workers) on 127.0.0.1 under concurrent clients;
6. a cProfile summary of each measurement that misses its target.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.databases import ROOT, Databases
from bench.measure import PAGES
from bench.options import Options
from bench.processes import generate, run_task
from bench.report import chart, report, summary_table
from bench.serve import http_measure, scenario_run
from bench.targets import targets


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def executed_pdf_available() -> bool:
    return (ROOT / "mou" / "services" / "executed.py").exists()


# --- the machine ------------------------------------------------------------------------------


def machine(databases: Databases) -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    git = ["git", "rev-parse", "--short", "HEAD"]
    commit = subprocess.run(git, cwd=ROOT, capture_output=True, text=True)  # noqa: S603, S607
    commit = commit.stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "database": databases.version(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": commit or "unknown",
        "load_before": os.getloadavg(),
    }


# --- the run ----------------------------------------------------------------------------------


def run(options: Options) -> dict:
    databases = Databases(options.database_url)
    results: dict = {"machine": machine(databases), "options": _options_dict(options)}
    log(f"{databases.engine}: {results['machine']['database']}")
    started = time.perf_counter()

    log("migrating an empty database")
    databases.create_migrated("empty")
    urls, generation = {}, {}
    for n in sorted(set(options.sizes) | set(options.pdf_sizes)):
        urls[n] = databases.clone("empty", f"n{n}")
        generation[n] = generate(urls[n], n)
        log(f"{n} partners generated in {generation[n]:.1f} s")
    results["generation_s"] = generation

    pages = {}
    for n in options.sizes:
        log(f"pages at {n} partners")
        pages[n] = run_task(
            urls[n],
            "pages",
            "--repeat",
            str(options.repeat),
            "--budget",
            str(options.page_budget_s),
        )
    results["pages"] = pages

    log(f"reminder sweep at {options.large} partners")
    sweep_url = databases.clone(f"n{options.large}", "sweep")
    sweep = run_task(sweep_url, "sweep")
    results["sweep"] = {"catch_up": sweep[0], "runs": sweep[1:]}
    databases.drop("sweep")

    log(f"hostile Markdown, and the whole MOU with a block full of it, at {options.large} partners")
    hostile_url = databases.clone(f"n{options.large}", "hostile")
    results["hostile_markdown"] = run_task(hostile_url, "hostile-markdown")
    databases.drop("hostile")

    kinds = ["draft"] + (["executed"] if executed_pdf_available() else [])
    pdf: dict = {}
    for n in options.pdf_sizes:
        for kind in kinds:
            runs = {}
            for mode in ("full", "bare"):
                repeats = 3 if n <= 100 else 1
                measured = [
                    run_task(urls[n], "pdf", "--kind", kind, "--mode", mode) for _ in range(repeats)
                ]
                runs[mode] = {
                    **min(measured, key=lambda r: r["seconds"]),
                    "seconds": statistics.median(r["seconds"] for r in measured),
                    "peak_rss_mib": max(r["peak_rss_mib"] for r in measured),
                    "runs": len(measured),
                }
            pdf.setdefault(str(n), {})[kind] = runs
            log(
                f"{kind} PDF at {n} partners: {runs['full']['seconds']:.1f} s "
                f"(WeasyPrint alone {runs['bare']['seconds']:.1f} s)"
            )
    results["pdf"] = pdf

    log(f"HTTP load at {options.large} partners")
    results["http"] = http_measure(urls[options.large], options)

    if options.scenario_users > 0:
        log(f"load scenario: {options.scenario_users} leads for {options.scenario_seconds} s")
        results["scenario"] = scenario_run(options)

    results["targets"] = targets(results, options)
    if options.profiles:
        results["profiles"] = profiles(results, options, databases, urls)
    results["machine"]["load_after"] = os.getloadavg()
    results["seconds"] = time.perf_counter() - started
    for n in list(urls) + ["empty"]:
        databases.drop(f"n{n}" if n != "empty" else "empty")
    return results


def _options_dict(options: Options) -> dict:
    return {
        "sizes": options.sizes,
        "pdf_sizes": options.pdf_sizes,
        "repeat": options.repeat,
        "http_seconds": options.http_seconds,
        "http_clients": options.http_clients,
    }


# --- profiles ----------------------------------------------------------------------------------


def profiles(results: dict, options: Options, databases: Databases, urls: dict) -> dict:
    """A cProfile summary for each missed target that a profile can explain."""
    out = {}
    missed = {row["key"] for row in results["targets"] if not row["met"]}
    large_url = urls[options.large]
    for page in PAGES:
        if f"time:{page}" in missed or f"http:{page}" in missed:
            log(f"profiling {page} at {options.large} partners")
            out[page] = run_task(large_url, "profile-page", "--page", page)
    if "sweep" in missed:
        log("profiling the sweep")
        url = databases.clone(f"n{options.large}", "sweep")
        out["sweep"] = run_task(url, "profile-sweep")
        databases.drop("sweep")
    return out


# --- the command -------------------------------------------------------------------------------


def write(results: dict, options: Options) -> str:
    text = report(results, options)
    options.output.write_text(text)
    options.chart.write_text(chart(results, options))
    options.raw_path.parent.mkdir(parents=True, exist_ok=True)
    options.raw_path.write_text(json.dumps(results, indent=1, default=str))
    return text


def reread(options: Options) -> dict:
    """The raw results of the last run written to ``options.output`` (kept under var/bench/),
    to write its report again (after bench/notes.md changed) without measuring again."""
    results = json.loads(options.raw_path.read_text())
    results["pages"] = {int(n): pages for n, pages in results["pages"].items()}
    options.sizes = sorted(results["pages"])
    options.pdf_sizes = sorted(int(n) for n in results["pdf"])
    return results


def _sizes(text: str) -> list[int]:
    return sorted({int(part) for part in text.split(",") if part.strip()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmarks at network scale.")
    parser.add_argument("--sizes", type=_sizes, default=[10, 500, 2000, 5000])
    parser.add_argument("--pdf-sizes", type=_sizes, default=[50, 500])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--page-budget", type=float, default=20.0)
    parser.add_argument("--http-seconds", type=float, default=20.0)
    parser.add_argument("--http-clients", type=int, default=20)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--no-profiles", action="store_true")
    parser.add_argument(
        "--scenario-users", type=int, default=50, help="leads in bench/load (0: skip it)"
    )
    parser.add_argument("--scenario-seconds", type=int, default=60)
    parser.add_argument(
        "--report-only", action="store_true", help="write the last run's report again"
    )
    args = parser.parse_args(argv)
    options = Options(
        sizes=args.sizes,
        pdf_sizes=args.pdf_sizes,
        repeat=args.repeat,
        page_budget_s=args.page_budget,
        http_seconds=args.http_seconds,
        http_clients=args.http_clients,
        output=args.output,
        chart=args.output.with_name(args.output.stem.replace("results", "page-times") + ".svg"),
        database_url=os.environ.get("DATABASE_URL", ""),
        profiles=not args.no_profiles,
        scenario_users=args.scenario_users,
        scenario_seconds=args.scenario_seconds,
    )
    results = reread(options) if args.report_only else run(options)
    text = write(results, options)
    print("\n".join(summary_table(results, options)))
    print(f"\nWritten to {options.output} and {options.chart}.")
    return 0 if text else 1


if __name__ == "__main__":
    sys.exit(main())
