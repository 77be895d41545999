"""The coordinator dashboard's summary: counts by status, progress, the deadline, the chart."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.utils import timezone
from django.utils.safestring import SafeString

from dashboard.chart import ChartPoint, submissions_chart_svg
from mou.models import MouVersion, RoleBlock
from mou.rules import network_zone
from mou.selectors import blocks_submitted_per_day, version_status_counts


@dataclass(frozen=True)
class StatusCount:
    value: str
    label: str
    count: int
    percent: float
    css: str


@dataclass
class DashboardSummary:
    version: MouVersion
    total: int
    counts: list[StatusCount]
    by_status: dict[str, int]
    done: int
    done_percent: int
    pending: int
    signing_leader_named: int
    deadline: datetime
    days_left: int
    overdue: int
    chart_svg: SafeString
    chart_changes: list[ChartPoint] = field(default_factory=list)
    chart_summary: str = ""

    @property
    def deadline_passed(self) -> bool:
        return self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left

    @property
    def signing_percent(self) -> int:
        return round(100 * self.signing_leader_named / self.total) if self.total else 0


STATUS_CSS = {
    RoleBlock.Status.NOT_STARTED: "not-started",
    RoleBlock.Status.DRAFT: "draft",
    RoleBlock.Status.SUBMITTED: "submitted",
    RoleBlock.Status.CHANGES_REQUESTED: "changes-requested",
    RoleBlock.Status.ACCEPTED: "accepted",
}


def days_until(*, moment: datetime, now: datetime) -> int:
    """Whole calendar days from today to that moment's day, in the network's time zone."""
    zone = network_zone()
    return (timezone.localtime(moment, zone).date() - timezone.localtime(now, zone).date()).days


def dashboard_summary(*, version: MouVersion, now: datetime) -> DashboardSummary:
    """Counts by status, progress, the deadline and the submissions chart (two queries)."""
    totals = version_status_counts(version=version, now=now)
    total = totals["total"]
    counts = [
        StatusCount(
            value=value,
            label=label,
            count=totals[value],
            percent=round(100 * totals[value] / total, 2) if total else 0,
            css=STATUS_CSS[value],
        )
        for value, label in RoleBlock.Status.choices
    ]
    done = totals["done"]
    chart = _submissions_chart(version=version, total=total, now=now)
    return DashboardSummary(
        version=version,
        total=total,
        counts=counts,
        by_status={c.value: c.count for c in counts},
        done=done,
        done_percent=round(100 * done / total) if total else 0,
        pending=totals["owed"],
        # Only names the partner confirmed in this version: a carried-over name in a block
        # nobody has opened yet may be last year's leader.
        signing_leader_named=totals["signing_leader_confirmed"],
        deadline=version.deadline,
        days_left=days_until(moment=version.deadline, now=now),
        overdue=totals["overdue"],
        chart_svg=chart["svg"],
        chart_changes=chart["changes"],
        chart_summary=chart["summary"],
    )


CHART_MAX_DAYS = timedelta(days=3 * 366)


def _day_plus(day: date, delta: timedelta) -> date:
    """Saturating at the calendar's ends, which a stored legacy date can sit at."""
    try:
        return day + delta
    except OverflowError:
        return date.max if delta > timedelta(0) else date.min


def _submissions_chart(*, version: MouVersion, total: int, now: datetime) -> dict:
    """Cumulative submitted blocks per day from the opening to the deadline (one query).

    A block counts from the day of its latest submission while it stands submitted or
    accepted, so the line ends where the "submitted or accepted" count stands."""
    zone = network_zone()
    per_day = blocks_submitted_per_day(version=version, zone=zone)
    today = timezone.localtime(now, zone).date()
    deadline_day = timezone.localtime(version.deadline, zone).date()
    start = min(
        timezone.localtime(version.opened_at or version.created_at, zone).date(), deadline_day
    )
    end = deadline_day
    if per_day:
        start = min(start, min(per_day))
        end = max(end, max(per_day))
    if version.status == MouVersion.Status.OPEN:
        # Past the deadline the line goes on to today: late submissions still count.
        end = max(end, today)
    # A day per point: a deadline decades away (or a year-9999 one stored before dates
    # were bounded) would make millions. The chart shows at most CHART_MAX_DAYS.
    end = min(end, _day_plus(max(today, start), CHART_MAX_DAYS))
    start = max(start, _day_plus(end, -CHART_MAX_DAYS))
    points = submissions_cumulative(per_day=per_day, start=start, end=end)
    svg = submissions_chart_svg(
        points=points,
        total=total,
        deadline_day=deadline_day,
        today=today,
    )
    shown = [p for p in points if p.day <= today] or points[:1]
    changes = [p for i, p in enumerate(shown) if i == 0 or p.count != shown[i - 1].count]
    latest = shown[-1].count if shown else 0
    summary = (
        f"{latest} of {total} blocks submitted by {shown[-1].day:%B %-d, %Y}."
        if shown
        else f"No blocks submitted yet; {total} expected."
    )
    return {"svg": svg, "changes": changes, "summary": summary}


def submissions_cumulative(
    *, per_day: Mapping[date, int], start: date, end: date
) -> list[ChartPoint]:
    points: list[ChartPoint] = []
    running = sum(n for day, n in per_day.items() if day < start)
    day = start
    while day <= end:
        running += per_day.get(day, 0)
        points.append(ChartPoint(day=day, count=running))
        day += timedelta(days=1)
    return points
