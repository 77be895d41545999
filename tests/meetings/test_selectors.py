"""Meetings selectors: the reminder engine's query, previous meetings, search, calendar."""

from datetime import date, datetime, timedelta

import pytest

from core.actor import Actor
from meetings import selectors, services
from meetings.models import ActionItem
from partnership.models import Membership, Partner
from tests import factories
from tests.meetings.conftest import TZ, child_of

pytestmark = pytest.mark.django_db


def at(month, day, hour=9, year=2026):
    return datetime(year, month, day, hour, tzinfo=TZ)


# --- the reminder engine's selector --------------------------------------------------------


def test_due_items_are_open_children_and_person_items_within_the_window(
    homework, partner, other_partner, lead, coordinator, meeting
):
    later = services.action_item_create(
        actor=Actor.of(coordinator), meeting=meeting, description="Later", owner_kind="person",
        owner_user=lead, due_on=date(2026, 12, 1),
    )  # fmt: skip
    undated = services.action_item_create(
        actor=Actor.of(coordinator), meeting=meeting, description="Someday", owner_kind="person",
        owner_user=lead,
    )  # fmt: skip
    due = list(selectors.action_items_due(now=at(10, 2)))
    assert set(due) == {child_of(homework, partner), child_of(homework, other_partner)}
    assert homework not in due and later not in due and undated not in due

    services.action_item_complete(item=child_of(homework, partner), actor=Actor.of(lead))
    # Overdue items stay due until done.
    assert list(selectors.action_items_due(now=at(11, 10))) == [child_of(homework, other_partner)]


def test_due_uses_the_network_day_not_utc(coordinator, meeting, lead):
    item = services.action_item_create(
        actor=Actor.of(coordinator), meeting=meeting, description="Due on the 15th",
        owner_kind="person", owner_user=lead, due_on=date(2026, 10, 15),
    )  # fmt: skip
    # 8 pm on Oct 14 in Salem is already Oct 15 in UTC.
    evening = at(10, 14, hour=20)
    assert list(selectors.action_items_due(now=evening, within=timedelta(0))) == []
    assert list(selectors.action_items_due(now=at(10, 15, hour=1), within=timedelta(0))) == [item]


def test_due_skips_items_of_partners_no_longer_active(homework, partner, other_partner):
    other_partner.status = Partner.Status.INACTIVE
    other_partner.save()
    assert list(selectors.action_items_due(now=at(10, 2))) == [child_of(homework, partner)]


def test_recipients_of_a_partner_item_are_its_leads_and_editors_who_opted_in(
    homework, partner, lead, editor, viewer, django_assert_num_queries
):
    with django_assert_num_queries(2):
        items = {i.owner_partner_id: i for i in selectors.action_items_due(now=at(10, 2))}
        item = items[partner.pk]
        assert selectors.action_item_reminder_recipients(item=item) == [(lead, "lead")]
        assert selectors.action_item_reminder_recipients(item=item, editor_opt_in={editor.pk}) == [
            (lead, "lead"),
            (editor, "editor"),
        ]


def test_a_partner_without_a_lead_reminds_its_editors(homework, other_partner):
    helper = factories.MembershipFactory(partner=other_partner, role=Membership.Role.EDITOR).user
    item = child_of(homework, other_partner)
    assert selectors.action_item_reminder_recipients(item=item) == [(helper, "editor")]


def test_recipients_of_a_person_item_is_that_person_while_active(coordinator, meeting, lead):
    item = services.action_item_create(
        actor=Actor.of(coordinator), meeting=meeting, description="Call Deb", owner_kind="person",
        owner_user=lead, due_on=date(2026, 10, 1),
    )  # fmt: skip
    assert selectors.action_item_reminder_recipients(item=item) == [(lead, "owner")]
    lead.is_active = False
    lead.save()
    item.refresh_from_db()
    assert selectors.action_item_reminder_recipients(item=item) == []


def test_the_due_query_count_does_not_grow_with_partners(
    coordinator, meeting, django_assert_num_queries
):
    def count_for(n_partners):
        for _ in range(n_partners):
            factories.MembershipFactory(role="lead", partner=factories.PartnerFactory())
        services.action_item_create(
            actor=Actor.of(coordinator), meeting=meeting, description="Homework",
            owner_kind=ActionItem.OwnerKind.ALL_PARTNERS, due_on=date(2026, 10, 15),
        )  # fmt: skip
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            for item in selectors.action_items_due(now=at(10, 2)):
                selectors.action_item_reminder_recipients(item=item)
        return len(ctx.captured_queries)

    assert count_for(2) == count_for(8) == 2


# --- previous meeting and carried items ---------------------------------------------------


def _meeting(coordinator, day, **extra):
    start = at(day[0], day[1], hour=15)
    return services.meeting_create(
        actor=Actor.of(coordinator), title=extra.pop("title", f"Meeting {day}"),
        kind=extra.pop("kind", "network"), starts_at=start, ends_at=start + timedelta(hours=1),
        **extra,
    )  # fmt: skip


def test_previous_meeting_follows_series_then_workgroup_then_network(coordinator):
    group = factories.WorkgroupFactory(name="Assessment")
    net1 = _meeting(coordinator, (9, 10))
    wg1 = _meeting(coordinator, (9, 12), kind="workgroup", workgroup=group)
    s1 = _meeting(coordinator, (9, 14), kind="breakout", series="alliances")
    net2 = _meeting(coordinator, (10, 10))
    wg2 = _meeting(coordinator, (10, 12), kind="workgroup", workgroup=group)
    s2 = _meeting(coordinator, (10, 14), kind="breakout", series="alliances")
    lone = _meeting(coordinator, (10, 20), kind="breakout")
    assert selectors.meeting_previous(meeting=net2) == net1
    assert selectors.meeting_previous(meeting=wg2) == wg1
    assert selectors.meeting_previous(meeting=s2) == s1
    assert selectors.meeting_previous(meeting=net1) is None
    assert selectors.meeting_previous(meeting=lone) is None


def test_open_items_of_the_previous_meeting_are_carried_to_the_next(
    coordinator, homework, meeting, partner, lead
):
    done = services.action_item_create(
        actor=Actor.of(coordinator), meeting=meeting, description="Already done",
        owner_kind="person", owner_user=lead,
    )  # fmt: skip
    services.action_item_complete(item=done, actor=Actor.of(lead))
    nxt = _meeting(coordinator, (10, 8), title="October partnership meeting")
    context = selectors.meeting_detail(meeting=nxt, user=lead)
    assert context["previous"] == meeting
    assert context["previous_items"] == [homework]
    carried = context["previous_items"][0]
    assert carried.total_count == 2 and carried.done_count == 0
    assert [c.owner_partner for c in carried.mine] == [partner]


# --- search -------------------------------------------------------------------------------


def test_search_finds_titles_notes_decisions_and_items_but_drafts_only_for_coordinators(
    coordinator, meeting, homework, lead
):
    def titles(user, query):
        result = selectors.meetings_search(user=user, query=query)
        return [m.title for m in result["meetings"]], [i.pk for i in result["items"]]

    assert titles(coordinator, "FIRST") == (["Partnership meeting"], [])
    assert titles(lead, "FIRST") == ([], [])  # draft notes
    assert titles(lead, "mou block") == ([], [homework.pk])
    assert titles(lead, "partnership") == (["Partnership meeting"], [])
    services.meeting_notes_publish(meeting=meeting, actor=Actor.of(coordinator))
    assert titles(lead, "first") == (["Partnership meeting"], [])
    assert titles(lead, "drafts its mou") == (["Partnership meeting"], [])
    result = selectors.meetings_search(user=lead, query="first")
    assert result["meetings"][0].matched_in == ["notes"]


def test_search_of_nothing_finds_nothing(lead):
    assert selectors.meetings_search(user=lead, query="  ") == {
        "meetings": [], "items": [], "more": False,
    }  # fmt: skip


# --- calendar -----------------------------------------------------------------------------


def test_calendar_has_network_meetings_invitations_and_the_persons_due_dates(
    coordinator, meeting, homework, partner, lead, other_lead
):
    group = factories.WorkgroupFactory(name="Policy")
    invited = _meeting(coordinator, (9, 20), kind="workgroup", workgroup=group, title="Policy")
    not_invited = _meeting(coordinator, (9, 21), kind="workgroup", workgroup=group, title="Other")
    services.attendance_add(meeting=invited, user=lead, actor=Actor.of(coordinator))
    entries = selectors.calendar_entries(user=lead, now=at(9, 1))
    uids = {e.uid for e in entries}
    assert f"meeting-{meeting.pk}@127.0.0.1" in uids
    assert f"meeting-{invited.pk}@127.0.0.1" in uids
    assert f"meeting-{not_invited.pk}@127.0.0.1" not in uids
    mine = child_of(homework, partner)
    assert f"action-item-{mine.pk}@127.0.0.1" in uids
    theirs = homework.children.exclude(pk=mine.pk).get()
    assert f"action-item-{theirs.pk}@127.0.0.1" not in uids
    due = next(e for e in entries if e.uid.startswith("action-item"))
    assert (due.start, due.end) == (date(2026, 10, 15), date(2026, 10, 16))
    coordinator_uids = {e.uid for e in selectors.calendar_entries(user=coordinator, now=at(9, 1))}
    assert f"meeting-{not_invited.pk}@127.0.0.1" in coordinator_uids


def test_other_apps_add_deadlines_through_the_documented_hook(lead, monkeypatch):
    from core import calendar

    monkeypatch.setattr(calendar, "_SOURCES", [])

    @calendar.calendar_source_register
    def deadlines(*, user, now):
        return [
            calendar.CalendarEntry(
                uid=f"mou-deadline-1-{user.pk}@portal", summary="MOU block due",
                start=date(2026, 10, 15), end=date(2026, 10, 16),
            )
        ]  # fmt: skip

    entries = selectors.calendar_entries(user=lead, now=at(9, 1))
    assert [e.summary for e in entries] == ["MOU block due"]
