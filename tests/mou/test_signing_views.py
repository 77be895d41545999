"""The freeze page, the signing page a link opens, the executed PDF's download, the public
verify page and the calendar feed's MOU deadlines, through the test client."""

import hashlib
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from icalendar import Calendar

from core.actor import Actor
from core.models import Event, OutboxMessage
from meetings import services as meeting_services
from mou import services
from mou.models import ExecutedPdf, FrozenMou, MouVersion, SignatureRequest, SigningLink
from mou.views.verify import VERIFY_PER_IP_PER_HOUR
from tests.mou.conftest import OTHER, accepted, fill, network_time, request_of, token_for

pytestmark = pytest.mark.django_db

NOW = network_time(2031, 9, 1, 9, 30)
SALEM = "Salem-Keizer School District"
CHEMEKETA = "Chemeketa Community College"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def executed(frozen, django_capture_on_commit_callbacks) -> ExecutedPdf:
    with django_capture_on_commit_callbacks(execute=True):
        for organization, name in ((SALEM, "Christy Perry"), (CHEMEKETA, "Jessica Howard")):
            services.signature_sign(
                signature=request_of(frozen, organization),
                name=name,
                title="Head",
                consent=True,
                actor=Actor.system(),
            )
        counter = SignatureRequest.objects.get(frozen=frozen, role="countersigner")
        services.signature_sign(
            signature=counter,
            name="Lita Coordinator",
            title="Director",
            consent=True,
            actor=Actor.system(),
        )
    return ExecutedPdf.objects.get(frozen=frozen)


# --- freeze -------------------------------------------------------------------------------------


def _freeze_data(coordinator, **extra):
    return {
        "signing_deadline": (NOW + timedelta(days=21)).strftime("%Y-%m-%dT%H:%M"),
        "countersigner_user": str(coordinator.pk),
        **extra,
    }


def test_the_freeze_page_lists_partners_without_an_accepted_block(
    version, block, other_block, lead, other_lead, coordinator, client_for
):
    accepted(block, lead, coordinator)
    fill(other_block, other_lead)
    response = client_for(coordinator).get(f"/mou/{version.pk}/freeze/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Partners without an accepted block" in body
    assert (
        f'value="{other_block.partner_id}"' in body
        and "Chemeketa Community College (Draft)" in body
    )
    assert "Included: 1 partner" in body


def test_freezing_without_leaving_out_is_refused_with_a_clear_message(
    version, block, other_block, lead, other_lead, coordinator, client_for
):
    accepted(block, lead, coordinator)
    fill(other_block, other_lead)
    response = client_for(coordinator).post(f"/mou/{version.pk}/freeze/", _freeze_data(coordinator))
    assert response.status_code == 400
    assert (
        "1 partner has no accepted block: Chemeketa Community College" in response.content.decode()
    )
    version.refresh_from_db()
    assert version.status == MouVersion.Status.OPEN and not FrozenMou.objects.exists()


def test_freezing_with_the_leave_out_ticked_starts_the_round(
    version, block, other_block, lead, other_lead, coordinator, client_for
):
    accepted(block, lead, coordinator)
    fill(other_block, other_lead)
    client = client_for(coordinator)
    response = client.post(
        f"/mou/{version.pk}/freeze/",
        _freeze_data(coordinator, leave_out=[str(other_block.partner_id)]),
    )
    assert response.status_code == 302 and response["Location"] == f"/mou/{version.pk}/signatures/"
    frozen = FrozenMou.objects.get(version=version)
    assert frozen.partner_ids == [block.partner_id]
    assert frozen.content["backbone"]["countersigner"]["email"] == coordinator.email
    page = client.get(response["Location"]).content.decode()
    assert "0 of 1" in page and "Waiting for partners" in page and frozen.content_sha256 in page
    again = client.post(f"/mou/{version.pk}/freeze/", _freeze_data(coordinator))
    assert again.status_code in (400, 409)


def test_the_freeze_form_needs_a_countersigner_and_a_future_deadline(
    version, block, other_block, lead, other_lead, coordinator, client_for
):
    accepted(block, lead, coordinator)
    accepted(other_block, other_lead, coordinator, OTHER)
    client = client_for(coordinator)
    response = client.post(
        f"/mou/{version.pk}/freeze/",
        {"signing_deadline": (NOW - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")},
    )
    assert response.status_code == 400
    assert "Choose the coordinator who countersigns" in response.content.decode()
    typed = {
        "signing_deadline": (NOW - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"),
        "countersigner_name": "Pat Board",
        "countersigner_email": "chair@hub.example.org",
    }
    response = client.post(f"/mou/{version.pk}/freeze/", typed)
    assert response.status_code == 400 and "must be in the future" in response.content.decode()
    typed["signing_deadline"] = (NOW + timedelta(days=9)).strftime("%Y-%m-%dT%H:%M")
    assert client.post(f"/mou/{version.pk}/freeze/", typed).status_code == 302
    counter = SignatureRequest.objects.get(role="countersigner")
    assert (counter.signer_name, counter.signer_email) == ("Pat Board", "chair@hub.example.org")


def test_editing_a_frozen_versions_blocks_is_closed_on_every_page(
    frozen, version, block, lead, coordinator, client_for
):
    base = f"/mou/{version.pk}/blocks/{block.pk}/"
    response = client_for(lead).post(base + "save/", {"commitments": "More", "revision": "99"})
    assert response.status_code in (400, 409)
    response = client_for(lead).post(
        base + "autosave/", {"commitments": "More", "revision": str(block.revision)}
    )
    assert response.status_code in (400, 409)
    response = client_for(coordinator).post(base + "request-changes/", {"changes-comment": "x"})
    assert response.status_code in (400, 409)
    assert client_for(coordinator).get(f"/mou/{version.pk}/edit/").status_code == 302
    block.refresh_from_db()
    assert block.commitments != "More" and block.status == "accepted"


# --- the signing page ---------------------------------------------------------------------------


def test_the_signing_page_shows_the_whole_frozen_mou_and_the_signers_part(frozen, client):
    token = token_for(request_of(frozen, SALEM))
    response = client.get(f"/mou/sign/{token}/")
    assert response.status_code == 200
    body = response.content.decode()
    for text in (
        "The parties",
        "Shared text",
        "We build a STEM learning community.",
        OTHER["role_in_partnership"],
        "Appendix A: needs and contributions",
        frozen.content_sha256,
        "Christy Perry",
        "Sign the MOU",
        "Decline to sign",
        "Someone else should sign",
        "I have read the whole memorandum",
    ):
        assert text in body
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert "mou/pdf/_agreement.html" in [t.name for t in response.templates]


def test_the_page_and_the_pdf_share_one_template():
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates" / "mou"
    include = '{% include "mou/pdf/_agreement.html" %}'
    assert include in (root / "sign_page.html").read_text()
    assert include in (root / "pdf" / "executed.html").read_text()


def test_unknown_expired_used_and_handed_over_links_get_a_clear_page_and_no_data(
    frozen, client, signing_deadline
):
    unknown = client.get("/mou/sign/" + "A" * 43 + "/")
    assert unknown.status_code == 404
    assert b"not known" in unknown.content and SALEM.encode() not in unknown.content

    salem = request_of(frozen, SALEM)
    token = token_for(salem)
    with time_machine.travel(signing_deadline + timedelta(minutes=1), tick=False):
        expired = client.get(f"/mou/sign/{token}/")
        assert expired.status_code == 410 and b"expired" in expired.content
        assert (
            client.post(
                f"/mou/sign/{token}/", {"sign-name": "X", "sign-title": "Y", "sign-consent": "on"}
            ).status_code
            == 410
        )
    for body in (expired.content,):
        assert frozen.content_sha256.encode() not in body and b"Christy" not in body

    response = client.post(
        f"/mou/sign/{token}/",
        {"sign-name": "Christy Perry", "sign-title": "Superintendent", "sign-consent": "on"},
    )
    assert response.status_code == 302 and response["Location"] == "/mou/sign/done/"
    used = client.get(f"/mou/sign/{token}/")
    assert used.status_code == 410 and b"Already signed" in used.content
    again = client.post(
        f"/mou/sign/{token}/",
        {"sign-name": "Christy Perry", "sign-title": "Superintendent", "sign-consent": "on"},
    )
    assert again.status_code == 410
    assert SignatureRequest.objects.get(pk=salem.pk).signed_name == "Christy Perry"


def test_signing_through_the_page(frozen, client):
    token = token_for(request_of(frozen, SALEM))
    url = f"/mou/sign/{token}/"
    missing = client.post(url, {"sign-name": "", "sign-title": "Superintendent"})
    assert missing.status_code == 400
    assert b"Type your full name: it is your signature." in missing.content
    assert b"Tick the box to confirm you agree to sign on behalf of " + SALEM.encode() in (
        missing.content.replace(b"&#x27;", b"'")
    )
    response = client.post(
        url,
        {"sign-name": "Christy Perry", "sign-title": "Superintendent", "sign-consent": "on"},
        REMOTE_ADDR="192.0.2.10",
        HTTP_USER_AGENT="Firefox/140",
        follow=True,
    )
    assert response.status_code == 200
    assert b"You have signed for Salem-Keizer School District" in response.content
    signed = request_of(frozen, SALEM)
    assert signed.status == "signed" and signed.signed_ip == "192.0.2.10"
    assert signed.signed_user_agent == "Firefox/140"


def test_signing_through_a_link_names_no_account_even_when_someone_is_signed_in(
    frozen, coordinator, client_for
):
    client = client_for(coordinator)
    url = f"/mou/sign/{token_for(request_of(frozen, SALEM))}/"
    client.get(url, REMOTE_ADDR="192.0.2.11", HTTP_USER_AGENT="Firefox/141")
    response = client.post(
        url,
        {"sign-name": "Christy Perry", "sign-title": "Superintendent", "sign-consent": "on"},
        REMOTE_ADDR="192.0.2.11",
        HTTP_USER_AGENT="Firefox/141",
    )
    assert response.status_code == 302
    signed = request_of(frozen, SALEM)
    assert (signed.signed_ip, signed.signed_user_agent) == ("192.0.2.11", "Firefox/141")
    for action in ("mou.signature_opened", "mou.signature_signed"):
        event = Event.objects.get(action=action)
        assert event.actor is None
        assert (event.ip_address, event.user_agent) == ("192.0.2.11", "Firefox/141")


def test_the_countersigner_cannot_sign_before_the_partners(frozen, client):
    counter = SignatureRequest.objects.get(frozen=frozen, role="countersigner")
    token = token_for(counter)
    page = client.get(f"/mou/sign/{token}/")
    assert page.status_code == 200 and b"countersigns last" in page.content
    assert b"Sign the MOU" not in page.content
    response = client.post(
        f"/mou/sign/{token}/",
        {"sign-name": "Lita Coordinator", "sign-title": "Director", "sign-consent": "on"},
    )
    assert response.status_code == 409
    assert b"every partner must sign first" in response.content
    counter.refresh_from_db()
    assert counter.status == "pending"


def test_declining_and_handing_over_through_the_page(frozen, client, coordinator):
    chemeketa = token_for(request_of(frozen, CHEMEKETA))
    assert client.post(f"/mou/sign/{chemeketa}/decline/", {"decline-reason": ""}).status_code == 400
    response = client.post(
        f"/mou/sign/{chemeketa}/decline/", {"decline-reason": "Not approved by our board."}
    )
    assert response.status_code == 302
    assert OutboxMessage.objects.filter(kind="mou_sign_declined", to_email=coordinator.email)

    salem = token_for(request_of(frozen, SALEM))
    bad = client.post(f"/mou/sign/{salem}/hand-over/", {"handover-name": "Deputy"})
    assert bad.status_code == 400
    response = client.post(
        f"/mou/sign/{salem}/hand-over/",
        {
            "handover-name": "Iton Udosenata",
            "handover-title": "Deputy",
            "handover-email": "deputy@example.org",
        },
    )
    assert response.status_code == 302
    assert client.get(f"/mou/sign/{salem}/").status_code == 410
    assert OutboxMessage.objects.filter(kind="mou_sign_request", to_email="deputy@example.org")


def test_signature_reminders_go_through_the_engine_with_a_signing_link(
    frozen, client, signing_deadline, settings
):
    from core.models import Reminder
    from core.services.reminders import reminders_sweep

    services.signature_sign(
        signature=request_of(frozen, SALEM),
        name="Christy Perry",
        title="Sup",
        consent=True,
        actor=Actor.system(),
    )
    week_before = signing_deadline - timedelta(days=7)
    with time_machine.travel(week_before.replace(hour=12), tick=False):
        result = reminders_sweep()
        assert result.by_source["mou.signature"] == 1
        assert reminders_sweep().by_source["mou.signature"] == 0
    (reminder,) = Reminder.objects.filter(source="mou.signature")
    assert reminder.recipient_email == "president@example.edu" and reminder.role == "signer"
    message = reminder.message
    assert message.kind == "reminder:mou_sign_reminder"
    assert "/accounts/link/" not in message.body_text
    link = message.body_text.split(settings.SITE_URL, 1)[1].split()[0]
    assert link.startswith("/mou/sign/")
    assert client.get(link).status_code == 200
    assert Event.objects.filter(action="mou.signature_reminded").count() == 1
    # Neither the signed partner nor the waiting countersigner is reminded.
    assert not Reminder.objects.exclude(recipient_email="president@example.edu").filter(
        source="mou.signature"
    )
    with time_machine.travel(signing_deadline + timedelta(days=8), tick=False):
        assert reminders_sweep().by_source.get("mou.signature", 0) == 0


def test_a_stage_already_past_at_freeze_time_is_not_sent(frozen, signing_deadline):
    from core.services.reminders import reminders_sweep

    # Frozen 30 days before the deadline: the 14-day stage lies ahead, nothing is due today.
    assert reminders_sweep(now=NOW + timedelta(hours=1)).by_source.get("mou.signature", 0) == 0


def test_remind_now_from_the_signatures_page(frozen, version, coordinator, client_for):
    signature = request_of(frozen, SALEM)
    client = client_for(coordinator)
    response = client.post(f"/mou/{version.pk}/signatures/{signature.pk}/remind/", follow=True)
    assert b"Reminder sent to superintendent@example.org" in response.content
    assert (
        OutboxMessage.objects.filter(
            kind="reminder:mou_sign_reminder", to_email="superintendent@example.org"
        ).count()
        == 1
    )
    counter = SignatureRequest.objects.get(frozen=frozen, role="countersigner")
    response = client.post(f"/mou/{version.pk}/signatures/{counter.pk}/remind/", follow=True)
    assert b"No reminder is due" in response.content


# --- the executed PDF ---------------------------------------------------------------------------


def test_the_executed_pdf_is_served_from_storage_never_rendered_in_a_request(
    executed, version, lead, viewer, client_for, monkeypatch
):
    from mou.services import executed as executed_module

    def refuse(**kwargs):
        raise AssertionError("rendered in a request")

    monkeypatch.setattr(executed_module, "executed_pdf_bytes", refuse)
    for user in (lead, viewer):
        response = client_for(user).get(f"/mou/{version.pk}/executed.pdf")
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        data = b"".join(response.streaming_content)
        assert hashlib.sha256(data).hexdigest() == executed.sha256
    detail = client_for(lead).get(f"/mou/{version.pk}/").content.decode()
    assert "Download the executed MOU" in detail


def test_the_executed_pdf_is_not_found_before_execution(frozen, version, coordinator, client_for):
    assert client_for(coordinator).get(f"/mou/{version.pk}/executed.pdf").status_code == 404


def test_the_signatures_page_runs_a_fixed_number_of_queries(
    executed, version, coordinator, client_for, django_assert_max_num_queries
):
    client = client_for(coordinator)
    with django_assert_max_num_queries(14):
        response = client.get(f"/mou/{version.pk}/signatures/")
    body = response.content.decode()
    assert "Download the executed MOU" in body and executed.sha256 in body
    assert "Signed" in body and "Last signature landed" in body


# --- verify -------------------------------------------------------------------------------------


def _pdf_upload(data: bytes, name="mou.pdf"):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_verify_says_genuine_for_the_executed_pdf_and_its_hash(executed, client):
    page = client.get("/verify/")
    assert page.status_code == 200 and b"Verify a signed MOU" in page.content
    data = executed.file.read()
    response = client.post("/verify/", {"pdf": _pdf_upload(data)})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-genuine="yes"' in body and "Genuine" in body
    assert executed.frozen.version.title in body and "version 1" in body
    response = client.post("/verify/", {"sha256": executed.sha256.upper()})
    assert 'data-genuine="yes"' in response.content.decode()


def test_verify_says_not_genuine_when_one_byte_changed(executed, client):
    data = bytearray(executed.file.read())
    data[len(data) // 2] ^= 0x01
    response = client.post("/verify/", {"pdf": _pdf_upload(bytes(data))})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-genuine="no"' in body and "Not genuine" in body
    assert executed.frozen.version.title not in body
    unknown = client.post("/verify/", {"sha256": "ab" * 32})
    assert unknown.status_code == 200 and 'data-genuine="no"' in unknown.content.decode()


def test_verify_refuses_malformed_input_with_a_400(client):
    for data, words in (
        ({"sha256": "not-a-hash"}, "A SHA-256 is 64 characters"),
        ({"sha256": "ab" * 31}, "A SHA-256 is 64 characters"),
        ({}, "Choose a PDF file, or paste its SHA-256."),
        ({"pdf": _pdf_upload(b"<html>not a pdf</html>", "x.pdf")}, "That file is not a PDF."),
        ({"pdf": _pdf_upload(b"", "empty.pdf")}, ""),
    ):
        response = client.post("/verify/", data)
        assert response.status_code == 400, data
        assert words in response.content.decode()


def test_verify_refuses_a_50_mb_upload_before_reading_it(client):
    response = client.generic(
        "POST",
        "/verify/",
        b"",
        content_type="multipart/form-data; boundary=xyz",
        CONTENT_LENGTH=str(50 * 1024 * 1024),
    )
    assert response.status_code == 400 and b"too large" in response.content


def test_verify_is_rate_limited_per_address(client):
    for _ in range(VERIFY_PER_IP_PER_HOUR):
        assert client.post("/verify/", {"sha256": "ab" * 32}).status_code == 200
    response = client.post("/verify/", {"sha256": "ab" * 32})
    assert response.status_code == 429 and b"Too many checks" in response.content
    other = client.post("/verify/", {"sha256": "ab" * 32}, REMOTE_ADDR="192.0.2.99")
    assert other.status_code == 200


def test_verify_checks_csrf(client):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert strict.post("/verify/", {"sha256": "ab" * 32}).status_code == 403


# --- calendar -----------------------------------------------------------------------------------


def _feed(client, user) -> str:
    token = meeting_services.calendar_feed_create(user=user, actor=Actor.of(user))
    response = client.get(f"/meetings/calendar/{token}.ics")
    assert response.status_code == 200
    return response.content.decode()


def _summaries(ics: str) -> dict:
    calendar = Calendar.from_ical(ics)
    return {str(event["SUMMARY"]): event.decoded("DTSTART") for event in calendar.walk("VEVENT")}


def test_the_calendar_feed_holds_the_block_deadline_then_the_signing_deadline(
    version,
    block,
    other_block,
    lead,
    other_lead,
    coordinator,
    client,
    signing_deadline,
    countersigner,
    deadline,
):
    events = _summaries(_feed(client, lead))
    assert events[f"MOU block due: {SALEM}"] == deadline.date()
    assert f"MOU block due: {CHEMEKETA}" not in events
    coordinator_events = _summaries(_feed(client, coordinator))
    assert coordinator_events[f"MOU blocks due: {version.title}"] == deadline.date()

    accepted(block, lead, coordinator)
    fill(other_block, other_lead)
    services.version_freeze(
        version=version,
        actor=Actor.of(coordinator),
        signing_deadline=signing_deadline,
        countersigner=countersigner,
        leave_out=[other_block.partner_id],
    )
    events = _summaries(_feed(client, lead))
    assert events[f"MOU signing deadline: {version.title}"] == signing_deadline.date()
    assert not any(s.startswith("MOU block due") for s in events)
    left_out = _summaries(_feed(client, other_lead))
    assert not any(s.startswith("MOU") for s in left_out)
    assert f"MOU signing deadline: {version.title}" in _summaries(_feed(client, coordinator))


def test_links_are_stored_one_per_e_mail(frozen):
    assert SigningLink.objects.count() == 2


def test_the_engine_sends_an_explicit_link_as_it_is_and_calls_a_link_maker_only_to_send(frozen):
    from core.models import Reminder
    from core.services import reminders as engine

    signature = request_of(frozen, SALEM)
    made = []

    def maker():
        made.append(1)
        return "https://portal.example.org/mou/sign/made-for-this-e-mail/"

    def due(link):
        return engine.Due(
            subject=signature,
            stage="before-7",
            stage_label="7 days before the deadline",
            due_at=NOW,
            recipients=[engine.Recipient(email=signature.signer_email, role="signer", link=link)],
            template="mou_sign_reminder",
            context={"signature": signature, "title": "MOU", "number": 1, "deadline": NOW},
        )

    assert engine._claim_and_send(source="mou.signature", dues=[due(maker)], now=NOW) == 1
    assert engine._claim_and_send(source="mou.signature", dues=[due(maker)], now=NOW) == 0
    assert made == [1]  # the second sweep claimed nothing, so no link was made
    body = Reminder.objects.get().message.body_text
    assert "https://portal.example.org/mou/sign/made-for-this-e-mail/" in body
    plain = due("https://portal.example.org/plain/")
    plain.stage = "before-2"
    engine._claim_and_send(source="mou.signature", dues=[plain], now=NOW)
    assert (
        "https://portal.example.org/plain/"
        in Reminder.objects.get(stage="before-2").message.body_text
    )


def test_a_round_someone_declined_is_not_reminded(frozen, signing_deadline):
    from core.services.reminders import reminders_sweep

    services.signature_decline(
        signature=request_of(frozen, CHEMEKETA), reason="No.", actor=Actor.system()
    )
    with time_machine.travel(signing_deadline - timedelta(days=6), tick=False):
        assert reminders_sweep().by_source.get("mou.signature", 0) == 0


def test_the_admin_reads_the_signing_records_and_changes_none(executed, client_for):
    from tests import factories

    admin = factories.UserFactory(is_staff=True, is_superuser=True, is_coordinator=True)
    client = client_for(admin)
    signature = SignatureRequest.objects.filter(frozen=executed.frozen).first()
    for model, pk in (
        ("frozenmou", executed.frozen_id),
        ("signaturerequest", signature.pk),
        ("executedpdf", executed.pk),
    ):
        assert client.get(f"/admin/mou/{model}/").status_code == 200
        assert client.get(f"/admin/mou/{model}/{pk}/change/").status_code == 200
        assert client.get(f"/admin/mou/{model}/{pk}/delete/").status_code == 403
