"""MOU pages: what they show, bad input, history and differences, the PDF flow."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from core.actor import Actor
from core.models import OutboxMessage
from mou import services
from mou.models import BlockSeen, DraftPdf, MouVersion, RoleBlock
from tests.mou.conftest import COMPLETE, fill, submitted

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('pwned')</script>"


def url(block: RoleBlock, suffix: str = "") -> str:
    return f"/mou/{block.version_id}/blocks/{block.pk}/{suffix}"


def text(response) -> str:
    return response.content.decode()


# --- versions -----------------------------------------------------------------------------


def test_coordinator_creates_a_version_with_a_deadline_in_the_network_zone(coordinator, client_for):
    client = client_for(coordinator)
    response = client.post(
        "/mou/new/",
        {
            "title": "Mid-Valley STEM Partnership MOU 2027–28",
            "shared_text": "## Purpose\n\nTogether.",
            "deadline": "2040-10-15T23:59",
        },
    )
    version = MouVersion.objects.get(title__startswith="Mid-Valley")
    assert response.status_code == 302 and response["Location"] == version.get_absolute_url()
    # 23:59 typed is 23:59 in Los Angeles (PDT in October), whatever the server's zone.
    assert version.deadline.isoformat() == "2040-10-16T06:59:00+00:00"
    page = text(client.get(version.get_absolute_url()))
    assert "Monday, October 15, 2040, 11:59 PM PDT" in page
    assert "(America/Los_Angeles)" not in page


def test_version_form_errors_are_400(coordinator, client_for):
    response = client_for(coordinator).post("/mou/new/", {"title": "", "deadline": "soon"})
    assert response.status_code == 400
    assert "This field is required." in text(response)
    assert "Enter a valid date/time." in text(response)
    assert not MouVersion.objects.exists()


def test_opening_from_the_page_emails_leads_and_reports(
    coordinator,
    draft_version,
    partner,
    lead,
    other_lead,
    client_for,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    client = client_for(coordinator)
    confirm = client.get(f"/mou/{draft_version.pk}/open/")
    assert "e-mail their <strong>2</strong> leads" in text(confirm)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mou/{draft_version.pk}/open/")
    assert response.status_code == 302
    assert len(mailoutbox) == 2
    page = text(client.get(response["Location"]))
    assert "is open: 2 partners have a block" in page


def test_opening_after_the_deadline_is_a_400_with_a_message(
    coordinator, draft_version, client_for, deadline
):
    with time_machine.travel(deadline + timedelta(hours=1), tick=False):
        response = client_for(coordinator).post(f"/mou/{draft_version.pk}/open/")
    assert response.status_code == 400
    assert "The deadline has passed" in text(response)
    draft_version.refresh_from_db()
    assert draft_version.status == MouVersion.Status.DRAFT


def test_opening_twice_is_a_409(coordinator, version, client_for):
    response = client_for(coordinator).post(f"/mou/{version.pk}/open/")
    assert response.status_code == 409
    assert "Only a draft can be opened" in text(response)


def test_a_frozen_version_cannot_be_edited(coordinator, version, client_for):
    MouVersion.objects.filter(pk=version.pk).update(status=MouVersion.Status.FROZEN)
    client = client_for(coordinator)
    response = client.get(f"/mou/{version.pk}/edit/")
    assert response.status_code == 302
    assert "can no longer change" in text(client.get(response["Location"]))


def test_partners_see_their_own_block_on_the_version_page(version, block, lead, client_for):
    page = text(client_for(lead).get(f"/mou/{version.pk}/"))
    assert block.get_absolute_url() in page
    assert "Start your block" in page


def test_the_coordinator_sees_every_block_and_filters_by_status(
    version, block, other_block, lead, coordinator, client_for
):
    submitted(block, lead)
    client = client_for(coordinator)
    page = text(client.get(f"/mou/{version.pk}/"))
    assert "<strong>1 of 2</strong> partners have submitted" in page
    assert block.partner.name in page and other_block.partner.name in page
    filtered = text(client.get(f"/mou/{version.pk}/?status=submitted"))
    assert block.partner.name in filtered and other_block.partner.name not in filtered
    # An unknown status is ignored rather than an error.
    assert client.get(f"/mou/{version.pk}/?status=bogus").status_code == 200


def test_changed_since_you_last_looked(version, block, lead, coordinator, client_for):
    client = client_for(coordinator)
    client.get(block.get_absolute_url())
    assert BlockSeen.objects.get(user=coordinator, block=block).revision == 0
    assert "Changed since you last looked" not in text(client.get(f"/mou/{version.pk}/"))
    fill(block, lead)
    assert "Changed since you last looked" in text(client.get(f"/mou/{version.pk}/"))
    page = text(client.get(block.get_absolute_url()))
    assert "Changed since you last looked" in page
    assert "diff/?old=0&amp;new=1" in page
    assert "Changed since you last looked" not in text(client.get(f"/mou/{version.pk}/"))


def test_template_edit_saves_and_shows_in_the_editor(version, block, coordinator, lead, client_for):
    client = client_for(coordinator)
    response = client.post(
        f"/mou/{version.pk}/templates/school_district/",
        {
            "title": "District partner (2026)",
            "guidance": "Name your **prototype schools**.",
            "role_prompt": "Which schools go first?",
            "model_text": "- A model line",
        },
    )
    assert response.status_code == 302
    page = text(client_for(lead).get(block.get_absolute_url()))
    assert "District partner (2026)" in page
    assert "<strong>prototype schools</strong>" in page
    assert "Which schools go first?" in page
    assert client.get(f"/mou/{version.pk}/templates/spaceship/").status_code == 404


# --- the block editor ---------------------------------------------------------------------


def test_the_editor_shows_guidance_prompts_and_the_autosave_form(version, block, lead, client_for):
    response = client_for(lead).get(block.get_absolute_url())
    page = text(response)
    assert response.status_code == 200
    assert "Guidance: School district partner" in page
    assert "The model role" in page
    assert f'data-hx-post="{url(block, "autosave/")}"' in page
    assert 'name="revision"' in page and 'value="0"' in page
    assert "Submit for review" in page
    assert "Friday, October 15" in page or "October 15" in page
    assert " PDT" in page and "America/Los_Angeles" not in page
    assert f"/matrix/partners/{block.partner_id}/" in page


def test_viewers_and_coordinators_get_a_read_only_view(
    version, block, lead, viewer, coordinator, client_for
):
    fill(block, lead)
    for user in (viewer, coordinator):
        page = text(client_for(user).get(block.get_absolute_url()))
        assert "block-form" not in page
        assert COMPLETE["commitments"] in page
    assert "Accept this block" not in text(client_for(coordinator).get(block.get_absolute_url()))


def test_the_editor_shows_what_was_carried_over(
    version, block, lead, coordinator, deadline, client_for
):
    fill(block, lead)
    later = services.version_create(
        actor=Actor.of(coordinator),
        title="Next year",
        shared_text="",
        deadline=deadline,
        previous=version,
    )
    services.version_open(version=later, actor=Actor.of(coordinator))
    carried = RoleBlock.objects.get(version=later, partner=block.partner)
    page = text(client_for(lead).get(carried.get_absolute_url()))
    assert "Your block starts from" in page and "Compare with the last version" in page
    assert "Last version&#x27;s text" in page or "Last version's text" in page
    assert COMPLETE["role_in_partnership"] in page
    diff = client_for(lead).get(url(carried, "diff/?old=previous"))
    assert diff.status_code == 200
    assert "0 fields changed" in text(diff)


def test_save_draft_button_saves_and_redirects(version, block, editor, client_for):
    response = client_for(editor).post(
        url(block, "save/"),
        {
            "role_in_partnership": "Teacher teams",
            "revision": "0",
        },
    )
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.role_in_partnership == "Teacher teams" and block.revision == 1


def test_autosave_answers_with_a_status_fragment_and_the_new_revision(
    version, block, lead, client_for
):
    client = client_for(lead)
    response = client.post(
        url(block, "autosave/"),
        {"commitments": "Release time", "revision": "0"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = text(response)
    assert "Saved" in body
    assert 'id="id_revision" value="1" data-hx-swap-oob="true"' in body
    again = client.post(url(block, "autosave/"), {"commitments": "Release time", "revision": "1"})
    assert "All changes saved" in text(again)
    block.refresh_from_db()
    assert block.revision == 1


def test_submit_incomplete_is_400_naming_the_missing_fields_and_keeps_the_draft(
    version, block, lead, client_for
):
    response = client_for(lead).post(
        url(block, "submit/"),
        {
            "role_in_partnership": "Only the role",
            "revision": "0",
        },
    )
    assert response.status_code == 400
    page = text(response)
    assert "cannot be submitted yet" in page
    for label in [
        "What we commit and contribute",
        "What we ask of the network",
        "Point of contact",
        "Contact e-mail",
        "Signing leader",
        "Signing leader&#x27;s title",
        "Signing leader&#x27;s e-mail",
    ]:
        assert label in page, label
    block.refresh_from_db()
    assert block.status == RoleBlock.Status.DRAFT
    assert block.role_in_partnership == "Only the role"
    # The page carries the new revision, so the next save is not a conflict.
    assert 'name="revision" value="1"' in page


def test_submit_complete_redirects_with_thanks(version, block, lead, client_for):
    client = client_for(lead)
    response = client.post(url(block, "submit/"), {**COMPLETE, "revision": "0"})
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.status == RoleBlock.Status.SUBMITTED
    page = text(client.get(response["Location"]))
    assert "your block is submitted for review" in page
    assert "block-form" not in page


def test_an_invalid_signing_leader_email_is_400_everywhere(version, block, lead, client_for):
    client = client_for(lead)
    data = {"signing_leader_email": "superintendent at district", "revision": "0"}
    for suffix in ("save/", "autosave/", "submit/"):
        response = client.post(url(block, suffix), data)
        assert response.status_code == 400, suffix
        assert "Enter a valid email address." in text(response)
    block.refresh_from_db()
    assert block.revision == 0


def test_a_50000_character_text_is_refused_with_a_message(version, block, lead, client_for):
    client = client_for(lead)
    response = client.post(url(block, "save/"), {"commitments": "x" * 50_000, "revision": "0"})
    assert response.status_code == 400
    assert "at most 20000 characters (it has 50000)" in text(response)
    response = client.post(url(block, "autosave/"), {"commitments": "x" * 50_000, "revision": "0"})
    assert response.status_code == 400
    assert "Not saved yet" in text(response)
    block.refresh_from_db()
    assert block.commitments == ""


def test_a_stale_form_gets_the_conflict_page_and_nothing_is_overwritten(
    version, block, lead, editor, client_for
):
    fill(block, lead, {"commitments": "Lead's text"})
    response = client_for(editor).post(
        url(block, "save/"),
        {
            "commitments": "Editor's text",
            "revision": "0",
        },
    )
    assert response.status_code == 409
    page = text(response)
    assert "Your changes were not saved" in page
    assert "Editor&#x27;s text" in page and "Lead&#x27;s text" in page
    autosave = client_for(editor).post(
        url(block, "autosave/"), {"commitments": "Editor's text", "revision": "0"}
    )
    assert autosave.status_code == 409
    assert autosave["HX-Trigger"] == "mou-conflict"
    assert autosave["HX-Retarget"] == "#conflict-area"
    block.refresh_from_db()
    assert block.commitments == "Lead's text"


def test_an_edit_after_the_deadline_is_refused_with_a_clear_message(
    version, block, lead, client_for, deadline
):
    # Sign in shortly before the deadline (a session does not outlive its two weeks).
    with time_machine.travel(deadline - timedelta(hours=1), tick=False) as clock:
        client = client_for(lead)
        clock.move_to(deadline + timedelta(minutes=5))
        page = text(client.get(block.get_absolute_url()))
        assert "Editing closed at the deadline" in page and "block-form" not in page
        response = client.post(url(block, "save/"), {"commitments": "Late", "revision": "0"})
        assert response.status_code == 403
        assert "Editing closed at the deadline" in text(response)
        autosave = client.post(url(block, "autosave/"), {"commitments": "Late", "revision": "0"})
        assert autosave.status_code == 403
        assert autosave["HX-Trigger"] == "mou-closed"
        assert "Your text is still on this page" in text(autosave)
    block.refresh_from_db()
    assert block.commitments == ""


# --- review ----------------------------------------------------------------------------------


def test_request_changes_without_a_comment_is_400(version, block, lead, coordinator, client_for):
    submitted(block, lead)
    response = client_for(coordinator).post(
        url(block, "request-changes/"), {"changes-comment": "  "}
    )
    assert response.status_code == 400
    assert "a comment is required" in text(response)
    block.refresh_from_db()
    assert block.status == RoleBlock.Status.SUBMITTED


def test_review_round_trip_through_the_pages(version, block, lead, coordinator, client_for):
    lead_client, coord_client = client_for(lead), client_for(coordinator)
    lead_client.post(url(block, "submit/"), {**COMPLETE, "revision": "0"})
    assert "Accept this block" in text(coord_client.get(block.get_absolute_url()))
    coord_client.post(url(block, "request-changes/"), {"changes-comment": "Add a third school."})
    page = text(lead_client.get(block.get_absolute_url()))
    assert "The coordinator asked for changes" in page and "Add a third school." in page
    block.refresh_from_db()
    lead_client.post(
        url(block, "submit/"),
        {
            **COMPLETE,
            "role_in_partnership": "Three schools.",
            "revision": str(block.revision),
        },
    )
    response = coord_client.post(url(block, "accept/"), {"accept-comment": "Thank you"})
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.status == RoleBlock.Status.ACCEPTED
    # Accepting twice is a conflict with a message, not a crash.
    again = coord_client.post(url(block, "accept/"))
    assert again.status_code == 409
    assert "Only a submitted block can be accepted" in text(again)


def test_extension_in_the_past_is_400(version, block, coordinator, client_for, deadline):
    with time_machine.travel(deadline - timedelta(days=2), tick=False):
        client = client_for(coordinator)
        past = (deadline - timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
        response = client.post(url(block, "extension/"), {"extension-until": past})
    assert response.status_code == 400
    assert "must end in the future" in text(response)
    block.refresh_from_db()
    assert block.extension_until is None


def test_members_do_not_see_draft_versions_in_the_list(
    version, draft_version, lead, coordinator, client_for, deadline
):
    services.version_create(
        actor=Actor.of(coordinator), title="Secret next draft", shared_text="", deadline=deadline
    )
    assert "Secret next draft" not in text(client_for(lead).get("/mou/"))
    assert "Secret next draft" in text(client_for(coordinator).get("/mou/"))


# --- untrusted text -----------------------------------------------------------------------------


def test_script_in_every_field_is_escaped_or_sanitized_in_the_pages(
    version, block, lead, coordinator, client_for
):
    hostile = {name: f"{SCRIPT} <b>bold</b> {name}" for name in RoleBlock.CONTENT_FIELDS}
    hostile["contact_phone"] = "<i>555</i>"
    hostile["contact_email"] = "dana@example.org"
    hostile["signing_leader_email"] = "lead@example.org"
    fill(block, lead, hostile)
    for page_url in (
        block.get_absolute_url(),
        f"/mou/{version.pk}/document/",
        url(block, "diff/?old=0&new=1"),
    ):
        page = text(client_for(coordinator).get(page_url))
        assert "<script>alert" not in page
        assert "&lt;script&gt;alert(&#x27;pwned&#x27;)&lt;/script&gt;" in page
    document = text(client_for(lead).get(f"/mou/{version.pk}/document/"))
    # Markdown fields keep harmless markup; plain fields show it as text.
    assert "<b>bold</b> role_in_partnership" in document
    assert "&lt;b&gt;bold&lt;/b&gt; signing_leader_name" in document


# --- history and differences ------------------------------------------------------------


def test_history_lists_every_save_with_who_and_when(version, block, lead, editor, client_for):
    saved = fill(block, lead, {"commitments": "First"})
    services.block_save_draft(
        block=saved, actor=Actor.of(editor), data={"commitments": "Second"}, expected_revision=1
    )
    page = text(client_for(lead).get(url(block, "history/")))
    assert lead.full_name in page and editor.full_name in page
    assert "Draft saved" in page and re.search(r"\d:\d\d [AP]M P[DS]T", page)


def test_diff_between_two_revisions_marks_insertions_and_deletions(
    version, block, lead, client_for
):
    saved = fill(block, lead, {"commitments": "Two teams <i>now</i>"})
    # Later than the fold window: the second save is a revision of its own in the history.
    with time_machine.travel(timezone.now() + services.DRAFT_FOLD_WINDOW * 2):
        services.block_save_draft(
            block=saved,
            actor=Actor.of(lead),
            data={"commitments": "Three teams <i>now</i>"},
            expected_revision=1,
        )
    response = client_for(lead).get(url(block, "diff/?old=1&new=2"))
    page = text(response)
    assert "<del>Two</del><ins>Three</ins> teams &lt;i&gt;now&lt;/i&gt;" in page
    assert "1 field changed" in page


@pytest.mark.parametrize(
    "query,status",
    [
        ("old=banana", 400),
        ("old=-1", 400),
        ("new=abc", 400),
        ("old=0&new=7", 404),
        ("old=previous", 404),
    ],
)
def test_diff_bad_input(version, block, lead, client_for, query, status):
    assert client_for(lead).get(url(block, f"diff/?{query}")).status_code == status


# --- the whole MOU and its PDF -------------------------------------------------------------


def test_the_whole_mou_page_has_shared_text_and_every_block_in_order(
    version, block, other_block, lead, other_lead, coordinator, client_for
):
    fill(block, lead)
    fill(other_block, other_lead, {"role_in_partnership": "We offer dual credit."})
    page = text(client_for(coordinator).get(f"/mou/{version.pk}/document/"))
    assert "<h2>Purpose</h2>" in page
    assert page.index(other_block.partner.name) < page.index(block.partner.name)  # C < S
    assert COMPLETE["role_in_partnership"] in page and "We offer dual credit." in page
    assert COMPLETE["contact_email"] in page and COMPLETE["signing_leader_email"] in page


def test_the_whole_mou_page_shows_other_partners_blocks_once_accepted_and_no_contacts(
    version, block, other_block, lead, other_lead, coordinator, client_for
):
    fill(block, lead)
    fill(other_block, other_lead, {"role_in_partnership": "We offer dual credit."})
    for status in ("draft", "submitted", "changes_requested"):
        RoleBlock.objects.filter(pk=block.pk).update(status=status)
        page = text(client_for(other_lead).get(f"/mou/{version.pk}/document/"))
        assert "We offer dual credit." in page  # its own block, whatever its status
        assert COMPLETE["role_in_partnership"] not in page, status
        assert block.partner.name not in page, status
    RoleBlock.objects.filter(pk=block.pk).update(status="accepted")
    page = text(client_for(other_lead).get(f"/mou/{version.pk}/document/"))
    assert COMPLETE["role_in_partnership"] in page and COMPLETE["contact_name"] in page
    for private in ("contact_email", "contact_phone", "signing_leader_email"):
        assert COMPLETE[private] not in page, private


def test_the_draft_pdf_is_rendered_by_the_task_and_downloaded(
    version, block, lead, client_for, django_capture_on_commit_callbacks
):
    fill(block, lead)
    client = client_for(lead)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/mou/{version.pk}/document/pdf/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    draft = DraftPdf.objects.get()
    # The request answered "pending"; the task ran after the commit.
    assert "Preparing the draft PDF" in text(response)
    status = client.get(reverse("mou:document_pdf_status", args=[version.pk, draft.pk]))
    assert "Download the draft PDF" in text(status)
    download = client.get(reverse("mou:document_pdf_download", args=[version.pk, draft.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_pending_pdf_cannot_be_downloaded(version, lead, client_for):
    draft = DraftPdf.objects.create(version=version, requested_by=lead)
    client = client_for(lead)
    assert (
        client.get(reverse("mou:document_pdf_download", args=[version.pk, draft.pk])).status_code
        == 404
    )
    status = text(client.get(reverse("mou:document_pdf_status", args=[version.pk, draft.pk])))
    assert 'data-hx-trigger="load delay:1s"' in status


def test_emails_from_the_pages_carry_links_built_from_site_url(
    settings, version, block, lead, coordinator, client_for
):
    submitted(block, lead)
    client_for(coordinator).post(url(block, "request-changes/"), {"changes-comment": "More"})
    message = OutboxMessage.objects.get(kind="mou_changes_requested")
    assert settings.SITE_URL + "/accounts/link/" in message.body_text
