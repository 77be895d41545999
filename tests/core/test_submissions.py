"""Create forms act once: the same form sent twice (a double click, a POST sent again)
creates one row, sends one e-mail, and both answers redirect to what was made."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from core.actor import Actor
from core.models import FormSubmission, OutboxMessage, User
from core.services.submissions import form_token_new, submission_once
from meetings import services as meeting_services
from meetings.models import ActionItem, Meeting
from mou.models import MouVersion
from partnership.models import Partner, Workgroup

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("America/Los_Angeles")


def token_of(page) -> str:
    """The one-time token the page's form was rendered with."""
    assert page.status_code == 200
    tokens = re.findall(r'name="form_token" value="([0-9a-f]{32})"', page.content.decode())
    assert tokens, "the form carries no one-time token"
    return tokens[0]


def in_60_days() -> str:
    return (datetime.now(TZ) + timedelta(days=60)).strftime("%Y-%m-%dT%H:%M")


CREATE_FORMS = {
    "meeting": (
        "/meetings/new/",
        lambda ctx: {
            "title": "Kick-off", "kind": "network", "starts_at": "2026-09-10T15:00",
            "ends_at": "2026-09-10T17:00",
        },
        lambda: Meeting.objects.count(),
    ),
    "action item": (
        "/meetings/items/new/",
        lambda ctx: {
            "description": "Send the roster", "owner_kind": "partner",
            "owner_partner": ctx["partner"].pk, "subject_label": "", "subject_url": "",
        },
        lambda: ActionItem.objects.count(),
    ),
    "mou version": (
        "/mou/new/",
        lambda ctx: {"title": "MOU 2027", "shared_text": "Text", "deadline": in_60_days()},
        lambda: MouVersion.objects.count(),
    ),
    "partner": (
        "/partners/new/",
        lambda ctx: {"name": "Marion ESD", "kind": "government", "status": "active"},
        lambda: Partner.objects.count(),
    ),
    "workgroup": (
        "/workgroups/new/",
        lambda ctx: {"name": "Policy", "description": ""},
        lambda: Workgroup.objects.count(),
    ),
    "person with invitation": (
        "/people/new/",
        lambda ctx: {
            "full_name": "Ana Ruiz", "email": "ana@example.org", "role": "lead",
            "partner": ctx["partner"].pk, "send_invitation": "on",
        },
        lambda: (User.objects.count(), OutboxMessage.objects.filter(kind="invitation").count()),
    ),
    "person added to a partner": (
        "/partners/{partner}/people/add/",
        lambda ctx: {
            "email": "ben@example.org", "full_name": "Ben Ode", "role": "editor",
            "send_invitation": "on",
        },
        lambda: (User.objects.count(), OutboxMessage.objects.filter(kind="invitation").count()),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", list(CREATE_FORMS))
def test_the_same_create_form_sent_twice_creates_once_and_both_redirect_to_it(
    name, client_for, coordinator, partner
):
    path, data_for, count = CREATE_FORMS[name]
    url = path.format(partner=partner.pk)
    client = client_for(coordinator)
    data = {**data_for({"partner": partner}), "form_token": token_of(client.get(url))}
    before = count()
    first = client.post(url, data)
    after_first = count()
    second = client.post(url, data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == first["Location"]
    assert after_first != before
    assert count() == after_first  # nothing more made, nothing more sent


def test_an_invitation_sent_twice_from_one_form_is_one_e_mail(client_for, coordinator, lead):
    client = client_for(coordinator)
    token = token_of(client.get(f"/people/{lead.pk}/"))
    responses = [client.post(f"/people/{lead.pk}/invite/", {"form_token": token}) for _ in "ab"]
    assert [r.status_code for r in responses] == [302, 302]
    assert responses[0]["Location"] == responses[1]["Location"]
    assert OutboxMessage.objects.filter(kind="invitation", to_user=lead).count() == 1


def test_meeting_notes_sent_twice_from_one_page_go_out_once(client_for, coordinator, partner, lead):
    start = datetime(2026, 9, 10, 15, 0, tzinfo=TZ)
    meeting = meeting_services.meeting_create(
        actor=Actor.of(coordinator), title="M", kind="network", starts_at=start,
        ends_at=start + timedelta(hours=1), notes="We met.",
    )  # fmt: skip
    meeting_services.attendance_invite_partner(
        meeting=meeting, partner=partner, actor=Actor.of(coordinator)
    )
    meeting_services.meeting_notes_publish(meeting=meeting, actor=Actor.of(coordinator))
    client = client_for(coordinator)
    token = token_of(client.get(meeting.get_absolute_url()))
    url = f"/meetings/{meeting.pk}/send-notes/"
    responses = [client.post(url, {"form_token": token}) for _ in "ab"]
    assert [r.status_code for r in responses] == [302, 302]
    assert OutboxMessage.objects.filter(kind="meeting_notes").count() == 1


def test_a_refused_submission_does_not_use_up_the_token(coordinator):
    token = form_token_new()

    def refuse():
        raise ValidationError("no")

    with pytest.raises(ValidationError):
        submission_once(token=token, user=coordinator, create=refuse, url_of=str)
    assert not FormSubmission.objects.exists()
    done = submission_once(token=token, user=coordinator, create=lambda: "made", url_of=str)
    assert done.result == "made" and done.url == "made"


def test_another_persons_token_is_refused(coordinator, client_for):
    token = form_token_new()
    submission_once(token=token, user=coordinator, create=lambda: "/x/", url_of=str)
    other = User.objects.create_user("other@example.org", full_name="O", is_coordinator=True)
    response = client_for(other).post(
        "/workgroups/new/", {"name": "Policy", "description": "", "form_token": token}
    )
    assert response.status_code == 400
    assert not Workgroup.objects.exists()


def test_without_a_token_the_form_works_as_before(client_for, coordinator):
    client = client_for(coordinator)
    assert client.post("/workgroups/new/", {"name": "Policy"}).status_code == 302
    assert client.post("/workgroups/new/", {"name": "Assessment"}).status_code == 302
    assert Workgroup.objects.count() == 2
