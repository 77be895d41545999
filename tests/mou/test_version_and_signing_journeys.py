"""Where new users stumbled in the coordinator's version journey and the signing leader's
journey: each rule through the services, and what the pages say, through the test client."""

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from core.actor import Actor
from core.models import Event
from mou import selectors, services
from mou.exceptions import TransitionNotAllowed
from mou.forms import VersionForm
from mou.models import ExecutedPdf, MouVersion, RoleBlock, RoleTemplate, SignatureRequest
from tests.mou.conftest import OTHER, accepted, network_time, request_of, token_for

pytestmark = pytest.mark.django_db

NOW = network_time(2031, 9, 1, 9, 30)
SALEM = "Salem-Keizer School District"
CHEMEKETA = "Chemeketa Community College"


@pytest.fixture(autouse=True)
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def sign_all(frozen, *, salem_name="Christy Perry", **salem_kwargs) -> None:
    salem_kwargs.setdefault("actor", Actor.system())
    services.signature_sign(
        signature=request_of(frozen, SALEM),
        name=salem_name,
        title="Superintendent",
        consent=True,
        **salem_kwargs,
    )
    services.signature_sign(
        signature=request_of(frozen, CHEMEKETA),
        name="Jessica Howard",
        title="P",
        consent=True,
        actor=Actor.system(),
    )
    counter = SignatureRequest.objects.get(frozen=frozen, role="countersigner")
    services.signature_sign(
        signature=counter, name="Lita Coordinator", title="D", consent=True, actor=Actor.system()
    )


# --- 1. a new version starts from the previous one ------------------------------------------------


def test_a_new_version_starts_from_the_previous_versions_text_and_templates(
    version, coordinator, client_for, deadline
):
    services.role_template_save(
        version=version,
        kind="college",
        actor=Actor.of(coordinator),
        data={"title": "College partner", "guidance": "Say which labs you open."},
    )
    client = client_for(coordinator)
    page = client.get("/mou/new/").content.decode()
    (checkbox,) = re.findall(r'<input[^>]*name="start_from_previous"[^>]*>', page)
    assert "checked" in checkbox
    response = client.post(
        "/mou/new/",
        {
            "title": "MOU 2032",
            "shared_text": "",
            "deadline": (deadline + timedelta(days=365)).strftime("%Y-%m-%dT%H:%M"),
            "previous": version.pk,
            "start_from_previous": "on",
        },
    )
    assert response.status_code == 302
    new = MouVersion.objects.get(title="MOU 2032")
    assert new.shared_text == version.shared_text
    copied = RoleTemplate.objects.get(version=new, kind="college")
    assert copied.guidance == "Say which labs you open."


def test_unticked_the_new_version_starts_empty_with_the_network_defaults(
    version, coordinator, deadline
):
    services.role_template_save(
        version=version, kind="college", actor=Actor.of(coordinator), data={"guidance": "Ours."}
    )
    new = services.version_create(
        actor=Actor.of(coordinator),
        title="Fresh start",
        shared_text="",
        deadline=deadline + timedelta(days=365),
        previous=version,
        start_from_previous=False,
    )
    assert new.shared_text == ""
    assert RoleTemplate.objects.get(version=new, kind="college").guidance != "Ours."
    typed = services.version_create(
        actor=Actor.of(coordinator),
        title="Typed text wins",
        shared_text="## Our own words",
        deadline=deadline + timedelta(days=365),
        previous=version,
    )
    assert typed.shared_text == "## Our own words"


def test_the_choice_is_offered_only_when_there_is_a_previous_version(coordinator, db):
    assert "start_from_previous" not in VersionForm().fields


# --- 2. past deadlines, deleting drafts -----------------------------------------------------------


def test_a_past_deadline_is_refused_on_the_create_form(coordinator, client_for):
    response = client_for(coordinator).post(
        "/mou/new/",
        {"title": "Late", "shared_text": "x", "deadline": "2031-08-31T17:00"},
    )
    assert response.status_code == 400
    assert b"has already passed" in response.content
    assert not MouVersion.objects.filter(title="Late").exists()


def test_a_draft_can_be_deleted_by_a_coordinator_after_confirmation(
    draft_version, coordinator, lead, client_for
):
    path = f"/mou/{draft_version.pk}/delete/"
    assert client_for(lead).post(path).status_code in (403, 404)
    client = client_for(coordinator)
    confirm = client.get(path)
    assert confirm.status_code == 200 and b"Delete this draft" in confirm.content
    assert MouVersion.objects.filter(pk=draft_version.pk).exists()  # GET deletes nothing
    response = client.post(path)
    assert response.status_code == 302
    assert not MouVersion.objects.filter(pk=draft_version.pk).exists()
    assert not RoleTemplate.objects.filter(version_id=draft_version.pk).exists()
    event = Event.objects.get(action="mou.version_deleted")
    assert event.actor == coordinator and event.data["title"] == draft_version.title


def test_an_opened_version_is_never_deleted(version, coordinator, client_for):
    response = client_for(coordinator).post(f"/mou/{version.pk}/delete/")
    assert response.status_code == 409 and b"only a draft" in response.content
    with pytest.raises(TransitionNotAllowed):
        services.version_delete(version=version, actor=Actor.of(coordinator))
    assert MouVersion.objects.filter(pk=version.pk).exists()


# --- 3. the freeze button -------------------------------------------------------------------------


def test_freeze_is_primary_only_once_every_block_is_accepted(
    version, block, other_block, lead, other_lead, coordinator, client_for
):
    client = client_for(coordinator)
    accepted(block, lead, coordinator)
    page = client.get(f"/mou/{version.pk}/").content.decode()
    assert "1 of 2 blocks is still not accepted" in page
    button = page.split('data-testid="freeze-button"')[0].rsplit("<a", 1)[1]
    assert "btn-outline-secondary" in button and "btn-primary" not in button
    accepted(other_block, other_lead, coordinator, OTHER)
    page = client.get(f"/mou/{version.pk}/").content.decode()
    assert "still not accepted" not in page
    button = page.split('data-testid="freeze-button"')[0].rsplit("<a", 1)[1]
    assert "btn-primary" in button


# --- 4. verify by the hash the cover prints -------------------------------------------------------


def test_verify_accepts_the_content_hash_on_the_cover_and_the_file_hash(
    frozen, client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        sign_all(frozen)
    record = ExecutedPdf.objects.get(frozen=frozen)
    by_content = client.post("/verify/", {"sha256": frozen.content_sha256.upper()})
    body = by_content.content.decode()
    assert 'data-genuine="yes"' in body and 'data-matched="content"' in body
    assert "signed content" in body
    by_file = client.post("/verify/", {"sha256": record.sha256})
    assert b'data-matched="file"' in by_file.content and b'data-genuine="yes"' in by_file.content
    unknown = client.post("/verify/", {"sha256": hashlib.sha256(b"x").hexdigest()})
    assert b'data-genuine="no"' in unknown.content


def test_the_content_hash_of_a_version_not_yet_executed_is_not_genuine(frozen, client):
    response = client.post("/verify/", {"sha256": frozen.content_sha256})
    assert b'data-genuine="no"' in response.content


# --- 5. the typed name and signing on behalf ------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "invited", "matches"),
    [
        ("elena ortiz", "Dr. Elena María Ortiz", True),
        ("Elena M. Ortiz", "Dr. Elena María Ortiz", True),
        ("ORTIZ, Elena", "Dr. Elena María Ortiz", False),
        ("Ms Elena Maria Ortiz PhD", "Dr. Elena María Ortiz", True),
        ("Mickey Mouse", "Dr. Elena María Ortiz", False),
        ("Elena", "Dr. Elena María Ortiz", False),
        ("Elena Ruiz", "Dr. Elena María Ortiz", False),
        ("Elena Ana Ortiz", "Dr. Elena María Ortiz", False),
        ("Christy A. Perry", "Christy Perry", True),
        ("Jean-Luc O'Neil", "Jean Luc ONeil", True),
    ],
)
def test_name_matching_forgives_spelling_not_another_person(typed, invited, matches):
    from mou.rules import name_matches

    assert name_matches(typed=typed, invited=invited) is matches


def test_another_persons_name_is_refused_naming_who_the_link_is_for(frozen, client):
    salem = request_of(frozen, SALEM)
    url = f"/mou/sign/{token_for(salem)}/"
    data = {"sign-name": "Mickey Mouse", "sign-title": "Head", "sign-consent": "on"}
    response = client.post(url, data)
    assert response.status_code == 400
    assert b"This signing link is for Christy Perry" in response.content
    salem.refresh_from_db()
    assert salem.status == SignatureRequest.Status.PENDING and salem.signed_name == ""
    accepted_spelling = client.post(url, {**data, "sign-name": "christy perry"})
    assert accepted_spelling.status_code == 302


def test_signing_on_behalf_needs_a_reason_and_is_shown_everywhere(
    frozen, client, client_for, coordinator
):
    salem = request_of(frozen, SALEM)
    url = f"/mou/sign/{token_for(salem)}/"
    data = {
        "sign-name": "Mickey Mouse",
        "sign-title": "Deputy superintendent",
        "sign-consent": "on",
        "sign-on_behalf": "on",
    }
    missing = client.post(url, data)
    assert missing.status_code == 400 and b"Say why you sign instead" in missing.content
    assert SignatureRequest.objects.get(pk=salem.pk).status == "pending"
    reason = "Acting superintendent while Dr. Perry is on leave"
    assert client.post(url, {**data, "sign-on_behalf_reason": reason}).status_code == 302
    salem.refresh_from_db()
    assert salem.signed_on_behalf and salem.on_behalf_reason == reason
    assert salem.signed_by_display == "Mickey Mouse on behalf of Christy Perry"

    page = client_for(coordinator).get(f"/mou/{frozen.version_id}/signatures/").content.decode()
    assert "signed by Mickey Mouse, Deputy superintendent, on behalf of Christy Perry" in page
    assert reason in page
    audit = [r for r in selectors.signature_audit(frozen=frozen) if r.label == "Signed"]
    assert audit[0].who == f"Mickey Mouse on behalf of Christy Perry (reason: {reason})"

    from django.template.loader import render_to_string

    html = render_to_string(
        "mou/pdf/executed.html",
        {
            "mou": selectors.signing_document(frozen=frozen),
            "signatures": [salem],
            "audit": selectors.signature_audit(frozen=frozen),
        },
    )
    assert "Signed by Mickey Mouse on behalf of Christy Perry" in html and reason in html


def test_the_service_refuses_a_wrong_name_whatever_the_form(frozen):
    with pytest.raises(ValidationError) as error:
        services.signature_sign(
            signature=request_of(frozen, SALEM),
            name="Mickey Mouse",
            title="X",
            consent=True,
            actor=Actor.system(),
        )
    assert "Christy Perry" in error.value.message_dict["name"][0]
    with pytest.raises(ValidationError) as error:
        services.signature_sign(
            signature=request_of(frozen, SALEM),
            name="Mickey Mouse",
            title="X",
            consent=True,
            on_behalf=True,
            on_behalf_reason="  ",
            actor=Actor.system(),
        )
    assert "on_behalf_reason" in error.value.message_dict


# --- 6. the whole MOU of a frozen version ---------------------------------------------------------


def test_the_whole_mou_of_a_frozen_version_is_the_frozen_record(
    frozen, block, lead, coordinator, client_for
):
    # The live block changes after the freeze only in the database (as an admin might):
    # the page must still show what was frozen.
    RoleBlock.objects.filter(pk=block.pk).update(commitments="Changed after the freeze")
    page = client_for(coordinator).get(f"/mou/{frozen.version_id}/document/").content.decode()
    assert "Changed after the freeze" not in page
    assert frozen.content["partners"][1]["block"]["commitments"] in page
    assert "Draft PDF" not in page and frozen.content_sha256 in page
    assert "frozen for signature" in page


# --- 7. the signer's copy -------------------------------------------------------------------------


def test_a_signer_downloads_their_copy_from_their_link_until_it_expires(
    frozen, client, clock, django_capture_on_commit_callbacks
):
    salem = request_of(frozen, SALEM)
    token = token_for(salem)
    services.signature_sign(
        signature=salem, name="Christy Perry", title="S", consent=True, actor=Actor.system()
    )
    before = client.get(f"/mou/sign/{token}/")
    assert before.status_code == 410 and b"being prepared" in before.content
    early = client.get(f"/mou/sign/{token}/copy.pdf")
    assert early.status_code == 404 and b"being prepared" in early.content
    services.signature_sign(
        signature=request_of(frozen, CHEMEKETA),
        name="Jessica Howard",
        title="P",
        consent=True,
        actor=Actor.system(),
    )
    counter = SignatureRequest.objects.get(frozen=frozen, role="countersigner")
    with django_capture_on_commit_callbacks(execute=True):
        services.signature_sign(
            signature=counter,
            name="Lita Coordinator",
            title="D",
            consent=True,
            actor=Actor.system(),
        )
    record = ExecutedPdf.objects.get(frozen=frozen)
    page = client.get(f"/mou/sign/{token}/")
    assert b"Download your copy" in page.content
    download = client.get(f"/mou/sign/{token}/copy.pdf")
    assert download.status_code == 200
    assert hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == record.sha256
    assert download["Cache-Control"] == "no-store"
    clock.move_to(frozen.signing_deadline + timedelta(minutes=1))
    assert client.get(f"/mou/sign/{token}/copy.pdf").status_code == 410
    assert b"Download your copy" not in client.get(f"/mou/sign/{token}/").content


def test_an_unsigned_link_has_no_copy_to_download(frozen, client):
    token = token_for(request_of(frozen, SALEM))
    response = client.get(f"/mou/sign/{token}/copy.pdf")
    assert response.status_code == 302 and response["Location"] == f"/mou/sign/{token}/"
    assert client.get("/mou/sign/" + "A" * 43 + "/copy.pdf").status_code == 404


# --- 8. a frozen version's templates --------------------------------------------------------------


def test_a_frozen_versions_template_is_shown_read_only(frozen, coordinator, client_for):
    client = client_for(coordinator)
    path = f"/mou/{frozen.version_id}/templates/school_district/"
    page = client.get(path)
    assert page.status_code == 200
    body = page.content.decode()
    assert "<input" not in body.split("<main")[-1] and "<textarea" not in body
    assert "can no longer change" in body and "Save template" not in body
    refused = client.post(path, {"title": "Changed"})
    assert refused.status_code == 409 and b"Not saved" in refused.content


# --- 9. messages a superintendent reads -----------------------------------------------------------


def test_the_used_link_page_says_when_and_whom_to_contact(frozen, client, coordinator):
    salem = request_of(frozen, SALEM)
    token = token_for(salem)
    services.signature_sign(
        signature=salem, name="Christy Perry", title="S", consent=True, actor=Actor.system()
    )
    body = client.get(f"/mou/sign/{token}/").content.decode()
    assert "You signed this MOU for Salem-Keizer School District on" in body
    assert "September 1, 2031" in body
    assert "if this wasn&#x27;t you, contact Lita Coordinator" in body.replace("If", "if")
    assert coordinator.email in body
    assert "it signed." not in body


def test_a_fresh_version_form_with_no_consent_says_what_to_tick(frozen, client):
    token = token_for(request_of(frozen, SALEM))
    response = client.post(
        f"/mou/sign/{token}/", {"sign-name": "Christy Perry", "sign-title": "Superintendent"}
    )
    assert response.status_code == 400
    assert b"Tick the box to confirm you agree to sign on behalf of Salem-Keizer" in (
        response.content
    )
    assert b"This field is required" not in response.content
