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
import json
import os
import statistics
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field

from bench.pdfs import pdf_measure
from bench.profiling import profile_summary

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


# --- profiles ----------------------------------------------------------------------------------


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
        "task",
        choices=[
            "pages", "sweep", "pdf", "sessions", "profile-page", "profile-sweep",
            "hostile-markdown",
        ],
    )  # fmt: skip
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
    elif args.task == "hostile-markdown":
        from bench.hostile_markdown import hostile_markdown_measure

        data = hostile_markdown_measure()
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
