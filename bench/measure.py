"""The measurements of ``make bench``. Each runs inside one Django process bound to one
generated network; the driver (``bench.driver``) starts a process per task:

    python -m bench.measure pages --out pages.json
    python -m bench.measure sweep --out sweep.json
    python -m bench.measure pdf --kind draft --mode full --out pdf.json
    python -m bench.measure sessions --out sessions.json
    python -m bench.measure profile-page --page dashboard --out profile.txt

The functions are importable too (the tests call them on tiny networks).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import os
import pstats
import resource
import statistics
import sys
import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

# The key pages, each with who looks at it (the lead pages are measured as a partner lead).
PAGES = ("dashboard", "partner_home", "block_editor", "document", "matrix", "meetings")
PAGE_LABELS = {
    "dashboard": "Dashboard",
    "partner_home": "Partner home",
    "block_editor": "Block editor",
    "document": "Whole MOU",
    "matrix": "Matrix grid",
    "meetings": "Meetings list",
    "baseline": "Baseline",
}
PAGE_USER = {
    "dashboard": "coordinator",
    "partner_home": "lead",
    "block_editor": "lead",
    "document": "coordinator",
    "matrix": "coordinator",
    "meetings": "coordinator",
}


# --- counting queries -------------------------------------------------------------------------


class QueryCounter:
    """Counts SQL statements through a connection execute wrapper: cheap enough to leave on
    while timing (unlike the debug cursor, it keeps no SQL text)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


@contextmanager
def counting_queries():
    from django.db import connection

    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        yield counter


# --- the probe: who and what each page is measured with ---------------------------------------


@dataclass
class Probe:
    coordinator_id: int
    lead_id: int
    version_id: int
    frozen_version_id: int | None
    block_id: int
    partners: int

    def url(self, page: str) -> str:
        from django.urls import reverse

        return {
            "baseline": reverse("bench_baseline"),
            "dashboard": reverse("dashboard:index"),
            "partner_home": reverse("home"),
            "block_editor": reverse(
                "mou:block", kwargs={"version_pk": self.version_id, "pk": self.block_id}
            ),
            "document": reverse("mou:document", kwargs={"pk": self.version_id}),
            "matrix": reverse("needs_matrix:grid"),
            "meetings": reverse("meetings:list"),
        }[page]


def probe_find() -> Probe:
    """The open version, a coordinator, and the lead of a draft block in the middle of the
    alphabet (a page of the dashboard that is neither the first nor the last)."""
    from core.models import User
    from mou.models import MouVersion, RoleBlock
    from partnership.models import Membership, Partner

    version = MouVersion.objects.filter(status=MouVersion.Status.OPEN).order_by("-number").first()
    if version is None:
        raise RuntimeError("No open MOU version: generate a network first (bench.generate).")
    frozen = MouVersion.objects.filter(status=MouVersion.Status.FROZEN).order_by("-number").first()
    drafts = RoleBlock.objects.filter(version=version, status=RoleBlock.Status.DRAFT).order_by(
        "partner__name", "pk"
    )
    total = drafts.count()
    block = drafts[total // 2]
    lead = (
        Membership.objects.filter(partner_id=block.partner_id, role=Membership.Role.LEAD)
        .order_by("pk")
        .first()
        .user_id
    )
    coordinator = User.objects.filter(is_coordinator=True, is_active=True).order_by("pk").first()
    return Probe(
        coordinator_id=coordinator.pk,
        lead_id=lead,
        version_id=version.pk,
        frozen_version_id=frozen.pk if frozen else None,
        block_id=block.pk,
        partners=Partner.objects.count(),
    )


def _clients(probe: Probe) -> dict:
    from django.test import Client

    from core.models import User

    clients = {}
    for role, pk in (("coordinator", probe.coordinator_id), ("lead", probe.lead_id)):
        client = Client()
        client.force_login(User.objects.get(pk=pk))
        clients[role] = client
    return clients


# --- pages ------------------------------------------------------------------------------------


@dataclass
class PageResult:
    page: str
    user: str
    url: str
    status: int
    queries: int
    bytes: int
    samples_ms: list[float] = field(default_factory=list)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.samples_ms)


def _get(client, url: str):
    started = time.perf_counter()
    response = client.get(url)
    return response, (time.perf_counter() - started) * 1000


def pages_measure(
    *,
    probe: Probe | None = None,
    pages: tuple[str, ...] = PAGES,
    repeat: int = 20,
    warmup: int = 3,
    budget_s: float = 20.0,
    min_repeat: int = 5,
) -> dict[str, PageResult]:
    """Server time of each page through the Django test client (in process: the whole
    middleware stack, no network), and its SQL query count.

    Every page is requested ``warmup`` times first. Then the pages (and the baseline page,
    once as the coordinator and once as the lead) are requested in turn, round after round,
    so a busy moment of the machine falls on all of them alike. A page slower than
    ``budget_s / repeat`` seconds is repeated fewer times (at least ``min_repeat``).
    """
    probe = probe or probe_find()
    clients = _clients(probe)
    plan = [(page, PAGE_USER[page]) for page in pages]
    plan += [("baseline", "coordinator"), ("baseline", "lead")]
    results: dict[str, PageResult] = {}
    for page, role in plan:
        key = page if page != "baseline" else f"baseline_{role}"
        url = probe.url(page)
        for n in range(warmup):
            response, took = _get(clients[role], url)
            if took > 1000 and n:  # a slow page is warm after two requests
                break
        with counting_queries() as counter:
            response = clients[role].get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code} for the {role}")
        results[key] = PageResult(
            page=page,
            user=role,
            url=url,
            status=response.status_code,
            queries=counter.count,
            bytes=len(response.content),
        )
        results[key].samples_ms.append(took)
    rounds = {
        key: max(min_repeat, min(repeat, int(budget_s * 1000 / max(r.samples_ms[0], 1))))
        for key, r in results.items()
    }
    for key in results:
        results[key].samples_ms.clear()
    for n in range(repeat):
        for key, result in results.items():
            if n < rounds[key]:
                _, took = _get(clients[result.user], result.url)
                result.samples_ms.append(took)
    return results


# --- the reminder sweep -----------------------------------------------------------------------


@dataclass
class SweepRun:
    seconds: float
    queries: int
    claimed: int
    considered: int
    by_source: dict


def sweep_catch_up() -> SweepRun:
    """Bring the network to the moment just before the open version's current reminder
    stage came due, as the sweeps of earlier days would have (not timed): every reminder
    due before then is claimed and sent. The next sweep then has one network-wide stage
    to send (every pending block's leads, "a week before the deadline") and the action
    items whose stage came due since: a sweep's busiest moment, not a first run ever."""
    from datetime import timedelta

    from core.services.reminders import reminders_sweep, schedule_spec, stage_current
    from mou.models import MouVersion

    version = MouVersion.objects.filter(status=MouVersion.Status.OPEN).order_by("-number")[0]
    stage = stage_current(
        deadline=version.deadline, spec=schedule_spec(version), now=timezone_now()
    )
    if stage is None:
        raise RuntimeError("The open version has no reminder stage due yet.")
    with counting_queries() as counter:
        started = time.perf_counter()
        result = reminders_sweep(now=stage.due_at - timedelta(minutes=1))
        seconds = time.perf_counter() - started
    return SweepRun(
        seconds=seconds,
        queries=counter.count,
        claimed=result.claimed,
        considered=result.considered,
        by_source=dict(result.by_source),
    )


def timezone_now():
    from django.utils import timezone

    return timezone.now()


def sweep_measure(*, runs: int = 2, catch_up: bool = True) -> list[SweepRun]:
    """The reminder sweep as the periodic task runs it, then again (nothing left to send),
    after the catch-up of earlier days (``sweep_catch_up``, returned first). The outbox
    hands its messages to the (in-process) broker after each commit, as in production;
    delivery is a worker's job and is not part of the sweep."""
    from core.services.reminders import reminders_sweep

    out = [sweep_catch_up()] if catch_up else []
    for _ in range(runs):
        with counting_queries() as counter:
            started = time.perf_counter()
            result = reminders_sweep()
            seconds = time.perf_counter() - started
        out.append(
            SweepRun(
                seconds=seconds,
                queries=counter.count,
                claimed=result.claimed,
                considered=result.considered,
                by_source=dict(result.by_source),
            )
        )
    return out


# --- PDFs ----------------------------------------------------------------------------------------


class _Captured(Exception):
    pass


def pdf_html(render: Callable[[], bytes]) -> tuple[str, object]:
    """The HTML and URL fetcher a PDF service hands WeasyPrint: the service runs as usual
    (queries, template) until it calls ``weasyprint.HTML``, which is caught."""
    import weasyprint

    captured = {}
    real = weasyprint.HTML

    def catch(*args, **kwargs):
        captured.update(kwargs)
        raise _Captured

    weasyprint.HTML = catch
    try:
        render()
    except _Captured:
        pass
    finally:
        weasyprint.HTML = real
    if "string" not in captured:
        raise RuntimeError("The PDF service did not hand WeasyPrint an HTML string.")
    return captured["string"], captured.get("url_fetcher")


def pdf_renderer(kind: str) -> Callable[[], bytes]:
    """The portal's PDF service for ``kind`` ("draft" or "executed"), on the probe's data."""
    from mou.models import MouVersion

    if kind == "draft":
        from mou.services.pdf import document_pdf_bytes

        version = MouVersion.objects.filter(status=MouVersion.Status.OPEN).order_by("-number")[0]
        return lambda: document_pdf_bytes(version=version)
    if kind == "executed":
        from mou.models import FrozenMou
        from mou.services.executed import executed_pdf_bytes

        frozen = FrozenMou.objects.order_by("-frozen_at").first()
        if frozen is None:
            raise RuntimeError("No frozen MOU in this network.")
        return lambda: executed_pdf_bytes(frozen=frozen)
    raise ValueError(f"Unknown PDF kind {kind!r}")


def _weasyprint_warm() -> None:
    """Load WeasyPrint, its fonts and its CSS machinery once, so neither mode pays for it."""
    from weasyprint import HTML

    HTML(string="<p>warm</p>").write_pdf()


@dataclass
class PdfRun:
    kind: str
    mode: str
    seconds: float
    bytes: int
    pages: int  # counted in the bare mode only
    peak_rss_mib: float
    html_bytes: int


def pdf_measure(*, kind: str, mode: str) -> PdfRun:
    """One PDF, timed: ``full`` is the portal's service (queries, template, WeasyPrint),
    ``bare`` is WeasyPrint alone on the same HTML with the same URL fetcher. Peak memory
    is this process's maximum resident set size (``resource.getrusage(RUSAGE_SELF)
    .ru_maxrss``): run one measurement per process."""
    from weasyprint import HTML

    _weasyprint_warm()
    render = pdf_renderer(kind)
    html, fetcher = pdf_html(render)
    pages = 0
    if mode == "full":
        started = time.perf_counter()
        data = render()
    elif mode == "bare":
        # write_pdf() is render().write_pdf(): the same work, and the page count on the way.
        started = time.perf_counter()
        document = HTML(string=html, url_fetcher=fetcher).render()
        data = document.write_pdf()
        pages = len(document.pages)
    else:
        raise ValueError(f"Unknown mode {mode!r}")
    seconds = time.perf_counter() - started
    return PdfRun(
        kind=kind,
        mode=mode,
        seconds=seconds,
        bytes=len(data),
        pages=pages,
        peak_rss_mib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        html_bytes=len(html.encode()),
    )


# --- sessions for the HTTP load ----------------------------------------------------------------


def sessions_make(probe: Probe | None = None) -> dict:
    """Signed-in session cookies (stored in the database) for the coordinator and the lead,
    and the addresses the HTTP load asks for."""
    from django.conf import settings

    probe = probe or probe_find()
    clients = _clients(probe)
    cookie = settings.SESSION_COOKIE_NAME
    return {
        "cookie_name": cookie,
        "coordinator": clients["coordinator"].cookies[cookie].value,
        "lead": clients["lead"].cookies[cookie].value,
        "urls": {
            "baseline": probe.url("baseline"),
            "dashboard": probe.url("dashboard"),
            "block_editor": probe.url("block_editor"),
        },
    }


# --- HTTP load ---------------------------------------------------------------------------------


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


# --- profiles ---------------------------------------------------------------------------------


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


def profile_page(page: str) -> str:
    probe = probe_find()
    client = _clients(probe)[PAGE_USER.get(page, "coordinator")]
    url = probe.url(page)
    client.get(url)
    return profile_summary(lambda: client.get(url))


# --- command line -----------------------------------------------------------------------------


def _dump(obj) -> object:
    if isinstance(obj, dict):
        return {k: _dump(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_dump(v) for v in obj]
    if hasattr(obj, "__dataclass_fields__"):
        return asdict(obj)
    return obj


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="One benchmark measurement.")
    parser.add_argument(
        "task", choices=["pages", "sweep", "pdf", "sessions", "profile-page", "profile-sweep"]
    )
    parser.add_argument("--out", required=True)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--budget", type=float, default=20.0)
    parser.add_argument("--kind", default="draft")
    parser.add_argument("--mode", default="full")
    parser.add_argument("--page", default="dashboard")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    if args.task == "pages":
        result = pages_measure(repeat=args.repeat, budget_s=args.budget)
        data = {key: {**asdict(r), "median_ms": r.median_ms} for key, r in result.items()}
    elif args.task == "sweep":
        data = _dump(sweep_measure())
    elif args.task == "pdf":
        data = _dump(pdf_measure(kind=args.kind, mode=args.mode))
    elif args.task == "sessions":
        data = sessions_make()
    elif args.task == "profile-page":
        data = profile_page(args.page)
    else:
        from core.services.reminders import reminders_sweep

        sweep_catch_up()
        data = profile_summary(reminders_sweep)
    with open(args.out, "w") as handle:
        if isinstance(data, str):
            handle.write(data)
        else:
            json.dump(data, handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
