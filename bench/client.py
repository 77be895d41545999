"""A small threaded HTTP client for the load measurement: it needs no Django, so the
driver runs it against gunicorn in plain processes."""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field


@dataclass
class LoadResult:
    target: str
    clients: int
    seconds: float
    requests: int
    errors: int
    latencies_ms: list[float] = field(default_factory=list, repr=False)

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def p95_ms(self) -> float:
        return percentile(self.latencies_ms, 95)

    @property
    def median_ms(self) -> float:
        return percentile(self.latencies_ms, 50)


def percentile(values: list[float], pct: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    # The nearest-rank percentile: the smallest value with pct % of the values at or below it.
    rank = max(0, min(len(ordered) - 1, math.ceil(pct / 100 * len(ordered)) - 1))
    return ordered[rank]


def http_load(
    *,
    host: str,
    port: int,
    path: str,
    cookie: str | None = None,
    clients: int = 20,
    seconds: float = 20.0,
    target: str = "",
) -> LoadResult:
    """``clients`` threads, each asking for ``path`` again and again for ``seconds``
    (a new connection per request: gunicorn's sync workers close each one). Counts the
    requests answered with 200 inside the window and their latencies."""
    import http.client

    headers = {"Host": f"{host}:{port}", "Cookie": cookie} if cookie else {"Host": host}
    deadline = time.perf_counter() + seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors = [0]

    def worker():
        mine, bad = [], 0
        while True:
            started = time.perf_counter()
            if started >= deadline:
                break
            try:
                conn = http.client.HTTPConnection(host, port, timeout=60)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                ok = response.status == 200
            except OSError:
                ok = False
            finished = time.perf_counter()
            if finished > deadline:
                break
            if ok:
                mine.append((finished - started) * 1000)
            else:
                bad += 1
        with lock:
            latencies.extend(mine)
            errors[0] += bad

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = min(time.perf_counter(), deadline) - started
    return LoadResult(
        target=target,
        clients=clients,
        seconds=elapsed,
        requests=len(latencies),
        errors=errors[0],
        latencies_ms=latencies,
    )
