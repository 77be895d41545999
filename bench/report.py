"""The report of a run: the one table, ``bench/results.md`` and the chart."""

from __future__ import annotations

from bench.chart import page_time_svg
from bench.databases import ROOT
from bench.measure import PAGE_LABELS, PAGES
from bench.options import TARGET_SWEEP_S, Options
from bench.targets import baseline_key


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
        base = pages_large[baseline_key(page)]
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
    scenario = results.get("scenario")
    if scenario:
        lines.append(
            f"| Load scenario (bench/load, locust): {scenario['users']} leads editing and a "
            f"coordinator, {scenario['seconds']} s, {scenario['engine']} | – "
            f"| p50 {_ms(scenario['p50_ms'])}, p95 {_ms(scenario['p95_ms'])} "
            f"| {scenario['requests']:,} requests | {scenario['errors']} errors "
            f"| {'yes' if scenario['errors'] == 0 else '**no**'} |"
        )
    return lines


def hostile_markdown_lines(hostile: dict | None, options: Options) -> list[str]:
    """Markdown written to be slow: each input converted (once, when saved), and the whole
    MOU page with a block full of the slowest ones (which reads the stored HTML)."""
    if not hostile:
        return []
    lines = ["", "### Hostile Markdown", ""]
    lines += ["| Input | Characters | Conversion | HTML |", "|---|---|---|---|"]
    for name, row in hostile["inputs"].items():
        lines.append(
            f"| `{name}` | {row['chars']:,} | {_ms(row['seconds'] * 1000)} "
            f"| {row['html_bytes'] / 1e3:.0f} kB |"
        )
    fields = ", ".join(f"{field}: `{name}`" for field, name in hostile["block_fields"].items())
    page = hostile["document"]
    lines += [
        "",
        f"- One block at {options.large:,} partners saved with {fields}: the save (which "
        f"converts them) {hostile['block_save_s']:.2f} s; the whole MOU page then "
        f"{_ms(page['median_ms'])} for the {page['user']} ({page['bytes'] / 1e6:.1f} MB, "
        f"status {page['status']}).",
    ]
    return lines


def report(results: dict, options: Options) -> str:
    m = results["machine"]
    load_before = ", ".join(f"{v:.2f}" for v in m["load_before"])
    load_after = ", ".join(f"{v:.2f}" for v in m.get("load_after", ()))
    lines = [
        "# Benchmarks at network scale",
        "",
        "Written by `make bench` (`python -m bench`); every number below comes from one run.",
        'What the portal promises is in DESIGN.md "Scale"; how to run this, in the README',
        '(section "Benchmarks"); why each missed target is missed, at the end.',
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
    lines += hostile_markdown_lines(results.get("hostile_markdown"), options)
    scenario = results.get("scenario")
    if scenario:
        kinds = "; ".join(
            f"{row['name']} {row['requests']:,} (p50 {_ms(row['p50_ms'])}, "
            f"p95 {_ms(row['p95_ms'])}, {row['errors']} errors)"
            for row in scenario["per_request"]
        )
        lines.append(f"- Load scenario (its own network of {scenario['users']} partners): {kinds}.")
    notes = ROOT / "bench" / "notes.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    if results.get("profiles"):
        lines += ["", "## Profiles of the misses in this run", ""]
        for name, text in results["profiles"].items():
            label = PAGE_LABELS.get(name) or {"sweep": "Reminder sweep"}.get(name, name)
            lines += [f"### {label}", "", "```", text.strip(), "```", ""]
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
