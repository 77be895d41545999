"""The draft PDF: rendered by the task, stored, its text checked with pdftotext; WeasyPrint
fetches nothing from the network."""

import socket
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from weasyprint import HTML

from core.actor import Actor
from mou import services
from mou.models import DraftPdf
from mou.pdf_fetcher import StaticOnlyFetcher, static_file_uri
from mou.services.pdf import document_pdf_bytes
from tests import factories
from tests.mou.conftest import COMPLETE, fill

pytestmark = pytest.mark.django_db


def pdftotext(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True
    )
    return " ".join(result.stdout.split())


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a socket fails the test."""
    attempts = []

    def refuse(self, address):
        attempts.append(address)
        raise AssertionError(f"network access attempted: {address}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_the_task_renders_every_partners_role_with_draft_mark_and_page_numbers(
    version,
    block,
    other_block,
    lead,
    other_lead,
    coordinator,
    tmp_path,
    no_network,
    django_capture_on_commit_callbacks,
):
    third = factories.PartnerFactory(name="Oregon State University", kind="college")
    factories.MembershipFactory(partner=third, role="lead")
    (third_block,) = services.blocks_ensure_for_partner(partner=third, actor=Actor.system())
    fill(block, lead)
    fill(other_block, other_lead, {"role_in_partnership": "Chemeketa offers dual-credit math."})
    third_lead = third.memberships.get().user
    fill(third_block, third_lead, {"role_in_partnership": "OSU trains pre-service teachers."})
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.draft_pdf_request(version=version, actor=Actor.of(coordinator))
    draft.refresh_from_db()
    assert draft.status == DraftPdf.Status.READY, draft.error
    data = draft.file.read()
    assert data.startswith(b"%PDF")
    import hashlib

    assert draft.sha256 == hashlib.sha256(data).hexdigest()
    assert Path(draft.file.path).is_relative_to(Path(settings.MEDIA_ROOT))
    content = pdftotext(data, tmp_path)
    for role in (
        COMPLETE["role_in_partnership"],
        "Chemeketa offers dual-credit math.",
        "OSU trains pre-service teachers.",
    ):
        assert role in content
    assert "DRAFT" in content
    assert "Page 1 of" in content and "Contents" in content
    assert version.title in content
    assert "Superintendent" in content
    assert no_network == []


def test_partner_text_is_escaped_in_the_pdf_exactly_as_in_the_html(version, block, lead, tmp_path):
    fill(
        block,
        lead,
        {
            "role_in_partnership": "Before <script>alert('pwned')</script> after <b>bold</b>",
            "signing_leader_name": "<script>x()</script> Pat",
            "contact_name": "<img src=x onerror=alert(1)>",
        },
    )
    content = pdftotext(document_pdf_bytes(version=version, viewer=lead), tmp_path)
    # Markdown fields are sanitized: the script and its content are gone, harmless markup stays.
    assert "Before after bold" in content
    assert "alert('pwned')" not in content
    # Plain fields are escaped: the markup shows as the text that was typed.
    assert "<script>x()</script> Pat" in content
    assert "<img src=x onerror=alert(1)>" in content


def test_the_fetcher_refuses_everything_but_data_uris_and_static_files(no_network):
    fetcher = StaticOnlyFetcher()
    for url in (
        "https://example.org/logo.png",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
        "ftp://example.org/x",
        static_file_uri("img/favicon.svg") + "/../../../../etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert len(fetcher.refused) == 5
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    assert b"<svg" in fetcher.fetch(static_file_uri("img/favicon.svg")).read()
    assert no_network == []


def test_a_document_pointing_at_the_network_renders_without_fetching(no_network, tmp_path):
    fetcher = StaticOnlyFetcher()
    html = (
        '<link rel="stylesheet" href="https://example.org/evil.css">'
        '<p>Hello <img src="https://example.org/pixel.png" alt="pixel"></p>'
        '<p style="background: url(http://example.org/bg.png)">World</p>'
    )
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf()
    assert "Hello" in pdftotext(pdf, tmp_path)
    assert set(fetcher.refused) >= {
        "https://example.org/evil.css",
        "https://example.org/pixel.png",
    }
    assert no_network == []


def test_a_failed_render_is_recorded_and_shown(version, coordinator, monkeypatch, client_for):
    def broken(**kwargs):
        raise RuntimeError("fonts missing")

    monkeypatch.setattr("mou.services.pdf.document_pdf_bytes", broken)
    draft = DraftPdf.objects.create(version=version, requested_by=coordinator)
    services.draft_pdf_render(draft_id=draft.pk, actor=Actor.system())
    draft.refresh_from_db()
    assert draft.status == DraftPdf.Status.FAILED
    assert "fonts missing" in draft.error
    page = client_for(coordinator).get(f"/mou/{version.pk}/document/pdf/{draft.pk}/status/")
    assert "could not be prepared" in page.content.decode()


def test_a_pending_request_is_reused_until_it_looks_lost(version, coordinator):
    first = services.draft_pdf_request(version=version, actor=Actor.of(coordinator))
    assert services.draft_pdf_request(version=version, actor=Actor.of(coordinator)) == first
    with time_machine.travel(first.requested_at + timedelta(minutes=11), tick=False):
        later = services.draft_pdf_request(version=version, actor=Actor.of(coordinator))
    assert later != first
    assert DraftPdf.objects.count() == 2
