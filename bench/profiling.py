"""cProfile summaries for the measurements that miss their targets."""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import time
from collections.abc import Callable


def _where(key: tuple) -> str:
    filename, line, name = key
    root = os.getcwd() + os.sep
    for marker in ("site-packages" + os.sep, "lib" + os.sep + "python3."):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
            break
    return f"{filename.replace(root, '')}:{line}({name})"


def _is_project(filename: str) -> bool:
    root = os.getcwd() + os.sep
    return (
        filename.startswith(root)
        and os.sep + ".venv" + os.sep not in filename
        and os.sep + "bench" + os.sep not in filename
    )


def profile_summary(call: Callable[[], object], *, top: int = 12) -> str:
    """cProfile of one call: the project's functions by cumulative time (where the time
    goes, in our code) and all functions by own time (what the time is spent on)."""
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
    ours = sorted((r for r in rows if _is_project(r[0][0])), key=lambda r: -r[3])[:top]
    own = sorted(rows, key=lambda r: -r[2])[:top]
    lines = [f"cProfile, {wall:.3f} s under the profiler", ""]
    lines.append("project code by cumulative time:")
    lines += [f"  {ct:8.3f} s cum {nc:8d} calls  {_where(key)}" for key, nc, tt, ct in ours]
    lines += ["", "all code by own time:"]
    lines += [f"  {tt:8.3f} s own {nc:8d} calls  {_where(key)}" for key, nc, tt, ct in own]
    return "\n".join(lines)
