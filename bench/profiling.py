"""cProfile summaries for the measurements that miss their targets."""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import re
import time
from collections.abc import Callable

STDLIB = re.compile(r".*[/\\]python3\.\d+[/\\]")
DRIVERS = ("psycopg2", "sqlite3")


def _where(key: tuple) -> str:
    filename, line, name = key
    root = os.getcwd() + os.sep
    if "site-packages" + os.sep in filename:
        filename = filename.split("site-packages" + os.sep, 1)[1]
    elif filename.startswith(root):
        filename = filename[len(root) :]
    else:
        filename = STDLIB.sub("", filename)
    return f"{filename}:{line}({name})"


def _is_project(filename: str) -> bool:
    root = os.getcwd() + os.sep
    return (
        filename.startswith(root)
        and os.sep + ".venv" + os.sep not in filename
        and not filename.startswith(root + "bench" + os.sep)
    )


def _area(key: tuple) -> str:
    """Where a function's own time goes: SQL in the database driver, the template engine,
    a library, the project's own apps."""
    filename, _, name = key
    if filename == "~":
        return "SQL (database driver)" if any(d in name for d in DRIVERS) else "Python built-ins"
    if "site-packages" + os.sep in filename:
        parts = filename.split("site-packages" + os.sep, 1)[1].split(os.sep)
        if parts[0] == "django" and len(parts) > 2:
            return f"django.{parts[1]}"
        return parts[0].removesuffix(".py")
    if _is_project(filename):
        return "project: " + filename[len(os.getcwd() + os.sep) :].split(os.sep)[0]
    return "Python standard library"


def profile_summary(call: Callable[[], object], *, top: int = 12) -> str:
    """cProfile of one call: own time by area (what the time is spent on), the project's
    functions by cumulative time (where in our code; the wrappers around everything left
    out) and the functions with the most own time."""
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    try:
        call()
    finally:
        profiler.disable()
    wall = time.perf_counter() - started
    stats = pstats.Stats(profiler, stream=io.StringIO()).stats
    rows = [(key, nc, tt, ct) for key, (_, nc, tt, ct, _) in stats.items()]
    total = sum(tt for _, _, tt, _ in rows) or 1.0
    areas: dict[str, float] = {}
    for key, _, tt, _ in rows:
        areas[_area(key)] = areas.get(_area(key), 0.0) + tt
    ours = sorted(
        (r for r in rows if _is_project(r[0][0]) and r[3] < 0.95 * total), key=lambda r: -r[3]
    )[:top]
    own = sorted(rows, key=lambda r: -r[2])[:top]
    lines = [f"cProfile, {wall:.3f} s under the profiler", "", "own time by area:"]
    lines += [
        f"  {tt:8.3f} s {tt / total:4.0%}  {area}"
        for area, tt in sorted(areas.items(), key=lambda item: -item[1])[:8]
    ]
    lines += ["", "project code by cumulative time:"]
    lines += [f"  {ct:8.3f} s cum {nc:8d} calls  {_where(key)}" for key, nc, tt, ct in ours]
    lines += ["", "functions by own time:"]
    lines += [f"  {tt:8.3f} s own {nc:8d} calls  {_where(key)}" for key, nc, tt, ct in own]
    return "\n".join(lines)
