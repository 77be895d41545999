"""Markdown is converted when it is saved, and pages, e-mails and PDFs read the stored HTML:
the parser is patched to fail during each request, and the pages still answer."""

import hashlib

import pytest
from django.core.management import call_command
from django.urls import reverse

from bench.hostile_markdown import HOSTILE_MARKDOWN
from core import text
from core.actor import Actor
from core.text import ALLOWED_TAGS, markdown_render
from meetings import services as meeting_services
from mou import services
from mou.models import FrozenMou, FrozenMouHtml, MouVersion, RoleBlock, SignatureRequest
from mou.selectors import signing_document
from mou.services.pdf import document_pdf_bytes
from partnership.services import partner_create, workgroup_create
from tests.core.test_markdown import assert_sanitized
from tests.mou.conftest import COMPLETE, fill, token_for

pytestmark = pytest.mark.django_db


def _refuse():
    raise AssertionError("Markdown was converted while reading")


def bump_renderer(monkeypatch, *, without: str) -> None:
    """A renderer upgrade that renders differently: ``without`` is no longer allowed."""
    monkeypatch.setattr(text, "MARKDOWN_VERSION", text.MARKDOWN_VERSION + 1)
    monkeypatch.setattr(text, "ALLOWED_TAGS", ALLOWED_TAGS - {without})


def test_saving_a_block_stores_the_html_of_each_text_and_the_renderer_version(block, lead):
    fill(block, lead, {**COMPLETE, "commitments": "**Two** teams"})
    row = RoleBlock.objects.get(pk=block.pk)
    assert row.markdown_version == text.MARKDOWN_VERSION
    assert row.commitments_html == "<p><strong>Two</strong> teams</p>\n"
    assert row.role_in_partnership_html == markdown_render(COMPLETE["role_in_partnership"])
    assert row.asks_of_network_html == markdown_render(COMPLETE["asks_of_network"])


def test_a_review_comment_and_the_version_text_are_stored_as_html_too(
    version, block, lead, coordinator
):
    submitted = services.block_submit(block=fill(block, lead), actor=Actor.of(lead))
    services.block_request_changes(
        block=submitted, actor=Actor.of(coordinator), comment="Add *dates*"
    )
    assert RoleBlock.objects.get(pk=block.pk).review_comment_html == "<p>Add <em>dates</em></p>\n"
    assert MouVersion.objects.get(pk=version.pk).shared_text_html.startswith("<h2>Purpose</h2>")
    template = version.templates.first()
    assert template.markdown_version == text.MARKDOWN_VERSION
    assert template.guidance_html == markdown_render(template.guidance)


def test_a_block_full_of_hostile_markdown_is_stored_sanitized(block, lead):
    fill(
        block,
        lead,
        {
            "role_in_partnership": HOSTILE_MARKDOWN["6,000 ["],
            "commitments": HOSTILE_MARKDOWN["20,000 ["],
            "asks_of_network": HOSTILE_MARKDOWN["everything at once"][:19_000]
            + "<script>x()</script>",
        },
    )
    row = RoleBlock.objects.get(pk=block.pk)
    assert row.role_in_partnership_html == "<p>" + "[" * 6_000 + "</p>\n"
    for name in RoleBlock.TEXT_FIELDS:
        assert_sanitized(getattr(row, f"{name}_html"))
    assert "x()" not in row.asks_of_network_html


def test_the_mou_pages_read_the_stored_html_and_never_run_the_parser(
    version, block, other_block, lead, coordinator, client_for, monkeypatch
):
    fill(block, lead, {**COMPLETE, "commitments": "**Two** teams"})
    submitted = services.block_submit(
        block=RoleBlock.objects.get(pk=block.pk), actor=Actor.of(lead)
    )
    services.block_request_changes(
        block=submitted, actor=Actor.of(coordinator), comment="Add *dates*"
    )
    guidance = version.templates.get(kind=block.partner.kind).guidance_html
    monkeypatch.setattr(text, "_parser", _refuse)
    pages = [
        (lead, f"/mou/{version.pk}/document/", "<strong>Two</strong> teams"),
        (coordinator, f"/mou/{version.pk}/document/", "<h2>Purpose</h2>"),
        (coordinator, version.get_absolute_url(), "<h2>Purpose</h2>"),
        (lead, block.get_absolute_url(), guidance[: guidance.index("</p>")]),
        (lead, "/", "Add <em>dates</em>"),
    ]
    for user, url, shown in pages:
        response = client_for(user).get(url)
        assert response.status_code == 200, url
        assert shown in response.content.decode(), url


def test_the_draft_pdf_reads_the_stored_html(version, block, lead, monkeypatch):
    fill(block, lead, {**COMPLETE, "commitments": "**Two** teams"})
    monkeypatch.setattr(text, "_parser", _refuse)
    pdf = document_pdf_bytes(version=MouVersion.objects.get(pk=version.pk), viewer=lead)
    assert pdf.startswith(b"%PDF")


def test_meeting_partner_and_workgroup_pages_read_the_stored_html(
    coordinator, lead, partner, client_for, monkeypatch
):
    from datetime import timedelta

    from django.utils import timezone

    starts = timezone.now() + timedelta(days=3)
    meeting = meeting_services.meeting_create(
        actor=Actor.of(coordinator),
        title="Network meeting",
        kind="network",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        agenda="**Roles**",
        notes="*Noted*",
        decisions="- Decided",
    )
    meeting_services.meeting_notes_publish(meeting=meeting, actor=Actor.of(coordinator))
    other = partner_create(
        name="Labs Inc", kind="business", description="*labs*", actor=Actor.of(coordinator)
    )
    workgroup = workgroup_create(
        name="Assessment", description="**tests**", actor=Actor.of(coordinator)
    )
    meeting_services.attendance_add(meeting=meeting, user=lead, actor=Actor.of(coordinator))
    monkeypatch.setattr(text, "_parser", _refuse)
    for url, shown in (
        (meeting.get_absolute_url(), "<strong>Roles</strong>"),
        (reverse("partnership:partner_detail", args=[other.pk]), "<em>labs</em>"),
        (reverse("partnership:workgroup_detail", args=[workgroup.pk]), "<strong>tests</strong>"),
    ):
        response = client_for(coordinator).get(url)
        assert response.status_code == 200, url
        assert shown in response.content.decode(), url
    # The notes e-mail reads the stored HTML too.
    assert meeting_services.meeting_notes_send(meeting=meeting, actor=Actor.of(coordinator)) >= 1


def test_a_row_stored_by_an_older_renderer_still_shows_current_html(
    version, block, lead, client_for, monkeypatch
):
    fill(block, lead, {**COMPLETE, "commitments": "**Two** teams"})
    bump_renderer(monkeypatch, without="strong")
    page = client_for(lead).get(f"/mou/{version.pk}/document/").content.decode()
    assert "<p>Two teams</p>" in page and "<strong>Two</strong>" not in page

    call_command("markdown_rerender", "--batch-size", "1")

    row = RoleBlock.objects.get(pk=block.pk)
    assert row.markdown_version == text.MARKDOWN_VERSION
    assert row.commitments_html == "<p>Two teams</p>\n"
    assert RoleBlock.objects.exclude(markdown_version=text.MARKDOWN_VERSION).count() == 0
    assert not MouVersion.objects.exclude(markdown_version=text.MARKDOWN_VERSION).exists()
    monkeypatch.setattr(text, "_parser", _refuse)
    page = client_for(lead).get(f"/mou/{version.pk}/document/").content.decode()
    assert "<p>Two teams</p>" in page


def test_a_carried_over_block_keeps_the_stored_html_without_converting_again(
    version, block, lead, coordinator, deadline, monkeypatch
):
    fill(block, lead, {**COMPLETE, "commitments": "**Two** teams"})
    nxt = services.version_create(
        actor=Actor.of(coordinator),
        title="Next",
        shared_text="Next",
        deadline=deadline,
        previous=version,
    )
    calls = []
    real = text._parser
    monkeypatch.setattr(text, "_parser", lambda: calls.append(1) or real())
    services.version_open(version=nxt, actor=Actor.of(coordinator))
    carried = RoleBlock.objects.get(version=nxt, partner=block.partner)
    assert carried.commitments_html == "<p><strong>Two</strong> teams</p>\n"
    assert carried.markdown_version == text.MARKDOWN_VERSION
    # Only the other partner's block (never filled: empty texts) was converted, not ours.
    assert len(calls) <= 4 * (RoleBlock.objects.filter(version=nxt).count() - 1)


# --- the frozen and executed record ---------------------------------------------------------


def test_freezing_stores_the_html_beside_the_record_which_keeps_the_texts_as_typed(frozen):
    stored = FrozenMouHtml.objects.get(frozen=frozen)
    assert stored.markdown_version == text.MARKDOWN_VERSION
    assert stored.texts["shared_text"].startswith("<h2>Purpose</h2>")
    partner = frozen.content["partners"][0]
    assert stored.texts["partners"][str(partner["id"])]["commitments"] == markdown_render(
        partner["block"]["commitments"]
    )
    assert "_html" not in frozen.canonical  # the signed content holds only what was typed
    assert frozen.content_sha256 == hashlib.sha256(frozen.canonical.encode()).hexdigest()


def test_the_signing_page_reads_the_stored_html(frozen, client, monkeypatch):
    signature = SignatureRequest.objects.filter(frozen=frozen, role="partner").first()
    url = reverse("mou:sign", args=[token_for(signature)])
    monkeypatch.setattr(text, "_parser", _refuse)
    page = client.get(url).content.decode()
    assert "<h2>Purpose</h2>" in page and COMPLETE["commitments"] in page


def test_a_renderer_upgrade_re_renders_the_frozen_html_and_never_the_signed_record(
    frozen, monkeypatch
):
    canonical, digest = frozen.canonical, frozen.content_sha256
    bump_renderer(monkeypatch, without="h2")
    document = signing_document(frozen=FrozenMou.objects.get(pk=frozen.pk))
    assert "<h2>" not in document["shared_text_html"] and "Purpose" in document["shared_text_html"]

    call_command("markdown_rerender")

    stored = FrozenMouHtml.objects.get(frozen=frozen)
    assert stored.markdown_version == text.MARKDOWN_VERSION
    assert "<h2>" not in stored.texts["shared_text"]
    again = FrozenMou.objects.get(pk=frozen.pk)
    assert (again.canonical, again.content_sha256) == (canonical, digest)
    assert FrozenMou.objects.count() == 1


def test_a_frozen_record_without_stored_html_is_shown_and_then_given_it(frozen):
    FrozenMouHtml.objects.filter(frozen=frozen).delete()  # as before the migration ran
    document = signing_document(frozen=FrozenMou.objects.get(pk=frozen.pk))
    assert document["shared_text_html"].startswith("<h2>Purpose</h2>")
    call_command("markdown_rerender")
    assert FrozenMouHtml.objects.get(frozen=frozen).texts["shared_text"].startswith("<h2>")


def test_an_edit_stores_the_new_html_beside_the_fields_it_saves(coordinator):
    # Edits save only the fields they changed: the HTML of a changed text goes with them.
    from datetime import timedelta

    from django.utils import timezone

    from meetings.models import Meeting
    from partnership.models import Partner, Workgroup
    from partnership.services import partner_update, workgroup_update

    starts = timezone.now() + timedelta(days=3)
    meeting = meeting_services.meeting_create(
        actor=Actor.of(coordinator),
        title="Network meeting",
        kind="network",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        agenda="**Roles**",
    )
    meeting.notes = "*Noted later*"
    meeting_services.meeting_update(
        meeting=meeting, actor=Actor.of(coordinator), values={"notes": "*Noted later*"}
    )
    assert Meeting.objects.get(pk=meeting.pk).notes_html == "<p><em>Noted later</em></p>\n"

    partner = partner_create(
        name="Labs Inc", kind="business", description="*labs*", actor=Actor.of(coordinator)
    )
    partner_update(partner=partner, data={"description": "**LABS**"}, actor=Actor.of(coordinator))
    assert Partner.objects.get(pk=partner.pk).description_html == ("<p><strong>LABS</strong></p>\n")
    workgroup = workgroup_create(
        name="Assessment", description="tests", actor=Actor.of(coordinator)
    )
    workgroup_update(
        workgroup=workgroup, data={"description": "*tests*"}, actor=Actor.of(coordinator)
    )
    assert Workgroup.objects.get(pk=workgroup.pk).description_html == "<p><em>tests</em></p>\n"
