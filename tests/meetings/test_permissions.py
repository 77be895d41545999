"""Every meetings URL × every kind of person: anonymous, signed in without a role, another
partner's lead, the partner's viewer, editor and lead, and a coordinator."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse

from core.actor import Actor
from meetings import services
from meetings.models import ActionItem, Attachment, Attendance, Meeting
from tests.meetings.conftest import TZ, child_of, pdf_upload

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "nobody", "other_lead", "viewer", "editor", "lead", "coordinator"]
LOGIN = "login"


def table(anonymous, nobody, other_lead, viewer, editor, lead, coordinator) -> dict:
    return dict(
        zip(ROLES, [anonymous, nobody, other_lead, viewer, editor, lead, coordinator], strict=True)
    )


MEMBERS = table(LOGIN, 403, 200, 200, 200, 200, 200)
SIGNED_IN = table(LOGIN, 200, 200, 200, 200, 200, 200)
COORDINATOR_PAGE = table(LOGIN, 403, 403, 403, 403, 403, 200)
COORDINATOR_ACTION = table(LOGIN, 403, 403, 403, 403, 403, 302)
OWN_PARTNER_TICK = table(LOGIN, 403, 403, 403, 302, 302, 302)
SECRET_ADDRESS = table(200, 200, 200, 200, 200, 200, 200)


@dataclass
class World:
    meeting: Meeting
    draft: Meeting
    attendance: Attendance
    attachment: Attachment
    homework: ActionItem
    mine: ActionItem
    token: str
    coordinator: object
    other_partner: object


@pytest.fixture
def world(coordinator, partner, other_partner, lead) -> World:
    start = datetime(2026, 9, 10, 15, tzinfo=TZ)
    meeting = services.meeting_create(
        actor=Actor.of(coordinator), title="Partnership meeting", kind="network", starts_at=start,
        ends_at=start + timedelta(hours=2), notes="Published notes",
    )  # fmt: skip
    services.meeting_notes_publish(meeting=meeting, actor=Actor.of(coordinator))
    draft = services.meeting_create(
        actor=Actor.of(coordinator), title="Draft meeting", kind="breakout", starts_at=start,
        ends_at=start + timedelta(hours=1), notes="Draft notes",
    )  # fmt: skip
    attendance = services.attendance_add(meeting=meeting, user=lead, actor=Actor.of(coordinator))
    attachment = services.attachment_add(
        meeting=meeting, upload=pdf_upload(), actor=Actor.of(coordinator)
    )
    homework = services.action_item_create(
        actor=Actor.of(coordinator), meeting=meeting, description="Send your MOU block",
        owner_kind="all_partners", due_on=date(2026, 10, 15),
    )  # fmt: skip
    return World(
        meeting=meeting,
        draft=draft,
        attendance=attendance,
        attachment=attachment,
        homework=homework,
        mine=child_of(homework, partner),
        token=services.calendar_feed_create(user=lead, actor=Actor.of(lead)),
        coordinator=coordinator,
        other_partner=other_partner,
    )


def _meeting_data(**extra):
    return {
        "title": "Renamed", "kind": "network", "starts_at": "2026-09-10T15:00",
        "ends_at": "2026-09-10T17:00", "place": "", "video_url": "", "series": "",
        "workgroup": "", "agenda": "", "notes": "", "decisions": "", **extra,
    }  # fmt: skip


def _item_data(**extra):
    return {
        "description": "Do it", "owner_kind": "partner", "owner_partner": "",
        "owner_email": "", "due_on": "2026-10-01", "subject_label": "", "subject_url": "",
        "status": "open", **extra,
    }  # fmt: skip


def _attendance_formset(w: World):
    return {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000", "form-0-id": w.attendance.pk, "form-0-status": "attended",
    }  # fmt: skip


def _reopen(w: World):
    services.action_item_complete(item=w.mine, actor=Actor.of(w.coordinator))
    return reverse("meetings:item_reopen", args=[w.mine.pk])


# (name, method, url(world), data(world) or None, expected by role)
CASES = [
    ("list", "get", lambda w: reverse("meetings:list"), None, MEMBERS),
    ("list past", "get", lambda w: reverse("meetings:list") + "?when=past", None, MEMBERS),
    ("new form", "get", lambda w: reverse("meetings:create"), None, COORDINATOR_PAGE),
    ("new", "post", lambda w: reverse("meetings:create"), lambda w: _meeting_data(),
     COORDINATOR_ACTION),
    ("search", "get", lambda w: reverse("meetings:search") + "?q=block", None, MEMBERS),
    ("my items", "get", lambda w: reverse("meetings:my_items"), None, SIGNED_IN),
    ("calendar page", "get", lambda w: reverse("meetings:calendar"), None, MEMBERS),
    ("calendar make", "post", lambda w: reverse("meetings:calendar"),
     lambda w: {"action": "create"}, MEMBERS),
    ("calendar feed", "get",
     lambda w: reverse("meetings:calendar_feed", kwargs={"token": w.token}), None,
     SECRET_ADDRESS),
    ("detail", "get", lambda w: reverse("meetings:detail", args=[w.meeting.pk]), None, MEMBERS),
    ("detail of a draft", "get", lambda w: reverse("meetings:detail", args=[w.draft.pk]), None,
     MEMBERS),
    ("edit form", "get", lambda w: reverse("meetings:edit", args=[w.meeting.pk]), None,
     COORDINATOR_PAGE),
    ("edit", "post", lambda w: reverse("meetings:edit", args=[w.meeting.pk]),
     lambda w: _meeting_data(), COORDINATOR_ACTION),
    ("publish", "post", lambda w: reverse("meetings:publish", args=[w.draft.pk]), None,
     COORDINATOR_ACTION),
    ("send notes", "post", lambda w: reverse("meetings:send_notes", args=[w.meeting.pk]), None,
     COORDINATOR_ACTION),
    ("meeting ics", "get", lambda w: reverse("meetings:ics", args=[w.meeting.pk]), None, MEMBERS),
    ("attendance", "get", lambda w: reverse("meetings:attendance", args=[w.meeting.pk]), None,
     COORDINATOR_PAGE),
    ("attendance save", "post", lambda w: reverse("meetings:attendance", args=[w.meeting.pk]),
     _attendance_formset, COORDINATOR_ACTION),
    ("attendance add", "post",
     lambda w: reverse("meetings:attendance_add", args=[w.meeting.pk]),
     lambda w: {"email": w.coordinator.email, "partner": "", "status": "attended"},
     COORDINATOR_ACTION),
    ("attendance add guest", "post",
     lambda w: reverse("meetings:attendance_add_guest", args=[w.meeting.pk]),
     lambda w: {"guest_name": "Ana Guest", "guest_email": "ana@museum.example.org",
                "guest_organization": "Gilbert House", "guest_status": "attended"},
     COORDINATOR_ACTION),
    ("invite partner", "post",
     lambda w: reverse("meetings:attendance_invite_partner", args=[w.meeting.pk]),
     lambda w: {"partner": w.other_partner.pk}, COORDINATOR_ACTION),
    ("attendance remove", "post",
     lambda w: reverse("meetings:attendance_remove", args=[w.meeting.pk, w.attendance.pk]),
     None, COORDINATOR_ACTION),
    ("attachment upload", "post",
     lambda w: reverse("meetings:attachment_upload", args=[w.meeting.pk]),
     lambda w: {"file": pdf_upload()}, COORDINATOR_ACTION),
    ("attachment download", "get",
     lambda w: reverse("meetings:attachment_download", args=[w.attachment.pk]), None, MEMBERS),
    ("attachment delete", "post",
     lambda w: reverse("meetings:attachment_delete", args=[w.attachment.pk]), None,
     COORDINATOR_ACTION),
    ("item form", "get", lambda w: reverse("meetings:item_create", args=[w.meeting.pk]), None,
     COORDINATOR_PAGE),
    ("item new", "post", lambda w: reverse("meetings:item_create", args=[w.meeting.pk]),
     lambda w: _item_data(owner_partner=w.other_partner.pk), COORDINATOR_ACTION),
    ("item form without meeting", "get", lambda w: reverse("meetings:item_create_standalone"),
     None, COORDINATOR_PAGE),
    ("item detail", "get", lambda w: reverse("meetings:item_detail", args=[w.homework.pk]), None,
     MEMBERS),
    ("partner item detail", "get", lambda w: reverse("meetings:item_detail", args=[w.mine.pk]),
     None, MEMBERS),
    ("item edit form", "get", lambda w: reverse("meetings:item_edit", args=[w.homework.pk]),
     None, COORDINATOR_PAGE),
    ("item edit", "post", lambda w: reverse("meetings:item_edit", args=[w.homework.pk]),
     lambda w: _item_data(), COORDINATOR_ACTION),
    ("tick done", "post", lambda w: reverse("meetings:item_complete", args=[w.mine.pk]), None,
     OWN_PARTNER_TICK),
    ("undo", "post", _reopen, None, OWN_PARTNER_TICK),
]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    ("name", "method", "url", "data", "expected"), CASES, ids=[c[0] for c in CASES]
)
def test_permission_table(request, client_for, world, role, name, method, url, data, expected):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    client = client_for(user)
    address = url(world)
    payload = data(world) if data else {}
    response = getattr(client, method)(address, payload)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == want, response.content.decode()[:2000]


def test_every_meetings_url_is_in_the_table():
    from meetings.urls import urlpatterns

    covered = {
        "list", "create", "search", "my_items", "calendar", "calendar_feed", "detail", "edit",
        "publish", "send_notes", "ics", "attendance", "attendance_add", "attendance_add_guest",
        "attendance_invite_partner", "attendance_remove", "attachment_upload",
        "attachment_download", "attachment_delete", "item_create", "item_create_standalone",
        "item_detail", "item_edit", "item_complete", "item_reopen",
    }  # fmt: skip
    assert {p.name for p in urlpatterns} == covered


def test_a_refused_tick_changes_nothing(client_for, world, other_lead, viewer):
    for person in (other_lead, viewer):
        client_for(person).post(reverse("meetings:item_complete", args=[world.mine.pk]))
    world.mine.refresh_from_db()
    assert world.mine.status == "open" and world.mine.completed_by is None
