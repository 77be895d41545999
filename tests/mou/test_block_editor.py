"""The lead's editor: the page's order and words per role, autosaves folded into one
history revision, keeping one's own text after a conflict, the signing leaders a partner
has confirmed, and the draft PDF offered on the version page."""

import csv
import io
import re
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from core.actor import Actor
from dashboard.selectors import dashboard_summary
from mou import selectors, services
from mou.models import DraftPdf, RoleBlock
from tests import factories
from tests.mou.conftest import COMPLETE, fill, submitted

pytestmark = pytest.mark.django_db


def url(block: RoleBlock, suffix: str = "") -> str:
    return f"/mou/{block.version_id}/blocks/{block.pk}/{suffix}"


def text(response) -> str:
    return response.content.decode()


def autosave(client, block, data: dict, revision: int):
    return client.post(url(block, "autosave/"), {**data, "revision": str(revision)})


def entries(block) -> list:
    return list(block.history.order_by("history_date", "history_id"))


# --- the page: form first, words for the person reading ------------------------------------


def test_the_form_comes_before_the_sidebar_and_the_guidance_folds_beside_its_fields(
    version, block, lead, client_for
):
    page = text(client_for(lead).get(url(block)))
    form, first_field = page.index('id="block-form"'), page.index('id="id_role_in_partnership"')
    aside = page.index("<aside")
    # Nothing but the status lines stands between the heading and the first field.
    assert form < first_field < aside
    role_section = page[page.index('id="section-role"') : page.index('id="section-contact"')]
    guidance = re.search(r'<details class="mou-guidance mb-3"[^>]*>', role_section)
    assert guidance and " open" not in guidance.group(0)  # folded until asked for
    assert 'class="card mb-3" aria-labelledby="guidance-heading"' not in page
    # The save status and Submit live in the sticky bar.
    bar = page[page.index('id="mou-actions"') :]
    assert bar.index("Submit for review") < bar.index('id="autosave-status"') < bar.index("</form>")


def test_changes_requested_speaks_to_each_reader(
    version, block, lead, editor, viewer, coordinator, client_for
):
    submitted(block, lead)
    client_for(coordinator).post(url(block, "request-changes/"), {"changes-comment": "More"})
    words = {
        who: text(client_for(person).get(url(block)))
        for who, person in [
            ("lead", lead),
            ("editor", editor),
            ("viewer", viewer),
            ("coordinator", coordinator),
        ]
    }
    for who in ("lead", "editor"):
        assert "Revise your block, then submit it again." in words[who]
        assert "The coordinator asked for changes" in words[who]
    assert "Revise your block" not in words["coordinator"]
    assert "The coordinator asked for changes" not in words["coordinator"]
    assert "Changes requested" in words["coordinator"]
    assert "comes back for review when they submit it again" in words["coordinator"]
    assert "Revise your block" not in words["viewer"]
    assert "Your organization's lead or an editor revises the block" in words["viewer"]
    assert "You can read this block." in words["viewer"]
    assert "You can read this block." not in words["lead"]


def test_the_sidebar_counts_the_history_and_autosave_keeps_it_current(
    version, block, lead, client_for
):
    client = client_for(lead)
    assert "1 revision kept" in text(client.get(url(block)))
    answer = text(autosave(client, block, {"commitments": "Two teams"}, 0))
    assert '<span id="history-count" data-hx-swap-oob="true">2 revisions kept' in answer
    answer = text(autosave(client, block, {"commitments": "Two teams, six days"}, 1))
    assert "2 revisions kept" in answer  # folded into the same revision
    assert "2 revisions kept" in text(client.get(url(block)))


# --- autosaves fold into one history revision ------------------------------------------------


def test_five_autosaves_in_a_minute_are_one_history_revision_and_the_revision_still_moves(
    version, block, lead, client_for
):
    client = client_for(lead)
    start = timezone.now()
    for n in range(5):
        with time_machine.travel(start + timedelta(seconds=12 * n), tick=False):
            response = autosave(client, block, {"commitments": f"Draft {n}"}, n)
            assert response.status_code == 200
    block.refresh_from_db()
    assert block.revision == 5
    created, drafted = entries(block)
    assert created.history_change_reason == "block created"
    assert drafted.history_change_reason == services.blocks.DRAFT_SAVED
    assert (drafted.revision, drafted.commitments, drafted.status) == (5, "Draft 4", "draft")
    assert drafted.history_user == lead
    assert drafted.history_date == start + timedelta(seconds=48)
    # A revision folded away reads as the last one kept before it: every change since shows.
    assert selectors.block_snapshot(block=block, revision=3)["commitments"] == ""
    assert selectors.block_snapshot(block=block, revision=5)["commitments"] == "Draft 4"
    assert selectors.block_snapshot(block=block, revision=6) is None
    page = text(client.get(url(block, "history/")))
    assert "within 10 minutes" in page
    assert "?old=0&amp;new=5" in page  # compared with the revision kept before it
    assert client.get(url(block, "diff/?old=2&new=4")).status_code == 200


def test_a_pause_another_person_or_a_review_starts_a_new_revision(
    version, block, lead, editor, coordinator
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        saved = fill(block, lead, {"commitments": "One"})
    with time_machine.travel(start + services.DRAFT_FOLD_WINDOW - timedelta(seconds=1)):
        saved = fill(saved, lead, {"commitments": "Two"})  # within the window: folded
    assert len(entries(block)) == 2
    with time_machine.travel(start + services.DRAFT_FOLD_WINDOW * 3):
        saved = fill(saved, lead, {"commitments": "Three"})  # after a pause
        assert len(entries(block)) == 3
        saved = fill(saved, editor, {"commitments": "Four"})  # someone else
        assert len(entries(block)) == 4
        saved = fill(saved, editor, COMPLETE)  # the same person again: folded
        assert len(entries(block)) == 4
        saved = services.block_submit(block=saved, actor=Actor.of(editor))
        assert len(entries(block)) == 5
        saved = services.block_request_changes(
            block=saved, actor=Actor.of(coordinator), comment="More"
        )
        assert len(entries(block)) == 6
        fill(saved, editor, {"commitments": "Five"})  # after the review: a new one
    reasons = [entry.history_change_reason for entry in entries(block)]
    assert reasons == [
        "block created",
        "draft saved",
        "draft saved",
        "draft saved",
        "submitted",
        "changes requested",
        "draft saved",
    ]
    assert [entry.revision for entry in entries(block)] == [0, 2, 3, 5, 5, 5, 6]


# --- after a conflict: keep my text, or choose per field ------------------------------------


@pytest.fixture
def conflict(version, block, lead, editor, client_for):
    """The editor and the lead both open the block at revision 0; the lead saves first;
    the editor's autosave is refused."""
    fill(block, lead, {"role_in_partnership": "Lead's role", "commitments": "Lead's list"})
    mine = {"role_in_partnership": "Editor's role", "commitments": "Editor's list"}
    refused = autosave(client_for(editor), block, mine, 0)
    assert refused.status_code == 409
    return {"client": client_for(editor), "page": text(refused), "mine": mine}


def resolve(client, block, mine: dict, *, revision: int, step: str, keep: str, **choices):
    data = {"revision": str(revision), "step": step, "keep": keep}
    data.update({f"mine_{name}": value for name, value in mine.items()})
    data.update({f"choice_{name}": value for name, value in choices.items()})
    return client.post(url(block, "resolve/"), data)


def test_the_conflict_offers_keep_my_text_and_a_choice_per_field(conflict, block):
    page = conflict["page"]
    assert f'action="{url(block, "resolve/")}"' in page
    assert re.search(r'name="revision"\s+id="conflict-revision"\s+value="1"', page)
    assert 'name="choice_role_in_partnership"' in page and 'value="theirs"' in page
    assert "Keep my text in every field" in page and "Keep the texts I chose" in page
    assert "Editor&#x27;s role</textarea>" in page  # the person's text rides along


def test_keep_my_text_asks_once_more_showing_what_is_lost_then_saves(conflict, block):
    client, mine = conflict["client"], conflict["mine"]
    confirm = resolve(client, block, mine, revision=1, step="confirm", keep="all")
    assert confirm.status_code == 200
    page = text(confirm)
    assert "Save your text over the current text?" in page
    lost = page[page.index("What is lost") :]
    assert "Lead&#x27;s role" in lost and "Lead&#x27;s list" in lost
    block.refresh_from_db()
    assert block.role_in_partnership == "Lead's role"  # nothing saved yet
    saved = resolve(client, block, mine, revision=1, step="save", keep="all")
    assert saved.status_code == 302
    block.refresh_from_db()
    assert (block.role_in_partnership, block.commitments) == ("Editor's role", "Editor's list")
    assert block.revision == 2


def test_a_choice_per_field_keeps_mine_here_and_theirs_there(conflict, block):
    client, mine = conflict["client"], conflict["mine"]
    choices = {"role_in_partnership": "mine", "commitments": "theirs"}
    page = text(resolve(client, block, mine, revision=1, step="confirm", keep="chosen", **choices))
    lost = page[page.index("What is lost") :]
    assert "Lead&#x27;s role" in lost and "Lead&#x27;s list" not in lost
    assert "The current text stays in “What we commit and contribute”" in page
    resolve(client, block, mine, revision=1, step="save", keep="chosen", **choices)
    block.refresh_from_db()
    assert (block.role_in_partnership, block.commitments) == ("Editor's role", "Lead's list")


def test_choosing_theirs_everywhere_saves_nothing(conflict, block):
    client, mine = conflict["client"], conflict["mine"]
    choices = {"role_in_partnership": "theirs", "commitments": "theirs"}
    page = text(resolve(client, block, mine, revision=1, step="confirm", keep="chosen", **choices))
    assert "nothing of yours is saved" in page
    resolve(client, block, mine, revision=1, step="save", keep="chosen", **choices)
    block.refresh_from_db()
    assert block.revision == 1 and block.role_in_partnership == "Lead's role"


def test_a_third_save_after_the_confirmation_is_not_overwritten(conflict, block, lead):
    client, mine = conflict["client"], conflict["mine"]
    assert resolve(client, block, mine, revision=1, step="confirm", keep="all").status_code == 200
    block.refresh_from_db()
    fill(block, lead, {"role_in_partnership": "Lead's newer role"})  # revision 2
    again = resolve(client, block, mine, revision=1, step="save", keep="all")
    assert again.status_code == 409
    page = text(again)
    assert "the block changed again while you were choosing" in page
    assert "Lead&#x27;s newer role" in page and "Editor&#x27;s role" in page
    assert re.search(r'id="conflict-revision"\s+value="2"', page)  # the next choice is against that
    block.refresh_from_db()
    assert block.role_in_partnership == "Lead's newer role" and block.revision == 2
    # A confirmation page shown before that save cannot be used either.
    stale_confirm = resolve(client, block, mine, revision=1, step="confirm", keep="all")
    assert stale_confirm.status_code == 409


def test_keep_my_text_refuses_bad_input_and_other_people(
    conflict, block, other_block, other_lead, viewer, client_for
):
    client, mine = conflict["client"], conflict["mine"]
    assert resolve(client, block, mine, revision=1, step="bogus", keep="all").status_code == 400
    assert resolve(client, block, {}, revision=1, step="save", keep="all").status_code == 400
    assert (
        resolve(client, block, {"commitments": "x" * 20_001}, revision=1, step="save", keep="all")
    ).status_code == 400
    bad_email = {"contact_email": "not an address\n=HYPERLINK()"}
    response = resolve(client, block, bad_email, revision=1, step="save", keep="all")
    assert response.status_code == 400 and "Contact e-mail" in text(response)
    # Someone of another partner, a viewer, or this partner's block under another URL.
    for person in (other_lead, viewer):
        response = resolve(client_for(person), block, mine, revision=1, step="save", keep="all")
        assert response.status_code == 403
    wrong = client.post(
        f"/mou/{block.version_id}/blocks/{other_block.pk}/resolve/",
        {"revision": "0", "step": "save", "keep": "all", "mine_commitments": "Mine"},
    )
    assert wrong.status_code == 403
    block.refresh_from_db()
    other_block.refresh_from_db()
    assert block.revision == 1 and block.role_in_partnership == "Lead's role"
    assert other_block.commitments == ""


def test_keep_my_text_escapes_hostile_text_and_refuses_nul(conflict, block):
    client = conflict["client"]
    hostile = {"role_in_partnership": "<script>alert(1)</script> **bold**\r\n=cmd|' /C calc'!A0"}
    page = text(resolve(client, block, hostile, revision=1, step="confirm", keep="all"))
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    resolve(client, block, hostile, revision=1, step="save", keep="all")
    block.refresh_from_db()
    assert block.role_in_partnership == "<script>alert(1)</script> **bold**\n=cmd|' /C calc'!A0"
    assert "<script>" not in block.role_in_partnership_html
    # The conflict page never sends a NUL (the text it carries was cleaned): a hand-made one
    # is refused with a message, nothing saved.
    nul = {"role_in_partnership": "Mine\x00"}
    refused = resolve(client, block, nul, revision=2, step="save", keep="all")
    assert refused.status_code == 400 and "nothing was saved" in text(refused)
    block.refresh_from_db()
    assert block.revision == 2


def test_a_double_submitted_keep_is_saved_once(conflict, block):
    client, mine = conflict["client"], conflict["mine"]
    assert resolve(client, block, mine, revision=1, step="save", keep="all").status_code == 302
    # The same form sent again: it says exactly what is saved, so nothing changes, no error.
    again = resolve(client, block, mine, revision=1, step="save", keep="all")
    assert again.status_code in (302, 409)
    block.refresh_from_db()
    assert block.revision == 2 and block.role_in_partnership == "Editor's role"


# --- signing leaders: only those confirmed in this version ---------------------------------


@pytest.fixture
def next_version(version, block, other_block, lead, other_lead, coordinator, deadline):
    """Both partners named a leader last version; this version carries them over."""
    fill(block, lead)
    fill(other_block, other_lead)
    later = services.version_create(
        actor=Actor.of(coordinator),
        title="Next year",
        shared_text="",
        deadline=deadline,
        previous=version,
    )
    services.version_open(version=later, actor=Actor.of(coordinator))
    return later


def test_carried_over_signing_leaders_count_once_the_partner_confirms_them(
    next_version, partner, other_partner, lead, other_lead, coordinator, client_for
):
    counts = selectors.version_status_counts(version=next_version)
    assert counts["total"] == 2 and counts["signing_leader_confirmed"] == 0
    assert dashboard_summary(version=next_version, now=timezone.now()).signing_leader_named == 0
    exported = exported_leaders(client_for(coordinator), next_version)
    assert set(exported.values()) == {"carried over, not confirmed yet"}
    table = text(client_for(coordinator).get("/dashboard/", {"version": next_version.pk}))
    assert table.count("Carried over, not confirmed yet") == 2
    mine = RoleBlock.objects.get(version=next_version, partner=partner)
    theirs = RoleBlock.objects.get(version=next_version, partner=other_partner)
    fill(mine, lead, {"commitments": "Only the commitments changed"})
    assert selectors.version_status_counts(version=next_version)["signing_leader_confirmed"] == 0
    mine.refresh_from_db()
    fill(mine, lead, {"signing_leader_title": "Interim superintendent"})
    assert selectors.version_status_counts(version=next_version)["signing_leader_confirmed"] == 1
    services.block_submit(block=theirs, actor=Actor.of(other_lead))  # the same name, submitted
    counts = selectors.version_status_counts(version=next_version)
    assert counts["signing_leader_confirmed"] == 2 and counts["signing_leader_unconfirmed"] == 0
    page = text(client_for(coordinator).get("/dashboard/"))
    assert "in this version" in page and "counts once the partner confirms it" in page
    assert set(exported_leaders(client_for(coordinator), next_version).values()) == {"yes"}
    table = text(client_for(coordinator).get("/dashboard/", {"version": next_version.pk}))
    assert "Carried over, not confirmed yet" not in table


def exported_leaders(client, version) -> dict[str, str]:
    """The CSV export's "Signing leader named" column, by partner."""
    answer = client.get("/dashboard/export.csv", {"version": version.pk})
    assert answer.status_code == 200
    parts = answer.streaming_content if answer.streaming else [answer.content]
    body = b"".join(parts).decode("utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(body)) if row and not row[0].startswith("# ")]
    header = rows[0]
    named = header.index("Signing leader named")
    return {row[0]: row[named] for row in rows[1:]}


def test_the_version_page_says_the_count_is_of_this_version(next_version, coordinator, client_for):
    page = text(client_for(coordinator).get(next_version.get_absolute_url()))
    assert "2 have not named a signing leader in this version yet" in page


# --- the draft PDF on the version page --------------------------------------------------------


@pytest.mark.parametrize("who", ["coordinator", "lead", "viewer"])
def test_the_version_page_offers_the_draft_pdf(version, who, request, client_for):
    page = text(client_for(request.getfixturevalue(who)).get(version.get_absolute_url()))
    assert 'id="draft-pdf-heading"' in page
    assert f'data-hx-post="/mou/{version.pk}/document/pdf/"' in page
    assert "Prepare the draft PDF" in page


def test_the_version_page_shows_the_persons_own_latest_draft_pdf(
    version, coordinator, lead, client_for
):
    DraftPdf.objects.create(version=version, requested_by=lead, status=DraftPdf.Status.READY)
    theirs = text(client_for(coordinator).get(version.get_absolute_url()))
    assert "Download the draft PDF" not in theirs and "Prepare the draft PDF" in theirs
    own = text(client_for(lead).get(version.get_absolute_url()))
    assert "Download the draft PDF" in own and "Prepare a fresh draft PDF" in own


def test_no_draft_pdf_offered_once_frozen(version, coordinator, client_for):
    version.status = version.Status.FROZEN
    version.save(update_fields=["status"])
    page = text(client_for(coordinator).get(version.get_absolute_url()))
    assert 'id="draft-pdf-heading"' not in page


def test_a_stranger_sees_no_version_page(version, nobody, client_for):
    assert client_for(nobody).get(version.get_absolute_url()).status_code in (302, 403)


def test_the_editor_page_query_count_is_pinned(
    version, block, lead, client_for, django_assert_num_queries
):
    client = client_for(lead)
    client.get(url(block))  # warm the session
    with django_assert_num_queries(EDITOR_QUERIES):
        client.get(url(block))
    for n in range(6):
        fill(
            RoleBlock.objects.get(pk=block.pk),
            factories.MembershipFactory(partner=block.partner, role="editor").user,
            {"commitments": str(n)},
        )
    with django_assert_num_queries(EDITOR_QUERIES):
        client.get(url(block))


EDITOR_QUERIES = 9
