"""The dashboard's reads: counts, filters, sorts, the chart and the countdown."""

from datetime import UTC, date, timedelta

import pytest
import time_machine
from django.utils import timezone

from core.actor import Actor
from core.models import Event
from dashboard import selectors
from dashboard.chart import ChartPoint, submissions_chart_svg
from mou.models import RoleBlock
from tests import factories
from tests.dashboard.conftest import EXTENSION_DAYS, network_time

pytestmark = pytest.mark.django_db

NAMES = {
    "changes": "Salem-Keizer School District",
    "submitted": "Chemeketa Community College",
    "not_started": "Gilbert House Children's Museum",
    "draft": "Garmin AT",
    "accepted": "Willamette University",
    "extended": "Marion County Food Share",
}


def names(rows) -> list[str]:
    return [block.partner.name for block in rows]


def rows(network, now=None, **filters) -> list[str]:
    return names(
        selectors.dashboard_rows(
            version=network.version, filters=filters, now=now or timezone.now()
        )
    )


# --- the summary ------------------------------------------------------------------------------


def test_counts_match_the_hand_built_network(network):
    summary = selectors.dashboard_summary(version=network.version, now=timezone.now())
    assert summary.total == 6
    assert summary.by_status == {
        "not_started": 2,
        "draft": 1,
        "submitted": 1,
        "changes_requested": 1,
        "accepted": 1,
    }
    assert summary.done == 2 and summary.done_percent == 33
    assert summary.pending == 4
    assert summary.signing_leader_named == 3 and summary.signing_percent == 50
    assert summary.overdue == 0
    assert [c.percent for c in summary.counts] == [33.33, 16.67, 16.67, 16.67, 16.67]


def test_counts_run_in_two_queries(network, django_assert_num_queries):
    with django_assert_num_queries(2):
        selectors.dashboard_summary(version=network.version, now=timezone.now())


def test_days_left_counts_calendar_days_in_the_network_time_zone(network):
    deadline = network.deadline  # 23:59 on October 15, network time
    ten_days_before = network_time(deadline.year, 10, 5, 0, 30)
    summary = selectors.dashboard_summary(version=network.version, now=ten_days_before)
    assert summary.days_left == 10
    # 06:00 UTC on October 16 is still October 15 in Oregon: the deadline day itself.
    utc_next_day = network_time(deadline.year, 10, 15, 23, 0).astimezone(UTC)
    assert selectors.days_until(moment=deadline, now=utc_next_day) == 0
    three_days_after = deadline + timedelta(days=3)
    summary = selectors.dashboard_summary(version=network.version, now=three_days_after)
    assert summary.days_left == -3 and summary.deadline_passed and summary.days_overdue == 3


def test_overdue_count_respects_the_extension(network):
    after = network.deadline + timedelta(days=3)
    assert selectors.dashboard_summary(version=network.version, now=after).overdue == 3
    after_extension = network.deadline + timedelta(days=EXTENSION_DAYS + 1)
    assert selectors.dashboard_summary(version=network.version, now=after_extension).overdue == 4


def test_chart_line_ends_at_the_submitted_or_accepted_count(network):
    summary = selectors.dashboard_summary(version=network.version, now=timezone.now())
    assert summary.chart_changes[-1].count == summary.done == 2
    svg = str(summary.chart_svg)
    assert 'role="img"' in svg and "<title" in svg and "<desc" in svg
    assert "2 of 6 submitted so far" in svg


def test_submissions_are_cumulative_per_day():
    start = date(2026, 9, 1)
    points = selectors.submissions_cumulative(
        per_day={date(2026, 9, 2): 2, date(2026, 9, 4): 1}, start=start, end=date(2026, 9, 5)
    )
    assert [p.count for p in points] == [0, 2, 2, 3, 3]
    assert points[0].day == start and points[-1].day == date(2026, 9, 5)


def test_chart_svg_escapes_and_marks_deadline_and_today():
    points = [ChartPoint(day=date(2026, 9, d), count=c) for d, c in ((1, 0), (2, 1), (3, 1))]
    svg = str(
        submissions_chart_svg(
            points=points, total=4, deadline_day=date(2026, 9, 3), today=date(2026, 9, 2)
        )
    )
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert ">Deadline<" in svg and ">Today<" in svg and "All 4 blocks" in svg
    assert "1 of 4 submitted so far" in svg


# --- the table --------------------------------------------------------------------------------


def test_default_order_is_by_partner_name(network):
    assert rows(network) == sorted(NAMES.values())


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("not_started", ["not_started", "extended"]),
        ("draft", ["draft"]),
        ("submitted", ["submitted"]),
        ("changes_requested", ["changes"]),
        ("accepted", ["accepted"]),
    ],
)
def test_filter_by_status(network, status, expected):
    assert rows(network, status=status) == sorted(NAMES[k] for k in expected)


def test_filter_by_kind(network):
    assert rows(network, kind="college") == [NAMES["submitted"], NAMES["accepted"]]
    assert rows(network, kind="funder") == []


def test_filter_by_workgroup(network):
    assert rows(network, workgroup=str(network.workgroup.pk)) == [
        NAMES["not_started"],
        NAMES["changes"],
    ]


def test_filter_by_search_on_the_partner_name(network):
    assert rows(network, q="  salem ") == [NAMES["changes"]]
    assert rows(network, q="UNIVERSITY") == [NAMES["accepted"]]
    assert rows(network, q="nobody by this name") == []


def test_filters_combine(network):
    assert rows(network, kind="college", status="submitted") == [NAMES["submitted"]]


def test_overdue_before_the_deadline_is_empty(network):
    assert rows(network, now=network.deadline - timedelta(hours=1), overdue="on") == []


def test_overdue_after_the_deadline_is_the_pending_blocks_without_an_extension(network):
    after = network.deadline + timedelta(days=3)
    with time_machine.travel(after, tick=False):
        assert rows(network, now=timezone.now(), overdue="on") == [
            NAMES["draft"],
            NAMES["not_started"],
            NAMES["changes"],
        ]
        # Unticked, the filter does nothing.
        assert len(rows(network, now=timezone.now(), overdue="")) == 6


def test_overdue_includes_an_extension_once_it_has_run_out(network):
    after = network.deadline + timedelta(days=EXTENSION_DAYS, hours=1)
    assert NAMES["extended"] in rows(network, now=after, overdue="on")


def test_an_extension_that_ends_before_the_deadline_changes_nothing(network):
    RoleBlock.objects.filter(pk=network.blocks["extended"].pk).update(
        extension_until=network.deadline - timedelta(days=5)
    )
    after = network.deadline + timedelta(hours=1)
    assert NAMES["extended"] in rows(network, now=after, overdue="on")


def test_sort_by_partner_and_kind(network):
    assert rows(network, sort="-partner") == sorted(NAMES.values(), reverse=True)
    assert rows(network, sort="kind") == [
        NAMES["draft"],  # business
        NAMES["submitted"],  # college
        NAMES["accepted"],  # college
        NAMES["not_started"],  # informal
        NAMES["extended"],  # nonprofit
        NAMES["changes"],  # school_district
    ]


def test_sort_by_status_follows_the_workflow(network):
    assert rows(network, sort="status") == [
        NAMES["not_started"],
        NAMES["extended"],
        NAMES["draft"],
        NAMES["submitted"],
        NAMES["changes"],
        NAMES["accepted"],
    ]
    assert rows(network, sort="-status")[0] == NAMES["accepted"]


def test_sort_by_last_edited_and_submitted_keeps_blanks_last(network):
    base = network.deadline - timedelta(days=30)
    for offset, key in enumerate(("accepted", "draft", "changes", "submitted")):
        RoleBlock.objects.filter(pk=network.blocks[key].pk).update(
            last_edited_at=base + timedelta(hours=offset),
            submitted_at=None if key == "draft" else base + timedelta(hours=offset),
        )
    assert rows(network, sort="-last_edited") == [
        NAMES["submitted"],
        NAMES["changes"],
        NAMES["draft"],
        NAMES["accepted"],
        NAMES["not_started"],
        NAMES["extended"],
    ]
    assert rows(network, sort="last_edited")[:4] == [
        NAMES["accepted"],
        NAMES["draft"],
        NAMES["changes"],
        NAMES["submitted"],
    ]
    assert rows(network, sort="submitted")[:3] == [
        NAMES["accepted"],
        NAMES["changes"],
        NAMES["submitted"],
    ]
    assert rows(network, sort="-submitted")[:3] == [
        NAMES["submitted"],
        NAMES["changes"],
        NAMES["accepted"],
    ]


def test_an_unknown_sort_is_an_error_not_a_crash(network):
    filterset = selectors.dashboard_filterset(
        version=network.version, filters={"sort": "password"}, now=timezone.now()
    )
    assert "sort" in filterset.errors
    assert names(filterset.qs) == sorted(NAMES.values())


def test_rows_carry_their_last_email_in_one_query(network, coordinator, django_assert_num_queries):
    from core.services.reminders import reminder_send_now

    block = network.block("draft")
    reminder_send_now(source="mou.block", subject=block, actor=Actor.of(coordinator))
    page = list(selectors.dashboard_rows(version=network.version, filters={}, now=timezone.now()))
    with django_assert_num_queries(1):
        enriched = selectors.rows_with_last_email(page)
    by_name = {b.partner.name: b for b in enriched}
    last = by_name[NAMES["draft"]].last_email
    assert last is not None and last.stage == "manual-1"
    assert selectors.email_label(last) == "Reminder by hand"
    assert selectors.email_delivery(last) in {"queued", "sent"}


def test_the_last_email_is_the_invitation_once_the_version_opened(network):
    """The kick-off invitation is an e-mail about the block: never "None yet" after it."""
    page = list(selectors.dashboard_rows(version=network.version, filters={}, now=timezone.now()))
    by_name = {b.partner.name: b for b in selectors.rows_with_last_email(page)}
    last = by_name[NAMES["not_started"]].last_email
    assert last is not None and selectors.email_label(last) == "Invitation"
    assert selectors.email_delivery(last) in {"queued", "sent"}


def test_the_last_email_of_any_kind_and_its_delivery(network, coordinator):
    from core.models import OutboxMessage
    from mou import services

    block = network.block("submitted")
    services.block_request_changes(block=block, actor=Actor.of(coordinator), comment="More.")
    messages = OutboxMessage.objects.filter(kind="mou_changes_requested", about_id=block.pk)
    assert messages.exists()
    (last,) = selectors.rows_with_last_email([block])
    assert selectors.email_label(last.last_email) == "Changes requested"
    messages.update(status=OutboxMessage.Status.GAVE_UP)
    (last,) = selectors.rows_with_last_email([block])
    assert selectors.email_delivery(last.last_email) == "failed"
    messages.update(status=OutboxMessage.Status.SENT)
    (last,) = selectors.rows_with_last_email([block])
    assert selectors.email_delivery(last.last_email) == "sent"


def test_an_email_to_several_leads_shows_the_delivery_that_needs_attention(network):
    from core.models import OutboxMessage
    from core.services.outbox import outbox_send_templated

    block = network.block("draft")
    second_lead = factories.MembershipFactory(partner=block.partner, role="lead").user
    for to in (network.leads["draft"], second_lead):
        outbox_send_templated(
            to=to,
            template="mou_accepted",
            kind="mou_accepted",
            about=block,
            context={"partner": block.partner, "version": block.version, "link": "x"},
        )
    OutboxMessage.objects.filter(to_email=second_lead.email, kind="mou_accepted").update(
        status=OutboxMessage.Status.FAILED
    )
    OutboxMessage.objects.filter(to_email=network.leads["draft"].email, kind="mou_accepted").update(
        status=OutboxMessage.Status.SENT
    )
    (row,) = selectors.rows_with_last_email([block])
    assert selectors.email_label(row.last_email) == "Block accepted"
    assert selectors.email_delivery(row.last_email) == "failed, retrying (1 of 2)"


# --- the side panels --------------------------------------------------------------------------


def test_matrix_completeness_counts_partners_with_an_assessed_category(network):
    factories.MatrixEntryFactory(partner=network.partners["changes"], stance="need")
    factories.MatrixEntryFactory(partner=network.partners["changes"], stance="contribute")
    factories.MatrixEntryFactory(partner=network.partners["draft"], stance="not_assessed")
    factories.PartnerFactory(status="inactive")
    from needs_matrix.selectors import matrix_completeness

    completeness = matrix_completeness()
    assert (completeness.assessed, completeness.active) == (1, 6)
    assert completeness.percent == 17


def test_action_item_counts_open_and_overdue(network):
    today = timezone.localdate()
    factories.ActionItemFactory(due_on=today - timedelta(days=2))
    factories.ActionItemFactory(due_on=today + timedelta(days=2))
    factories.ActionItemFactory(due_on=None)
    factories.ActionItemFactory(
        due_on=today - timedelta(days=5), status="done", completed_at=timezone.now()
    )
    from meetings.selectors import action_item_counts

    counts = action_item_counts(now=timezone.now())
    assert (counts.open, counts.overdue) == (3, 1)


def test_recent_events_are_the_latest_fifteen_with_links(network, django_assert_num_queries):
    with django_assert_num_queries(2):
        events = selectors.recent_events()
    assert len(events) == min(15, Event.objects.count())
    assert events[0].created_at >= events[-1].created_at
    block_events = [e for e in events if e.action == "mou.block_accepted"]
    assert block_events and block_events[0].link == network.blocks["accepted"].get_absolute_url()


def test_the_feed_never_shows_a_bare_event_code(network, client_for, coordinator):
    """An old row without a summary reads as words; a password sign-in has a summary now."""
    from core.actor import Actor
    from core.services.events import event_record

    event_record(action="signin.password", actor=Actor.of(coordinator), subject=coordinator)
    event_record(action="mou.draft_pdf_requested", actor=Actor.of(coordinator), summary="  ")
    labels = [e.label for e in selectors.recent_events()]
    assert "Sign-in: password" in labels and "MOU: draft pdf requested" in labels
    page = client_for(coordinator).get("/dashboard/").content.decode()
    assert "signin.password" not in page and "Sign-in: password" in page


# --- the countdown ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("delta", "text", "overdue"),
    [
        (timedelta(days=3, hours=4, minutes=5), "3 days, 4 hours left", False),
        (timedelta(days=1, minutes=5), "1 day, 0 hours left", False),
        (timedelta(hours=5, minutes=1), "5 hours left", False),
        (timedelta(minutes=20), "20 minutes left", False),
        (-timedelta(minutes=20), "overdue by 1 hour", True),
        (-timedelta(hours=7), "overdue by 7 hours", True),
        (-timedelta(days=2, hours=3), "overdue by 2 days", True),
    ],
)
def test_countdown(delta, text, overdue):
    now = network_time(2026, 10, 1, 12, 0)
    assert selectors.countdown(deadline=now + delta, now=now) == (text, overdue)
