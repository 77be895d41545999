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
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.chart import page_time_svg
from bench.databases import ROOT, Databases, child_env
from bench.measure import PAGE_LABELS, PAGE_USER, PAGES, LoadResult, http_load

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
    database_url: str = ""
    profiles: bool = True

    @property
    def small(self) -> int:
        return min(self.sizes)

    @property
    def large(self) -> int:
        return max(self.sizes)


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- running measurement processes ------------------------------------------------------------


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


# --- HTTP --------------------------------------------------------------------------------------


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


# --- targets and profiles ---------------------------------------------------------------------


def _baseline_key(page: str) -> str:
    return f"baseline_{PAGE_USER[page]}"


def targets(results: dict, options: Options) -> list[dict]:
    """Every target with its measured value and whether it was met."""
    rows = []
    small, large = results["pages"][options.small], results["pages"][options.large]
    for page in PAGES:
        rows.append(
            {
                "key": f"queries:{page}",
                "what": f"{PAGE_LABELS[page]}: same queries at {options.small:,} and "
                f"{options.large:,}",
                "value": f"{small[page]['queries']} / {large[page]['queries']}",
                "met": small[page]["queries"] == large[page]["queries"],
            }
        )
        ratio = large[page]["median_ms"] / large[_baseline_key(page)]["median_ms"]
        rows.append(
            {
                "key": f"time:{page}",
                "what": f"{PAGE_LABELS[page]}: at most {TARGET_PAGE_RATIO:g}× the baseline",
                "value": f"{ratio:.1f}×",
                "met": ratio <= TARGET_PAGE_RATIO,
            }
        )
    first = results["sweep"]["runs"][0]
    rows.append(
        {
            "key": "sweep",
            "what": f"Reminder sweep under {TARGET_SWEEP_S:g} s",
            "value": f"{first['seconds']:.1f} s",
            "met": first["seconds"] < TARGET_SWEEP_S,
        }
    )
    big = str(max(options.pdf_sizes))
    for kind, runs in results["pdf"].get(big, {}).items():
        full, bare = runs["full"], runs["bare"]
        ratio = full["seconds"] / bare["seconds"]
        rows.append(
            {
                "key": f"pdf:{kind}",
                "what": f"{kind.title()} PDF of {int(big):,}: under {TARGET_PDF_S:g} s and 1 GiB, "
                f"within {TARGET_PDF_RATIO:g}× of WeasyPrint",
                "value": f"{full['seconds']:.1f} s, {full['peak_rss_mib']:.0f} MiB, {ratio:.2f}×",
                "met": full["seconds"] < TARGET_PDF_S
                and full["peak_rss_mib"] < TARGET_PDF_MIB
                and ratio <= TARGET_PDF_RATIO,
            }
        )
    base = results["http"]["baseline"]["throughput"]
    for target in ("block_editor", "dashboard"):
        share = results["http"][target]["throughput"] / base if base else 0.0
        rows.append(
            {
                "key": f"http:{target}",
                "what": f"{PAGE_LABELS[target]} throughput at least "
                f"{TARGET_THROUGHPUT:.0%} of the baseline's",
                "value": f"{share:.0%}",
                "met": share >= TARGET_THROUGHPUT,
            }
        )
    return rows


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


# --- the report -------------------------------------------------------------------------------


def _ms(value: float) -> str:
    if value >= 1000:
        return f"{value / 1000:,.1f} s"
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def summary_table(results: dict, options: Options) -> list[str]:
    """The one table: each measurement, what it is compared with, and its target."""
    small, large = options.small, options.large
    met = {row["key"]: row["met"] for row in results["targets"]}

    def ok(*keys: str) -> str:
        return "yes" if all(met.get(k, True) for k in keys) else "**no**"

    lines = [
        f"| Measurement | SQL queries ({small:,} → {large:,} partners) | Time at {large:,} "
        "| Compared with | Ratio | Target met |",
        "|---|---|---|---|---|---|",
    ]
    pages_small, pages_large = results["pages"][small], results["pages"][large]
    for page in PAGES:
        p_small, p_large = pages_small[page], pages_large[page]
        base = pages_large[_baseline_key(page)]
        ratio = p_large["median_ms"] / base["median_ms"]
        lines.append(
            f"| {PAGE_LABELS[page]} ({p_large['user']}), median of {len(p_large['samples_ms'])} "
            f"| {p_small['queries']} → {p_large['queries']} | {_ms(p_large['median_ms'])} "
            f"| baseline {_ms(base['median_ms'])} ({base['queries']} queries) | {ratio:.1f}× "
            f"| {ok(f'queries:{page}', f'time:{page}')} |"
        )
    for i, sweep in enumerate(results["sweep"]["runs"]):
        verdict = ok("sweep") if i == 0 else ok() if sweep["seconds"] < TARGET_SWEEP_S else "no"
        lines.append(
            f"| Reminder sweep, {'first' if i == 0 else 'second'} run "
            f"({sweep['claimed']:,} e-mails) | {sweep['queries']:,} | {sweep['seconds']:.1f} s "
            f"| {TARGET_SWEEP_S:g} s | {sweep['seconds'] / TARGET_SWEEP_S:.2f} "
            f"| {verdict} |"
        )
    for n, kinds in results["pdf"].items():
        for kind, runs in kinds.items():
            full, bare = runs["full"], runs["bare"]
            key = f"pdf:{kind}" if int(n) == max(options.pdf_sizes) else ""
            lines.append(
                f"| {kind.title()} PDF, {int(n):,} partners ({bare['pages']} pages), "
                f"peak {full['peak_rss_mib']:.0f} MiB | – | {full['seconds']:.1f} s "
                f"| WeasyPrint alone {bare['seconds']:.1f} s, {bare['peak_rss_mib']:.0f} MiB "
                f"| {full['seconds'] / bare['seconds']:.2f}× | {ok(key) if key else 'n/a'} |"
            )
    http = results["http"]
    base = http["baseline"]
    for target in ("block_editor", "dashboard"):
        row = http[target]
        lines.append(
            f"| HTTP {PAGE_LABELS[target].lower()}, {options.http_clients} clients, 2 workers: "
            f"{row['throughput']:.0f} req/s, p95 {_ms(row['p95_ms'])} | – "
            f"| median {_ms(row['median_ms'])} | baseline {base['throughput']:.0f} req/s, "
            f"p95 {_ms(base['p95_ms'])} | {row['throughput'] / base['throughput']:.0%} "
            f"| {ok(f'http:{target}')} |"
        )
    return lines


def report(results: dict, options: Options) -> str:
    m = results["machine"]
    load_before = ", ".join(f"{v:.2f}" for v in m["load_before"])
    load_after = ", ".join(f"{v:.2f}" for v in m.get("load_after", ()))
    lines = [
        "# Benchmarks at network scale",
        "",
        "Written by `make bench` (`python -m bench`); every number below comes from one run.",
        'Read DESIGN.md "Scale" for what the portal promises and `bench/README` in the project',
        'README (section "Benchmarks") for how to run it.',
        "",
        "## Machine",
        "",
        "| | |",
        "|---|---|",
        f"| CPU | {m['cpu']}, {m['cores']} cores |",
        f"| Memory | {m['memory']} |",
        f"| System | {m['os']} |",
        f"| Python | {m['python']} |",
        f"| Database | {m['database']} |",
        f"| Date | {m['date']} (commit {m['commit']}) |",
        f"| Load average (1, 5, 15 min) | before {load_before}; after {load_after} |",
        f"| Run time | {results.get('seconds', 0) / 60:.1f} min |",
        "",
        "## Results",
        "",
        *summary_table(results, options),
        "",
        "Server time is measured in process through the Django test client (the whole",
        "middleware stack, the session and the user, no network), after warm-up, the pages",
        "and the baseline page taking turns round after round; the baseline page renders",
        "`base.html` for the same user through the same middleware. Peak memory is the",
        "maximum resident set size of the process that rendered the PDF",
        "(`resource.getrusage(RUSAGE_SELF).ru_maxrss`), one process per PDF. HTTP figures",
        "come from gunicorn (2 sync workers) on 127.0.0.1, the clients in two processes on",
        "the same machine.",
        "",
        "## Targets",
        "",
        "| Target | Measured | Met |",
        "|---|---|---|",
    ]
    for row in results["targets"]:
        lines.append(f"| {row['what']} | {row['value']} | {'yes' if row['met'] else '**no**'} |")
    lines += ["", "## Page time against partner count", ""]
    lines.append(f"![Median page time against partner count]({options.chart.name})")
    lines += ["", "| Page | " + " | ".join(f"{n:,}" for n in options.sizes) + " |"]
    lines.append("|---|" + "---|" * len(options.sizes))
    for key in (*PAGES, "baseline_coordinator", "baseline_lead"):
        label = PAGE_LABELS.get(key) or f"Baseline ({key.split('_')[1]})"
        cells = [
            f"{_ms(row['median_ms'])} ({row['queries']} q)"
            for row in (results["pages"][n][key] for n in options.sizes)
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "## Details", ""]
    gen = ", ".join(f"{int(n):,} partners {s:.0f} s" for n, s in results["generation_s"].items())
    lines.append(f"- Generating the networks (bulk inserts): {gen}.")
    catch_up = results["sweep"]["catch_up"]
    lines.append(
        f"- Before the timed sweeps, the sweeps of earlier days (not timed): "
        f"{catch_up['claimed']:,} reminders claimed and sent, up to the moment the open "
        "version's current stage came due."
    )
    for i, sweep in enumerate(results["sweep"]["runs"]):
        sources = ", ".join(f"{k} {v:,}" for k, v in sweep["by_source"].items())
        lines.append(
            f"- Sweep run {i + 1}: {sweep['considered']:,} reminders due, {sweep['claimed']:,} "
            f"sent ({sources}), {sweep['queries']:,} queries, {sweep['seconds']:.2f} s."
        )
    for n, kinds in results["pdf"].items():
        for kind, runs in kinds.items():
            full, bare = runs["full"], runs["bare"]
            lines.append(
                f"- {kind.title()} PDF at {int(n):,} partners: "
                f"HTML {full['html_bytes'] / 1e6:.1f} MB, "
                f"PDF {full['bytes'] / 1e6:.1f} MB, {bare['pages']} pages; service "
                f"{full['seconds']:.2f} s / {full['peak_rss_mib']:.0f} MiB, WeasyPrint alone "
                f"{bare['seconds']:.2f} s / {bare['peak_rss_mib']:.0f} MiB "
                f"(median of {full['runs']})."
            )
    for target, row in results["http"].items():
        lines.append(
            f"- HTTP {target} ({row['user']}): {row['requests']:,} requests in "
            f"{row['seconds']:.0f} s, {row['errors']} errors, median {_ms(row['median_ms'])}, "
            f"p95 {_ms(row['p95_ms'])}."
        )
    notes = ROOT / "bench" / "notes.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    if results.get("profiles"):
        lines += ["", "## Profiles of the misses in this run", ""]
        for name, text in results["profiles"].items():
            lines += [f"### {PAGE_LABELS.get(name, name)}", "", "```", text.strip(), "```", ""]
    return "\n".join(lines).rstrip() + "\n"


def chart(results: dict, options: Options) -> str:
    series = {}
    for key in (*PAGES, "baseline_coordinator"):
        label = PAGE_LABELS.get(key) or "Baseline"
        series[label] = {n: results["pages"][n][key]["median_ms"] for n in options.sizes}
    return page_time_svg(
        series=series,
        title=f"Median server time by network size ({results['machine']['database']})",
        baseline="Baseline",
    )


def write(results: dict, options: Options) -> str:
    text = report(results, options)
    options.output.write_text(text)
    options.chart.write_text(chart(results, options))
    raw = ROOT / "var" / "bench" / "results.json"
    raw.parent.mkdir(parents=True, exist_ok=True)
    raw.write_text(json.dumps(results, indent=1, default=str))
    return text


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
    )
    results = run(options)
    text = write(results, options)
    print("\n".join(summary_table(results, options)))
    print(f"\nWritten to {options.output} and {options.chart}.")
    return 0 if text else 1


if __name__ == "__main__":
    sys.exit(main())
