"""Coordinators, staff and superusers sign in with their password only.

The "e-mail me a link" form answers them exactly as it answers anyone, but mails a note
that points at the sign-in page; no e-mail to them carries a sign-in link; a link made
before they became one, or forged for them, is refused when it is opened.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from core.models import Event, OutboxMessage
from core.services import reminders as engine
from core.services.signin import SALT, signin_link_make, signin_token_make
from mou.models import MouVersion, RoleBlock
from mou.services import blocks as block_services
from partnership import services as people
from tests import factories

pytestmark = pytest.mark.django_db
TZ = ZoneInfo("America/Los_Angeles")
LINK = "/accounts/link/"


@pytest.fixture(params=["coordinator", "staff", "superuser"])
def privileged(request, db):
    flags = {
        "coordinator": {"is_coordinator": True},
        "staff": {"is_staff": True},
        "superuser": {"is_staff": True, "is_superuser": True, "is_coordinator": True},
    }[request.param]
    return factories.UserFactory(email=f"{request.param}@example.org", **flags)


def _main(response, email: str) -> str:
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")].replace(email, "EMAIL")


def test_link_form_answers_a_coordinator_as_anyone_but_mails_no_link(
    client, privileged, lead, mailoutbox, django_capture_on_commit_callbacks
):
    url = reverse("accounts:link_request")
    with django_capture_on_commit_callbacks(execute=True):
        answers = {
            email: client.post(url, {"email": email})
            for email in (privileged.email, lead.email, "stranger@example.net")
        }
    assert {r.status_code for r in answers.values()} == {200}
    assert len({_main(r, email) for email, r in answers.items()}) == 1
    note = next(m for m in mailoutbox if m.to == [privileged.email])
    assert LINK not in note.body and LINK not in note.alternatives[0][0]
    assert "http://127.0.0.1:8000/accounts/login/" in note.body
    assert "password" in note.body
    # The regular person still gets a working link; both wrote one outbox row.
    assert any(LINK in m.body for m in mailoutbox if m.to == [lead.email])
    assert OutboxMessage.objects.filter(to_email=privileged.email).count() == 1
    assert not Event.objects.filter(action="signin.link_sent", subject_id=privileged.pk).exists()


def test_no_sign_in_link_can_be_made_for_a_password_only_account(privileged):
    with pytest.raises(ValueError):
        signin_token_make(user=privileged, next_path="/")
    # What an e-mail gets instead is the page itself.
    assert signin_link_make(user=privileged, next_path="/mou/") == "http://127.0.0.1:8000/mou/"


def test_a_link_issued_before_the_promotion_is_refused_when_opened(privileged, lead):
    token = signin_token_make(user=lead, next_path="/dashboard/")
    lead.is_coordinator = privileged.is_coordinator
    lead.is_staff = privileged.is_staff
    lead.is_superuser = privileged.is_superuser
    lead.save()
    client = Client()
    response = client.get(reverse("accounts:link", kwargs={"token": token}))
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_an_expired_pre_promotion_link_cannot_be_renewed_either(
    lead, mailoutbox, django_capture_on_commit_callbacks
):
    token = signin_token_make(user=lead, expires_at=timezone.now() - timezone.timedelta(hours=1))
    lead.is_coordinator = True
    lead.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = Client().post(reverse("accounts:link_renew"), {"token": token})
    assert response.status_code == 400
    assert mailoutbox == []


def test_a_forged_link_for_a_coordinator_is_refused(privileged):
    # Signed with the real key, as if the signing code had been tricked into it.
    expiry = int(timezone.now().timestamp()) + 3600
    payload = {"u": privileged.pk, "v": privileged.link_version, "n": "/admin/", "e": expiry}
    token = signing.dumps(payload, salt=SALT, compress=True)
    client = Client()
    response = client.get(reverse("accounts:link", kwargs={"token": token}))
    assert response.status_code == 400
    assert "_auth_user_id" not in client.session


def test_the_daily_digest_links_a_coordinator_to_the_page_not_a_session(partner, lead):
    coordinator = factories.UserFactory(is_coordinator=True)
    version = MouVersion.objects.create(
        number=1,
        title="Partnership MOU 2026",
        deadline=datetime(2026, 10, 15, 17, 0, tzinfo=TZ),
        status=MouVersion.Status.OPEN,
    )
    RoleBlock.objects.create(version=version, partner=partner)
    with time_machine.travel(datetime(2026, 10, 5, 7, 30, tzinfo=TZ), tick=False):
        assert engine.reminders_sweep().by_source["mou.digest"] == 1
    digest = OutboxMessage.objects.get(kind="reminder:reminder_digest")
    assert digest.to_email == coordinator.email
    assert LINK not in digest.body_text and LINK not in digest.body_html
    assert f"http://127.0.0.1:8000{version.get_absolute_url()}" in digest.body_text
    # The lead's reminder of the same sweep still signs the lead in.
    lead_mail = OutboxMessage.objects.get(kind="reminder:reminder_block", to_email=lead.email)
    assert LINK in lead_mail.body_text


def test_block_mail_to_a_coordinator_who_leads_a_partner_has_no_sign_in_link(partner):
    coordinator = factories.UserFactory(is_coordinator=True)
    factories.MembershipFactory(user=coordinator, partner=partner, role="lead")
    version = MouVersion.objects.create(
        number=1,
        title="Partnership MOU 2026",
        deadline=timezone.now() + timezone.timedelta(days=30),
        status=MouVersion.Status.OPEN,
    )
    block = RoleBlock.objects.create(version=version, partner=partner)
    block_services.blocks_notify_leads(blocks=[block], template="mou_opened", kind="mou_opened")
    mail = OutboxMessage.objects.get(kind="mou_opened", to_email=coordinator.email)
    assert LINK not in mail.body_text and LINK not in mail.body_html
    assert block.get_absolute_url() in mail.body_text
    assert "this link signs you in" not in mail.body_text
    assert "password" in mail.body_text


def test_an_invitation_to_a_coordinator_has_no_sign_in_link(privileged, coordinator, partner):
    factories.MembershipFactory(user=privileged, partner=partner, role="lead")
    message = people.person_invite(person=privileged, actor=Actor.of(coordinator))
    assert LINK not in message.body_text and LINK not in message.body_html
    assert "without a password" not in message.body_text
    assert "http://127.0.0.1:8000/" in message.body_text


def test_meeting_notes_to_a_coordinator_attendee_have_no_sign_in_link(lead):
    from meetings import services as meetings

    coordinator = factories.UserFactory(is_coordinator=True)
    start = datetime(2026, 9, 10, 15, 0, tzinfo=TZ)
    meeting = meetings.meeting_create(
        actor=Actor.of(coordinator),
        title="Partnership meeting",
        kind="network",
        starts_at=start,
        ends_at=start + timezone.timedelta(hours=2),
        notes="Notes.",
    )
    meetings.attendance_add(meeting=meeting, user=coordinator, actor=Actor.of(coordinator))
    meetings.attendance_add(meeting=meeting, user=lead, actor=Actor.of(coordinator))
    meetings.meeting_notes_publish(meeting=meeting, actor=Actor.of(coordinator))
    meetings.meeting_notes_send(meeting=meeting, actor=Actor.of(coordinator))
    mine = OutboxMessage.objects.get(kind="meeting_notes", to_email=coordinator.email)
    assert LINK not in mine.body_text and LINK not in mine.body_html
    assert "sign you in without a password" not in mine.body_text
    theirs = OutboxMessage.objects.get(kind="meeting_notes", to_email=lead.email)
    assert LINK in theirs.body_text


def test_a_link_asked_for_from_a_signed_in_browser_does_not_name_that_account(
    client, lead, viewer, django_capture_on_commit_callbacks
):
    """Whoever is signed in on the browser asks for someone else's link: the audit trail
    keeps the address and browser the request came from, never that account."""
    client.force_login(viewer)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:link_request"),
            {"email": lead.email},
            REMOTE_ADDR="198.51.100.7",
            HTTP_USER_AGENT="Firefox/140",
        )
    event = Event.objects.get(action="signin.link_sent", subject_id=lead.pk)
    assert (event.actor, event.ip_address, event.user_agent) == (
        None,
        "198.51.100.7",
        "Firefox/140",
    )
