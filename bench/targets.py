"""The targets of issue 10 (DESIGN.md "Scale"), judged on one run's results."""

from __future__ import annotations

from bench.measure import PAGE_LABELS, PAGE_USER, PAGES
from bench.options import (
    TARGET_PAGE_RATIO,
    TARGET_PDF_MIB,
    TARGET_PDF_RATIO,
    TARGET_PDF_S,
    TARGET_SWEEP_S,
    TARGET_THROUGHPUT,
    Options,
)


def baseline_key(page: str) -> str:
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
        ratio = large[page]["median_ms"] / large[baseline_key(page)]["median_ms"]
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
